// MessageGate: forwarded events this node already holds or has committed are dropped before any
// signature is verified (DESIGN §6 "fairness under floods").
#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "consensus/message_gate.h"
#include "gate_fixture.h"

namespace shipledger::consensus {
namespace {

class MessageGateKnownTest : public GateTest {
 protected:
  void SetUp() override {
    GateTest::SetUp();
    gate_ =
        std::make_unique<MessageGate>(genesis_, validator_.get(), 0, nullptr, [this](ByteView id) {
          std::lock_guard<std::mutex> lock(mu_);
          return committed_.contains(Bytes(id));
        });
  }
  void Commit(const v1::SignedEvent& se) {
    std::lock_guard<std::mutex> lock(mu_);
    committed_.insert(model::EventId(se.event()));
  }

  std::mutex mu_;
  std::set<Bytes> committed_;
};

TEST_F(MessageGateKnownTest, ReplayedForwardOfACommittedEventIsNotVerified) {
  const auto events = Events(1);
  Commit(events[0]);
  const uint64_t before = validator_->verifications();
  auto r = Admit(3, Forward(events));
  ASSERT_TRUE(Admitted(r));
  EXPECT_EQ(validator_->verifications(), before);
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_TRUE(r->events[0].empty());
}

TEST_F(MessageGateKnownTest, ReplayedForwardOfAHeldEventIsNotVerified) {
  const auto events = Events(1);
  gate_->NoteHeld({model::EventId(events[0].event())});
  // Even a copy with a broken signature costs no verification: the id alone decides.
  v1::SignedEvent forged = events[0];
  forged.set_signature("nonsense");
  const uint64_t before = validator_->verifications();
  auto r = Admit(3, Forward({events[0], forged}));
  ASSERT_TRUE(Admitted(r));
  EXPECT_EQ(validator_->verifications(), before);
  EXPECT_TRUE(r->events[0].empty());
}

TEST_F(MessageGateKnownTest, UnknownEventsOfTheSameForwardAreStillVerifiedAndAdmitted) {
  const auto events = Events(3);
  Commit(events[1]);
  const uint64_t before = validator_->verifications();
  auto r = Admit(3, Forward(events));
  ASSERT_TRUE(Admitted(r));
  EXPECT_EQ(validator_->verifications() - before, 2u);
  ASSERT_EQ(r->events[0].size(), 2u);
  EXPECT_EQ(r->events[0][0]->id, model::EventId(events[0].event()));
  EXPECT_EQ(r->events[0][1]->id, model::EventId(events[2].event()));
}

TEST_F(MessageGateKnownTest, AnUnknownForgedEventIsStillRejected) {
  auto events = Events(2);
  Commit(events[0]);
  events[1].set_signature("nonsense");
  // Positions in the message are reported as sent, known events skipped or not.
  EXPECT_TRUE(Rejected(Admit(3, Forward(events)), Code::kInvalidArgument,
                       "forwarded event 1: event signature"));
}

}  // namespace
}  // namespace shipledger::consensus

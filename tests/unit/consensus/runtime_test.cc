// consensus::CarryOut: every action kind reaches its Runtime method, in list order, and a journal
// write that fails stops the process before any later action (DESIGN §6).
#include "consensus/runtime.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shipledger::consensus {
namespace {

class RecordingRuntime final : public Runtime {
 public:
  explicit RecordingRuntime(bool journal_fails = false) : journal_fails_(journal_fails) {}
  void Execute(CommitBlock block) override {
    log.push_back("execute " + std::to_string(block.block.proposal().height()));
  }
  void ArmTimer(int64_t at_ms) override { log.push_back("timer " + std::to_string(at_ms)); }
  void SendTo(uint32_t replica, std::shared_ptr<const v1::PeerMessage> message) override {
    log.push_back("send " + std::to_string(replica) + " " +
                  message->heartbeat().ShortDebugString());
  }
  void SendToAll(std::shared_ptr<const v1::PeerMessage> message) override {
    log.push_back("all " + message->heartbeat().ShortDebugString());
  }
  Status AppendJournal(uint64_t height, const v1::JournalEntry& entry) override {
    log.push_back("journal " + std::to_string(height) + " view " + std::to_string(entry.view()));
    return journal_fails_ ? Status::Internal("disk full") : Status::Ok();
  }
  void StoreStable(const v1::CheckpointCertificate& certificate) override {
    log.push_back("stable " + std::to_string(certificate.height()));
  }
  std::vector<std::string> log;

 private:
  bool journal_fails_;
};

std::shared_ptr<const v1::PeerMessage> Heartbeat(uint64_t view) {
  auto m = std::make_shared<v1::PeerMessage>();
  m->mutable_heartbeat()->set_view(view);
  return m;
}

Actions EveryKind() {
  Actions a;
  v1::JournalEntry entry;
  entry.set_view(7);
  a.emplace_back(Persist{0, entry});
  a.emplace_back(Broadcast{Heartbeat(1)});
  a.emplace_back(Send{2, Heartbeat(2)});
  CommitBlock cb;
  cb.block.mutable_proposal()->set_height(5);
  a.emplace_back(std::move(cb));
  v1::CheckpointCertificate cert;
  cert.set_height(4);
  a.emplace_back(StoreCheckpoint{cert});
  a.emplace_back(SetTimer{1234});
  return a;
}

TEST(CarryOut, EveryActionReachesItsRuntimeMethodInListOrder) {
  RecordingRuntime rt;
  CarryOut(EveryKind(), rt);
  EXPECT_EQ(rt.log, (std::vector<std::string>{"journal 0 view 7", "all view: 1", "send 2 view: 2",
                                              "execute 5", "stable 4", "timer 1234"}));
}

TEST(CarryOut, MessagelessSendsAreSkipped) {
  RecordingRuntime rt;
  Actions a;
  a.emplace_back(Send{1, nullptr});
  a.emplace_back(Broadcast{nullptr});
  a.emplace_back(SetTimer{1});
  CarryOut(std::move(a), rt);
  EXPECT_EQ(rt.log, (std::vector<std::string>{"timer 1"}));
}

// The broadcast that follows the journal entry in the list is never sent: a replica that
// cannot journal must not vote.
TEST(CarryOutDeathTest, AJournalWriteThatFailsStopsBeforeAnyLaterAction) {
  EXPECT_DEATH(
      {
        RecordingRuntime rt(/*journal_fails=*/true);
        CarryOut(EveryKind(), rt);
        // Reached only if CarryOut went on: exit cleanly so the death test fails.
        std::exit(0);
      },
      "consensus journal write failed: .*disk full");
}

}  // namespace
}  // namespace shipledger::consensus

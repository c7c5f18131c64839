// gateway::Subscriptions: made, read, changed and deleted as DCSA T&T 2.2 says, the secret never
// given back, and a new subscription starting after what is already stored.
#include "gateway/subscriptions.h"

#include <gtest/gtest.h>

#include "testing/ledger_samples.h"
#include "testing/temp_dir.h"

namespace shipledger::gateway {
namespace {

namespace pb = google::protobuf;
using interop::testing::Json;

constexpr char kBody[] = R"({"callbackUrl": "https://hooks.example.com/cb",
  "secret": "MDEyMzQ1Njc4OWFiY2RlZg==", "eventType": "TRANSPORT"})";

class SubscriptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ = std::move(EventIndex::Open(dir_.path() + "/index").value());
    subs_ = std::make_unique<Subscriptions>(*index_);
  }
  shipledger::testing::TempDir dir_;
  std::unique_ptr<EventIndex> index_;
  std::unique_ptr<Subscriptions> subs_;
};

TEST_F(SubscriptionsTest, TheSecretIsKeptButNeverGivenBack) {
  auto made = subs_->Create(Json(kBody));
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const std::string id = made->fields().at("subscriptionID").string_value();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');  // a random (version 4) UUID
  EXPECT_FALSE(made->fields().contains("secret"));
  auto got = subs_->Get(id);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->fields().contains("secret"));
  EXPECT_EQ(got->fields().at("eventType").string_value(), "TRANSPORT");
  for (const auto& listed : subs_->List("", 10)) EXPECT_FALSE(listed.fields().contains("secret"));
  // It is stored, for signing.
  EXPECT_NE(index_->GetSubscription(id)->find("MDEyMzQ1Njc4OWFiY2RlZg=="), std::string::npos);
}

TEST_F(SubscriptionsTest, ChangesKeepTheSecretAndDeletionIsFinal) {
  const std::string id = subs_->Create(Json(kBody))->fields().at("subscriptionID").string_value();
  auto changed = subs_->Update(
      id, Json(R"({"callbackUrl": "https://hooks.example.com/v2", "eventType": "SHIPMENT"})"));
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->fields().at("callbackUrl").string_value(), "https://hooks.example.com/v2");
  EXPECT_NE(index_->GetSubscription(id)->find("MDEyMzQ1Njc4OWFiY2RlZg=="), std::string::npos);
  EXPECT_EQ(subs_->Update(id, Json(kBody)).status().code(), Code::kInvalidArgument);  // secret
  EXPECT_EQ(subs_
                ->Update(id, Json(R"({"callbackUrl": "https://x.example/",
                                      "subscriptionID": "other"})"))
                .status()
                .code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(
      subs_->ResetSecret(id, Json(R"({"secret": "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4"})")).ok());
  EXPECT_NE(index_->GetSubscription(id)->find("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4"),
            std::string::npos);
  EXPECT_EQ(subs_->ResetSecret(id, Json(R"({"secret": "c2hvcnQ="})")).code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(subs_->Delete(id).ok());
  EXPECT_EQ(subs_->Get(id).status().code(), Code::kNotFound);
  EXPECT_EQ(subs_->Update(id, Json(R"({"callbackUrl": "https://x.example/"})")).status().code(),
            Code::kNotFound);
  EXPECT_EQ(subs_->Delete(id).code(), Code::kNotFound);
  EXPECT_EQ(index_->Delivered(id), 0u);
}

TEST_F(SubscriptionsTest, ANewSubscriptionStartsAfterTheEventsAlreadyStored) {
  const v1::GetShipmentResponse journey = interop::testing::SampleJourney();
  for (const auto& entry : journey.timeline()) {
    v1::WatchResponse w;
    w.set_height(entry.height());
    w.set_block_time_ms(entry.block_time_ms());
    *w.mutable_entry() = entry;
    ASSERT_TRUE(index_->Add(w).ok());
  }
  ASSERT_GT(index_->DcsaHead(), 0u);
  const std::string id = subs_->Create(Json(kBody))->fields().at("subscriptionID").string_value();
  EXPECT_EQ(index_->Delivered(id), index_->DcsaHead());
  // Listing pages by id.
  const std::string second =
      subs_->Create(Json(kBody))->fields().at("subscriptionID").string_value();
  const auto all = subs_->List("", 10);
  ASSERT_EQ(all.size(), 2u);
  const auto after_first = subs_->List(all[0].fields().at("subscriptionID").string_value(), 10);
  ASSERT_EQ(after_first.size(), 1u);
  EXPECT_EQ(after_first[0].fields().at("subscriptionID").string_value(),
            std::min(id, second) == all[0].fields().at("subscriptionID").string_value()
                ? std::max(id, second)
                : std::min(id, second));
}

}  // namespace
}  // namespace shipledger::gateway

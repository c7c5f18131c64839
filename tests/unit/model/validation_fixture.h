// Shared fixture of the EventValidator tests (validation_test.cc, validation_certificate_test.cc).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/x509.h"
#include "model/validation.h"
#include "testing/test_network.h"

namespace shipledger::model {
namespace {

using namespace std::string_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// OK iff `r` failed with `code` and a message containing `substr`.
::testing::AssertionResult Rejected(const Result<EventPtr>& r, Code code, std::string_view substr) {
  if (r.ok()) {
    return ::testing::AssertionFailure()
           << "validated; expected " << CodeName(code) << " with '" << substr << "'";
  }
  if (r.status().code() != code || r.status().message().find(substr) == std::string::npos) {
    return ::testing::AssertionFailure() << "got " << r.status().ToString() << "; expected "
                                         << CodeName(code) << " with '" << substr << "'";
  }
  return ::testing::AssertionSuccess();
}

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) ADD_FAILURE() << r.status().ToString();
  return std::move(r).value();
}

crypto::IssueOptions Options(crypto::CertKind kind, const std::string& org, const std::string& cn,
                             int64_t not_before_ms, int64_t not_after_ms) {
  crypto::IssueOptions o;
  o.kind = kind;
  o.organization = org;
  o.common_name = cn;
  o.not_before_ms = not_before_ms;
  o.not_after_ms = not_after_ms;
  static std::atomic<uint64_t> serial{1000};
  o.serial = serial++;
  return o;
}

class EventValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create();
    validator_ = std::make_unique<EventValidator>(net_->genesis());
    opts_.cert_time_ms = now();
  }

  int64_t now() const { return net_->now_ms(); }

  Result<EventPtr> Validate(const v1::SignedEvent& se) const {
    return validator_->Validate(se, opts_);
  }

  // Signs `event` as the admin client of `signer`, co-signed by the admins of `cosigners`.
  // (The event's cosigner_orgs are left as they are.)
  v1::SignedEvent Sign(const v1::Event& event, const std::string& signer,
                       const std::vector<std::string>& cosigners = {}) const {
    std::vector<const config::Identity*> cos;
    for (const auto& c : cosigners) cos.push_back(&net_->org(c).client);
    return net_->Sign(event, net_->org(signer).client, cos);
  }

  // Signs arbitrary `bytes` as an event by `signer`.
  static v1::SignedEvent SignBytes(const Bytes& bytes, const config::Identity& signer) {
    v1::SignedEvent se;
    se.set_event(bytes);
    se.set_signer_cert(signer.cert.der());
    se.set_signature(Must(signer.key.Sign(EventSigningMessage(bytes))));
    return se;
  }

  // A valid booking by the exporter, to be modified by a test.
  v1::Event Booking() const { return net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1"); }

  // A validator over a copy of the test genesis changed by `edit`.
  std::unique_ptr<EventValidator> ValidatorWith(const std::function<void(Genesis&)>& edit) const {
    auto g = std::make_shared<Genesis>(*net_->genesis());
    edit(*g);
    return std::make_unique<EventValidator>(std::move(g));
  }

  // A client identity of `org` issued by its genesis CA, valid in [not_before, not_after].
  config::Identity IssueClient(const std::string& org, int64_t not_before_ms,
                               int64_t not_after_ms) const {
    const auto& o = net_->org(org);
    auto key = Must(crypto::PrivateKey::Generate());
    auto cert = Must(crypto::IssueCertificate(
        o.ca_cert, o.ca_key, key.public_key(),
        Options(crypto::CertKind::kClient, org, "temp", not_before_ms, not_after_ms)));
    return config::Identity{cert, key};
  }

  // An "exporter" admin identity issued by a CA nobody put in the genesis, with the same
  // subject as the exporter's real CA.
  config::Identity IssueUnderForeignCa() const {
    auto ca_key = Must(crypto::PrivateKey::Generate());
    auto ca = Must(crypto::IssueCaCertificate(
        ca_key,
        Options(crypto::CertKind::kCa, "exporter", "exporter CA", now() - kDayMs, now() + kDayMs)));
    auto key = Must(crypto::PrivateKey::Generate());
    auto cert = Must(crypto::IssueCertificate(
        ca, ca_key, key.public_key(),
        Options(crypto::CertKind::kClient, "exporter", "admin", now() - kDayMs, now() + kDayMs)));
    return config::Identity{cert, key};
  }

  std::unique_ptr<testing::TestNetwork> net_;
  std::unique_ptr<EventValidator> validator_;
  ValidateOptions opts_;
};

}  // namespace
}  // namespace shipledger::model

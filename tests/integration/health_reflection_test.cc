// Standard gRPC health checking and server reflection are on, so generic tools work.
// The calls are made with raw protobuf bytes through a GenericStub, as a generic tool would.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "fixture.h"

namespace shipledger::itest {
namespace {

grpc::ByteBuffer Buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string String(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// Runs one completion-queue step and expects it to be `tag` with `ok`.
void Step(grpc::CompletionQueue& cq, intptr_t tag, bool expect_ok = true) {
  void* got = nullptr;
  bool ok = false;
  ASSERT_TRUE(cq.Next(&got, &ok));
  EXPECT_EQ(reinterpret_cast<intptr_t>(got), tag);
  EXPECT_EQ(ok, expect_ok);
}

class HealthReflectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = StartNode(net_, &target_);
    ASSERT_NE(node_, nullptr);
    channel_ = grpc::CreateChannel(target_, net_.credentials());
  }
  void TearDown() override { node_->Stop(); }

  NetworkDir net_;
  std::string target_;
  std::unique_ptr<node::Node> node_;
  std::shared_ptr<grpc::Channel> channel_;
};

// grpc.health.v1.Health/Check for `service` on `channel`; the response bytes in *response.
grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         std::string* response) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  // HealthCheckRequest{service}: field 1, length-delimited.
  const grpc::ByteBuffer request = Buffer(
      service.empty() ? "" : "\x0a" + std::string(1, static_cast<char>(service.size())) + service);
  auto call = stub.PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check", request, &cq);
  call->StartCall();
  grpc::ByteBuffer buffer;
  grpc::Status status;
  call->Finish(&buffer, &status, reinterpret_cast<void*>(1));
  Step(cq, 1);
  if (status.ok()) *response = String(buffer);
  return status;
}

constexpr char kServing[] = "\x08\x01";  // HealthCheckResponse{status: SERVING (1)}

TEST_F(HealthReflectionTest, HealthAnswersForEachOfOurServicesByName) {
  for (const std::string service : {"shipledger.v1.LedgerService", "shipledger.v1.AdminService"}) {
    std::string response;
    const grpc::Status status = HealthCheck(channel_, service, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response, std::string(kServing, 2)) << service;
  }
  std::string response;
  EXPECT_EQ(HealthCheck(channel_, "shipledger.v1.NoSuchService", &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Health and reflection need TLS but no client certificate (rpc/server.h); our services do.
TEST_F(HealthReflectionTest, HealthNeedsNoClientCertificateOurServicesDo) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = model::OrganisationRootsPem(*net_.genesis());
  const auto anonymous = grpc::CreateChannel(target_, grpc::SslCredentials(ssl));
  std::string response;
  const grpc::Status health = HealthCheck(anonymous, "shipledger.v1.LedgerService", &response);
  ASSERT_TRUE(health.ok()) << health.error_message();
  EXPECT_EQ(response, std::string(kServing, 2));
  auto stub = v1::LedgerService::NewStub(anonymous);
  grpc::ClientContext ctx;
  v1::GetChainInfoRequest request;
  v1::ChainInfo info;
  const grpc::Status call = stub->GetChainInfo(&ctx, request, &info);
  EXPECT_EQ(call.error_code(), grpc::StatusCode::UNAUTHENTICATED) << call.error_message();
}

TEST_F(HealthReflectionTest, HealthCheckSaysServing) {
  // HealthCheckRequest{service: ""} is the empty message: the whole server.
  std::string response;
  const grpc::Status status = HealthCheck(channel_, "", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response, std::string(kServing, 2));
}

TEST_F(HealthReflectionTest, ReflectionListsOurServices) {
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  auto call =
      stub.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  call->StartCall(reinterpret_cast<void*>(1));
  Step(cq, 1);
  // ServerReflectionRequest{list_services: ""}: field 7, length-delimited, empty.
  call->Write(Buffer(std::string("\x3a\x00", 2)), reinterpret_cast<void*>(2));
  Step(cq, 2);
  call->WritesDone(reinterpret_cast<void*>(3));
  Step(cq, 3);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(4));
  Step(cq, 4);
  const std::string bytes = String(response);
  EXPECT_NE(bytes.find("shipledger.v1.LedgerService"), std::string::npos);
  EXPECT_NE(bytes.find("shipledger.v1.AdminService"), std::string::npos);
  EXPECT_NE(bytes.find("grpc.health.v1.Health"), std::string::npos);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  Step(cq, 5);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace shipledger::itest

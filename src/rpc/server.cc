#include "rpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>

namespace shipledger::rpc {

Server::Server(Backend* backend, const ServerOptions& options)
    : backend_(backend),
      options_(options),
      auth_(backend->genesis(), backend->clock(), options.insecure, 4096,
            [store = &backend->store()](const std::string& org, ByteView fingerprint) {
              return RevokedAt(*store, org, fingerprint);
            }),
      ledger_(backend, &auth_,
              WatchQuotaOptions{.max_streams = options.max_watchers,
                                .max_streams_per_org = options.max_watchers_per_org},
              options.watch_stall_ms),
      admin_(backend, &auth_) {}

Server::~Server() { Shutdown(0); }

std::shared_ptr<grpc::ServerCredentials> Server::Credentials() const {
  if (options_.insecure) return grpc::InsecureServerCredentials();
  // The TLS layer asks for a client certificate but does not judge it: the Authenticator does,
  // per call, so that a refused client gets UNAUTHENTICATED saying why instead of a failed
  // handshake. The handshake still proves the client holds the certificate's key.
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
  ssl.pem_root_certs = model::OrganisationRootsPem(backend_->genesis());
  ssl.pem_key_cert_pairs.push_back({options_.tls_key_pem, options_.tls_cert_pem});
  return grpc::SslServerCredentials(ssl);
}

Status Server::Start(const std::string& listen) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets a second node bind the same port and take
  // half the calls; a port in use must be an error instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Bounded threads: every call (a Watch stream, a submitter waiting for commit) holds one.
  grpc::ResourceQuota quota("shipledger-rpc");
  quota.SetMaxThreads(options_.max_threads > 0 ? options_.max_threads
                                               : static_cast<int>(options_.max_watchers) + 256);
  builder.SetResourceQuota(quota);
  // Keepalive pings find clients that vanished, so their streams end and free their threads
  // and their Watch quota; a quiet Watch stream sends nothing that would notice otherwise.
  // Pings go on however long the stream has been quiet: no cap on pings without data (newer
  // gRPC ignores that cap for a server's pings; older ones stop after two).
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.AddListeningPort(listen, Credentials(), &port_);
  const int max_bytes = static_cast<int>(backend_->genesis().limits.max_request_bytes);
  builder.SetMaxReceiveMessageSize(max_bytes);
  builder.SetMaxSendMessageSize(64 * 1024 * 1024);
  builder.RegisterService(&ledger_);
  builder.RegisterService(&admin_);
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    server_.reset();
    return Status::Unavailable("cannot listen for gRPC on " + listen +
                               " (port in use or address invalid)");
  }
  // Health answers for the whole server ("") and for each of our services by its full name.
  if (auto* health = server_->GetHealthCheckService(); health != nullptr) {
    for (const char* service : kHealthServices) health->SetServingStatus(service, true);
  }
  return Status::Ok();
}

void Server::SetServing(bool serving) {
  if (server_ && server_->GetHealthCheckService() != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(serving);  // "" and every named service
  }
}

void Server::Shutdown(int grace_ms) {
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(grace_ms));
  server_->Wait();
  server_.reset();
}

}  // namespace shipledger::rpc

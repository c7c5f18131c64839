#include "config/identity.h"

#include <filesystem>

#include "config/files.h"

namespace shipledger::config {
namespace {

std::string Join(const std::string& dir, std::string_view name) {
  return (std::filesystem::path(dir) / name).string();
}

}  // namespace

Result<Identity> LoadIdentity(const std::string& dir) {
  const std::string cert_path = Join(dir, "cert.pem");
  const std::string key_path = Join(dir, "key.pem");
  for (const std::string* path : {&cert_path, &key_path}) {
    if (!internal::PathExists(*path)) {
      return Status::NotFound("no identity in " + dir + ": " +
                              std::filesystem::path(*path).filename().string() + " missing");
    }
  }
  SL_ASSIGN_OR_RETURN(const std::string cert_pem, internal::ReadWholeFile(cert_path));
  SL_ASSIGN_OR_RETURN(const std::string key_pem, internal::ReadWholeFile(key_path));
  auto cert = crypto::Certificate::FromPem(cert_pem);
  if (!cert.ok()) return cert.status().WithContext(cert_path);
  auto key = crypto::PrivateKey::FromPem(key_pem);
  if (!key.ok()) return key.status().WithContext(key_path);
  if (!cert->MatchesKey(*key)) {
    return Status::InvalidArgument("identity in " + dir +
                                   ": key.pem is not the private key of cert.pem");
  }
  return Identity{std::move(cert).value(), std::move(key).value()};
}

Status SaveIdentity(const std::string& dir, const crypto::Certificate& cert,
                    const crypto::PrivateKey& key) {
  const std::string cert_path = Join(dir, "cert.pem");
  const std::string key_path = Join(dir, "key.pem");
  if (internal::PathExists(cert_path) || internal::PathExists(key_path)) {
    return Status::AlreadyExists(dir + " already holds an identity");
  }
  if (!cert.MatchesKey(key)) {
    return Status::InvalidArgument("identity for " + dir +
                                   ": the key is not the certificate's private key");
  }
  // Key first, so that a cert.pem is never seen without its key.
  SL_RETURN_IF_ERROR(internal::WriteFileAtomic(key_path, key.ToPem(), internal::kPrivateFileMode));
  return internal::WriteFileAtomic(cert_path, cert.ToPem(), internal::kPublicFileMode);
}

}  // namespace shipledger::config

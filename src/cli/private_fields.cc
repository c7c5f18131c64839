#include "cli/private_fields.h"

#include <filesystem>

#include "cli/event_builder.h"
#include "cli/output.h"
#include "config/genesis_file.h"
#include "config/identity.h"
#include "crypto/x509.h"

namespace shipledger::cli {

namespace {

namespace fs = std::filesystem;

std::string Parent(const std::string& dir, int levels) {
  fs::path p = fs::path(dir).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // a trailing '/'
  for (int i = 0; i < levels; ++i) p = p.parent_path();
  return p.string();
}

std::vector<std::string> FieldNames(const v1::Event& event) {
  std::vector<std::string> names;
  for (const auto& f : event.private_envelope().fields()) names.push_back(f.name());
  return names;
}

std::vector<std::string> ReaderOrgs(const v1::Event& event) {
  std::vector<std::string> orgs;
  for (const auto& r : event.private_envelope().readers()) orgs.push_back(r.reader_org());
  return orgs;
}

}  // namespace

std::string DefaultGenesisPath(const std::string& identity_dir) {
  return (fs::path(Parent(identity_dir, 3)) / "genesis.yaml").string();
}

std::string DefaultEncryptionKeyPath(const std::string& identity_dir) {
  return (fs::path(Parent(identity_dir, 2)) / "ca" / "encryption_key.pem").string();
}

Status AddPrivateFields(v1::Event* event, const std::vector<std::string>& private_flags,
                        const std::vector<std::string>& readers, const std::string& genesis_path,
                        const v1::ChainInfo& chain) {
  if (event->has_private_envelope()) {
    return Status::InvalidArgument(
        "the event already carries private fields; give them either in the file or with "
        "--private, not both");
  }
  std::vector<model::PrivateValue> fields;
  for (const std::string& text : private_flags) {
    SL_ASSIGN_OR_RETURN(auto kv, ParseKeyValue(text, "--private", "invoice_value=EUR-125000"));
    fields.push_back({kv.first, kv.second});
  }
  auto genesis = config::LoadGenesis(genesis_path);
  if (!genesis.ok()) {
    return genesis.status().WithContext("--genesis " + genesis_path +
                                        " (private fields are sealed for the readers' encryption " +
                                        "keys in the network's genesis.yaml)");
  }
  if ((*genesis)->hash != chain.genesis_hash()) {
    return Status::InvalidArgument("--genesis " + genesis_path + " has hash " +
                                   ToHex((*genesis)->hash) + " but the node's genesis is " +
                                   ToHex(chain.genesis_hash()) +
                                   ": give the network's genesis.yaml with --genesis");
  }
  SL_ASSIGN_OR_RETURN(auto list,
                      model::ReadersFromGenesis(**genesis, event->signer_org(), readers));
  SL_ASSIGN_OR_RETURN(
      model::SealedFields sealed,
      model::Seal(fields, list, event->chain_id(), event->shipment_id(), event->nonce()));
  *event->mutable_private_envelope() = std::move(sealed.envelope);
  return Status::Ok();
}

Result<crypto::PrivateKey> LoadEncryptionKey(const std::string& identity_dir,
                                             const std::string& key_path, const std::string& org) {
  const std::string path = key_path.empty() ? DefaultEncryptionKeyPath(identity_dir) : key_path;
  if (key_path.empty() && !fs::exists(path)) {
    return Status::FailedPrecondition("organisation '" + org +
                                      "' is a reader, but its encryption key is not at " + path +
                                      " (where network init puts it): give --encryption-key FILE");
  }
  auto pem = crypto::ReadFile(path);
  if (!pem.ok()) return pem.status().WithContext("--encryption-key " + path);
  auto key = crypto::PrivateKey::FromPem(*pem);
  if (!key.ok()) return key.status().WithContext("--encryption-key " + path);
  return key;
}

Result<PrivateFieldsView> ViewPrivateFields(const v1::Event& event, const std::string& identity_dir,
                                            const std::string& key_path) {
  PrivateFieldsView view;
  if (!event.has_private_envelope()) {
    view.rows.push_back({"private", "-"});
    return view;
  }
  const std::vector<std::string> names = FieldNames(event);
  const std::string count =
      std::to_string(names.size()) + " private field" + (names.size() == 1 ? "" : "s");
  view.json.SetStrings("names", names);
  view.json.SetStrings("readers", ReaderOrgs(event));
  view.rows.push_back({"readers", Join(ReaderOrgs(event), ", ")});
  if (identity_dir.empty()) {
    view.rows.push_back({"private", count + ", encrypted: " + Join(names, ", ")});
    return view;
  }
  auto identity = config::LoadIdentity(identity_dir);
  if (!identity.ok()) return identity.status().WithContext("--identity " + identity_dir);
  const std::string org = identity->org();
  view.json.Set("organisation", std::string_view(org));
  view.json.SetBool("reader", model::IsReader(event, org));
  if (!model::IsReader(event, org)) {
    view.rows.push_back({"private", count + " (not a reader)"});
    return view;
  }
  SL_ASSIGN_OR_RETURN(const crypto::PrivateKey key, LoadEncryptionKey(identity_dir, key_path, org));
  SL_ASSIGN_OR_RETURN(std::vector<model::OpenedField> opened, model::Open(event, org, key));
  std::vector<google::protobuf::Value> items;
  view.rows.push_back({"private", count + ", decrypted for " + org + ":"});
  for (const model::OpenedField& f : opened) {
    JsonObject item;
    item.Set("name", std::string_view(f.name));
    item.SetBool("commitment_ok", f.status.ok());
    std::string shown = f.value;
    if (model::IsFraud(f.status)) {
      view.fraud = true;
      shown += "   !!! FRAUD: DOES NOT MATCH ITS COMMITMENT IN THE SIGNED EVENT !!!";
      item.Set("value", std::string_view(f.value));
    } else if (!f.status.ok()) {
      view.fraud = true;
      shown = "!!! " + f.status.message() + " !!!";
    } else {
      item.Set("value", std::string_view(f.value));
      item.SetHex("salt", f.salt);
    }
    if (!f.status.ok()) item.Set("error", std::string_view(f.status.message()));
    view.rows.push_back({"  " + f.name, shown});
    items.push_back(item.ToValue());
  }
  view.json.Set("fields", JsonList(items));
  return view;
}

}  // namespace shipledger::cli

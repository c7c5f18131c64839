#include "cli/documents.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "cli/event_builder.h"
#include "cli/output.h"
#include "crypto/sha256.h"
#include "crypto/x509.h"

namespace shipledger::cli {

namespace {

constexpr char kDocExample[] = "commercial_invoice=invoice.pdf";
constexpr size_t kShortHashDigits = 12;

}  // namespace

const std::vector<std::string>& DocumentKinds() {
  static const std::vector<std::string> kKinds = {"bill_of_lading",      "commercial_invoice",
                                                  "packing_list",        "certificate_of_origin",
                                                  "customs_declaration", "inspection_certificate"};
  return kKinds;
}

Status CheckDocumentKind(std::string_view kind) {
  const auto& kinds = DocumentKinds();
  if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) return Status::Ok();
  return Status::InvalidArgument("unknown document kind '" + std::string(kind) +
                                 "'; valid kinds: " + Join(kinds, ", "));
}

Result<std::pair<std::string, std::string>> ParseDocFlag(std::string_view text) {
  SL_ASSIGN_OR_RETURN(auto kv, ParseKeyValue(text, "--doc", kDocExample));
  Status kind = CheckDocumentKind(kv.first);
  if (!kind.ok()) return kind.WithContext("--doc " + std::string(text));
  return kv;
}

Result<Bytes> HashDocumentFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(path + " is a folder, not a document file");
  }
  SL_ASSIGN_OR_RETURN(std::string contents, crypto::ReadFile(path));
  return crypto::Sha256(contents);
}

Status AddDocuments(v1::Event* event, const std::vector<std::string>& doc_flags) {
  std::vector<v1::DocumentHash> documents;
  for (const std::string& flag : doc_flags) {
    SL_ASSIGN_OR_RETURN(auto kv, ParseDocFlag(flag));
    auto hash = HashDocumentFile(kv.second);
    if (!hash.ok()) return hash.status().WithContext("--doc " + flag);
    v1::DocumentHash& document = documents.emplace_back();
    document.set_kind(kv.first);
    document.set_sha256(*hash);
  }
  for (auto& document : documents) *event->add_documents() = std::move(document);
  return Status::Ok();
}

std::string DocumentHashText(ByteView sha256) { return "sha256:" + ToHex(sha256); }

std::string DocumentText(const v1::DocumentHash& document, bool short_hash) {
  std::string hex = ToHex(document.sha256());
  if (short_hash) hex.resize(std::min(hex.size(), kShortHashDigits));
  return document.kind() + "=sha256:" + hex;
}

std::string DocumentsText(const v1::Event& event, bool short_hash) {
  if (event.documents().empty()) return "-";
  std::vector<std::string> texts;
  for (const auto& document : event.documents()) {
    texts.push_back(DocumentText(document, short_hash));
  }
  return Join(texts, ", ");
}

std::vector<DocumentAnchor> FindDocumentAnchors(
    const google::protobuf::RepeatedPtrField<v1::TimelineEntry>& timeline, ByteView sha256) {
  std::vector<DocumentAnchor> anchors;
  for (const v1::TimelineEntry& entry : timeline) {
    for (const v1::DocumentHash& document : entry.event().documents()) {
      if (document.sha256() == sha256) anchors.push_back({&entry, document.kind()});
    }
  }
  return anchors;
}

bool AnchorIsValid(const DocumentAnchor& anchor) {
  return anchor.entry->has_receipt() && anchor.entry->receipt().code() == v1::RESULT_CODE_VALID;
}

}  // namespace shipledger::cli

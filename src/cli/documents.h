// Documents anchored by hash (DESIGN §4, docs/documents.md): the document kinds the CLI
// accepts, the SHA-256 of a document file, the references the CLI prints
// ("commercial_invoice=sha256:<hex>"), and which events of a shipment's timeline anchor a hash.
// The chain holds only kinds and hashes, never the documents.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::cli {

// The document kinds `event submit --doc` and `doc hash --kind` accept, in the order help and
// errors list them.
const std::vector<std::string>& DocumentKinds();

// OK when `kind` is one of DocumentKinds() (exactly, lower case); INVALID_ARGUMENT listing
// them otherwise.
Status CheckDocumentKind(std::string_view kind);

// Splits a `--doc KIND=FILE` flag and checks KIND; the file is not read. INVALID_ARGUMENT with
// an example when there is no '=' or either side is empty, or when KIND is unknown.
Result<std::pair<std::string, std::string>> ParseDocFlag(std::string_view text);

// The SHA-256 (32 raw bytes) of the file at `path`. NOT_FOUND / INTERNAL naming the file when
// it cannot be read; INVALID_ARGUMENT when it is a folder.
Result<Bytes> HashDocumentFile(const std::string& path);

// Appends one DocumentHash per `--doc KIND=FILE` flag to `event`, in order, each file read and
// hashed. The first bad flag or unreadable file is the error (its message names the flag and
// the file), and then `event` is left unchanged.
Status AddDocuments(v1::Event* event, const std::vector<std::string>& doc_flags);

// "sha256:<64 hex>": how the CLI writes a document's hash.
std::string DocumentHashText(ByteView sha256);
// "KIND=sha256:<64 hex>", or with `short_hash` only the first 12 hex digits (tables).
std::string DocumentText(const v1::DocumentHash& document, bool short_hash = false);
// Every document of `event` as DocumentText, joined with ", "; "-" when it has none.
std::string DocumentsText(const v1::Event& event, bool short_hash = false);

// One document of a timeline's event whose hash is the one looked for.
struct DocumentAnchor {
  const v1::TimelineEntry* entry;  // points into the timeline searched
  std::string kind;
};

// The anchors of `sha256` in `timeline`, in timeline order: one per matching document (an
// event anchoring the hash under two kinds appears twice), whatever the event's receipt.
std::vector<DocumentAnchor> FindDocumentAnchors(
    const google::protobuf::RepeatedPtrField<v1::TimelineEntry>& timeline, ByteView sha256);

// Whether an anchor's event counts: its receipt is VALID (not REJECTED, DUPLICATE or missing).
bool AnchorIsValid(const DocumentAnchor& anchor);

}  // namespace shipledger::cli

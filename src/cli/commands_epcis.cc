// `epcis hash`: the CBV 2.0 event hash ID of every event of an EPCIS 2.0 JSON-LD document,
// offline (docs/interop.md).
#include <google/protobuf/util/json_util.h>

#include "cli/commands.h"
#include "cli/json.h"
#include "crypto/x509.h"
#include "interop/epcis_hash.h"
#include "interop/epcis_import.h"
#include "interop/json_fields.h"

namespace shipledger::cli {

namespace {

namespace pb = google::protobuf;

// The longest document `epcis hash` reads.
constexpr size_t kMaxEpcisFileBytes = 64 << 20;

}  // namespace

int RunEpcisHash(const GlobalOptions& global, const EpcisHashOptions& options, const Io& io) {
  auto text = crypto::ReadFile(options.file);
  if (!text.ok()) return ReportError(io, text.status());
  if (text->size() > kMaxEpcisFileBytes) {
    return ReportError(io, Status::InvalidArgument(options.file + " is larger than 64 MiB"));
  }
  pb::Struct doc;
  if (const auto s = pb::util::JsonStringToMessage(*text, &doc); !s.ok()) {
    return ReportError(io, Status::InvalidArgument(options.file + " is not a JSON object: " +
                                                   std::string(s.message())));
  }
  auto events = interop::EpcisEventsOf(doc);
  if (!events.ok()) return ReportError(io, events.status().WithContext(options.file));
  const pb::Value* context = interop::FieldOf(doc, "@context");
  const interop::Namespaces ns = interop::NamespacesOf(context ? *context : pb::Value());

  std::vector<pb::Value> rows;
  int mismatches = 0;
  for (size_t i = 0; i < events->size(); ++i) {
    const pb::Struct& event = *(*events)[i];
    auto pre_hash = interop::EventPreHash(event, ns);
    if (!pre_hash.ok()) {
      return ReportError(
          io, pre_hash.status().WithContext(options.file + ", event " + std::to_string(i + 1)));
    }
    const std::string id = interop::HashIdOfPreHash(*pre_hash);
    const std::string given = interop::TextOf(event, "eventID");
    // Only an eventID that is itself a hash ID of this version can disagree.
    const bool comparable = given.rfind("ni:///sha-256;", 0) == 0 && given.size() > 11 &&
                            given.substr(given.size() - 11) == "?ver=CBV2.0";
    const bool matches = comparable && given == id;
    if (comparable && !matches) ++mismatches;
    if (global.json) {
      JsonObject row;
      row.Set("index", static_cast<uint64_t>(i + 1));
      row.Set("type", std::string_view(interop::TextOf(event, "type")));
      row.Set("event_time", std::string_view(interop::TextOf(event, "eventTime")));
      row.Set("hash_id", std::string_view(id));
      if (given.empty()) {
        row.SetNull("event_id");
      } else {
        row.Set("event_id", std::string_view(given));
      }
      if (comparable) {
        row.SetBool("event_id_matches", matches);
      } else {
        row.SetNull("event_id_matches");
      }
      if (options.pre_hash) row.Set("pre_hash", std::string_view(*pre_hash));
      rows.push_back(row.ToValue());
      continue;
    }
    io.out << (i + 1) << "  " << interop::TextOf(event, "type") << "  "
           << interop::TextOf(event, "eventTime") << "\n  " << id << '\n';
    if (comparable) {
      io.out << (matches ? "  eventID matches\n" : "  eventID DIFFERS: " + given + "\n");
    }
    if (options.pre_hash) io.out << "  pre-hash: " << *pre_hash << '\n';
  }
  if (global.json) {
    JsonObject out;
    out.Set("file", std::string_view(options.file));
    out.Set("events", JsonList(rows));
    out.Set("mismatches", static_cast<uint64_t>(mismatches));
    PrintJson(io.out, out);
  } else if (mismatches > 0) {
    io.out << mismatches << " event(s) carry a CBV 2.0 hash ID as eventID that is not theirs\n";
  }
  return mismatches > 0 ? kExitBroken : kExitOk;
}

}  // namespace shipledger::cli

#include "model/execution.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "crypto/sha256.h"
#include "model/block.h"
#include "shipledger/check.h"

namespace shipledger::model {
namespace {

// Protobuf bytes with deterministic serialization (stable even if maps are added later).
Bytes DeterministicBytes(const v1::ShipmentState& state) {
  Bytes out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    const bool ok = state.SerializeToCodedStream(&coded);
    SHIPLEDGER_CHECK_MSG(ok, "ShipmentState serialization failed");
  }  // the CodedOutputStream flushes into `out` when destroyed
  return out;
}

}  // namespace

Bytes StateWritesDigest(const std::map<std::string, v1::ShipmentState>& writes,
                        const std::map<std::string, std::optional<Bytes>>& records) {
  crypto::Sha256Hasher hasher;
  hasher.Update(kStateDomain);
  for (const auto& [shipment_id, shipment_state] : writes) {
    Bytes record;
    PutLengthPrefixed(&record, shipment_id);
    PutLengthPrefixed(&record, DeterministicBytes(shipment_state));
    hasher.Update(record);
  }
  // Absent under rules v1, so their digests are unchanged (docs/contracts.md).
  if (!records.empty()) {
    hasher.Update(kRecordsDomain);
    for (const auto& [key, value] : records) {
      Bytes entry;
      PutLengthPrefixed(&entry, key);
      entry.push_back(value.has_value() ? '\x01' : '\x00');
      if (value.has_value()) PutLengthPrefixed(&entry, *value);
      hasher.Update(entry);
    }
  }
  return hasher.Finish();
}

}  // namespace shipledger::model

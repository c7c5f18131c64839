#include "interop/ledger_types.h"

#include <algorithm>
#include <array>

#include "interop/cbv.h"
#include "model/enum_names.h"

namespace shipledger::interop {

namespace {

using T = v1::EventType;

// docs/interop.md, "Mapping": keep the two in step.
constexpr std::array<TypeMapping, 24> kAll = {{
    {T::EVENT_TYPE_BOOKED, "booking", false, "", "SHIPMENT", "CONF", "BKG"},
    {T::EVENT_TYPE_PICKUP, "pickup", false, "in_transit", "EQUIPMENT", "PICK", ""},
    {T::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, "export_customs_declared", false, "in_progress",
     "SHIPMENT", "SUBM", "CUS"},
    {T::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, "export_customs_cleared", false, "", "SHIPMENT", "APPR",
     "CUS"},
    {T::EVENT_TYPE_EXPORT_CUSTOMS_HELD, "export_customs_held", false, "", "SHIPMENT", "HOLD",
     "CUS"},
    {T::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, "export_customs_released", false, "", "SHIPMENT",
     "RELS", "CUS"},
    {T::EVENT_TYPE_HANDOVER, "accepting", true, "in_transit", "EQUIPMENT", "GTIN", ""},
    {T::EVENT_TYPE_LOADED, "loading", true, "in_transit", "EQUIPMENT", "LOAD", ""},
    {T::EVENT_TYPE_DEPARTED, "departing", true, "in_transit", "TRANSPORT", "DEPA", ""},
    {T::EVENT_TYPE_ARRIVED, "arriving", true, "in_transit", "TRANSPORT", "ARRI", ""},
    {T::EVENT_TYPE_DISCHARGED, "unloading", true, "in_transit", "EQUIPMENT", "DISC", ""},
    {T::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, "import_customs_declared", false, "in_progress",
     "SHIPMENT", "SUBM", "CUS"},
    {T::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED, "import_customs_cleared", false, "", "SHIPMENT", "APPR",
     "CUS"},
    {T::EVENT_TYPE_IMPORT_CUSTOMS_HELD, "import_customs_held", false, "", "SHIPMENT", "HOLD",
     "CUS"},
    {T::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, "import_customs_released", false, "", "SHIPMENT",
     "RELS", "CUS"},
    {T::EVENT_TYPE_DUTIES_PAID, "duties_paid", false, "", "", "", ""},
    {T::EVENT_TYPE_INSPECTION, "inspecting", true, "", "EQUIPMENT", "INSP", ""},
    {T::EVENT_TYPE_SENSOR_READINGS, "sensor_reporting", true, "", "", "", ""},
    {T::EVENT_TYPE_OUT_FOR_DELIVERY, "out_for_delivery", false, "in_transit", "EQUIPMENT", "GTOT",
     ""},
    {T::EVENT_TYPE_DELIVERED, "receiving", true, "", "EQUIPMENT", "DROP", ""},
    {T::EVENT_TYPE_EXCEPTION, "exception", false, "", "", "", ""},
    {T::EVENT_TYPE_RETURN_REQUESTED, "return_requested", false, "", "", "", ""},
    {T::EVENT_TYPE_RETURN_PICKED_UP, "return_picked_up", false, "returned", "EQUIPMENT", "PICK",
     ""},
    {T::EVENT_TYPE_RETURNED, "returned", false, "returned", "EQUIPMENT", "DROP", ""},
}};

constexpr std::string_view kBizStepPrefix = "BizStep-";

bool IsUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Under(std::string_view path, std::string_view name) {
  std::string out(kLedgerNamespace);
  out += path;
  out += '/';
  out += PercentEncode(name);
  return out;
}

}  // namespace

std::span<const TypeMapping> TypeMappings() { return kAll; }

const TypeMapping* MappingOf(v1::EventType type) {
  for (const auto& m : kAll) {
    if (m.type == type) return &m;
  }
  return nullptr;
}

std::string BizStepOf(const TypeMapping& mapping) {
  if (mapping.cbv_biz_step) return std::string(mapping.biz_step);
  return std::string(kLedgerNamespace) + std::string(kBizStepPrefix) +
         std::string(mapping.biz_step);
}

const TypeMapping* MappingOfBizStep(std::string_view biz_step) {
  const std::string web = CbvUrnToWebUri(biz_step);
  for (const auto& m : kAll) {
    if (m.cbv_biz_step) {
      if (biz_step == m.biz_step || web == ExpandBareWord(Vocabulary::kBizStep, m.biz_step)) {
        return &m;
      }
    } else if (biz_step == BizStepOf(m)) {
      return &m;
    }
  }
  return nullptr;
}

std::string WhyNoEpcisForm(v1::EventType type) {
  const std::string name = model::EventTypeName(type);
  if (type == T::EVENT_TYPE_ERROR_DECLARATION) {
    return name + " is the errorDeclaration of the event it declares erroneous";
  }
  return name + " is the network's bookkeeping, not a visibility event";
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
  return out;
}

bool IsPrintableUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 || b == 0x7f) return false;
    size_t n = 0;
    uint32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xe0) == 0xc0) {
      n = 1;
      cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      n = 2;
      cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, surrogates and code points beyond U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
        (cp >= 0x80 && cp < 0xa0)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = HexValue(text[i + 1]);
    const int lo = HexValue(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (!IsPrintableUtf8(out)) return std::nullopt;
  return out;
}

bool IsAbsoluteUri(std::string_view text) {
  const bool scheme =
      text.starts_with("urn:") || text.starts_with("https://") || text.starts_with("http://");
  return scheme && std::none_of(text.begin(), text.end(), [](char c) {
           const auto b = static_cast<unsigned char>(c);
           return b <= 0x20 || b == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' ||
                  c == '{' || c == '}' || c == '|' || c == '^' || c == '`';
         });
}

std::string OrgUri(std::string_view org) { return Under("org", org); }
std::string LocationUri(std::string_view unlocode) { return Under("unlocode", unlocode); }
std::string DeviceUri(std::string_view device_id) {
  return IsAbsoluteUri(device_id) ? std::string(device_id) : Under("device", device_id);
}
std::string ReferenceUri(std::string_view kind, std::string_view value) {
  if (IsAbsoluteUri(value)) return std::string(value);
  return Under("bt/" + std::string(kind), value);
}

}  // namespace shipledger::interop

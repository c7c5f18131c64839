#include "cli/views_contract.h"

#include <cstdio>

#include "cli/output.h"
#include "model/units.h"
#include "shipledger/bytes.h"

namespace shipledger::cli {

namespace {

using model::FormatDuration;
using model::FormatMilliC;

std::string ShortId(const std::string& id) { return ToHex(id).substr(0, 16); }

std::string LegName(uint32_t leg, bool reverse) {
  return std::string(reverse ? "return leg " : "leg ") + std::to_string(leg);
}

std::string ModeName(v1::TransportMode mode) {
  return EnumName(v1::TransportMode_descriptor(), mode);
}

std::string LegStatusName(v1::LegStatus status) {
  return EnumName(v1::LegStatus_descriptor(), status);
}

// "assigned carrier-x, offer O, EUR 1200.00", "open: why", "named carrier-y".
std::string LegDeal(const v1::Leg& leg, const std::string& currency) {
  if (leg.carrier().empty()) {
    return leg.open_reason().empty() ? "open" : "open: " + leg.open_reason();
  }
  std::string text = leg.carrier();
  if (!leg.offer_id().empty()) {
    text += " (offer " + leg.offer_id() + ", " + FormatPrice(leg.price_minor(), currency) + ")";
  }
  return text;
}

void PrintLegs(std::ostream& out, const char* title,
               const google::protobuf::RepeatedPtrField<v1::Leg>& legs, uint32_t current,
               const std::string& currency) {
  if (legs.empty()) return;
  out << '\n' << title << '\n';
  TextTable table;
  table.AddRow({"LEG", "MODE", "ROUTE", "STATUS", "CARRIER"});
  for (int i = 0; i < legs.size(); ++i) {
    const v1::Leg& leg = legs[i];
    const uint32_t n = static_cast<uint32_t>(i + 1);
    std::string mode = ModeName(leg.plan().mode());
    if (leg.plan().temperature_controlled()) mode += " cold";
    if (leg.plan().dangerous_goods()) mode += " dg";
    table.AddRow({std::to_string(n) + (n == current ? "*" : ""), mode,
                  leg.plan().origin() + "→" + leg.plan().destination(), LegStatusName(leg.status()),
                  LegDeal(leg, currency)});
  }
  table.Print(out, "  ");
}

void PrintColdChain(std::ostream& out, const v1::ShipmentState& s) {
  if (!s.has_cold_chain()) return;
  const v1::ColdChainTerms& c = s.cold_chain();
  out << "\ncold chain " << FormatMilliC(c.min_milli_c()) << " .. " << FormatMilliC(c.max_milli_c())
      << ", tolerance " << FormatDuration(c.tolerance_ms()) << ", out of range "
      << FormatDuration(s.out_of_range_ms()) << '\n';
  if (!s.segments().empty()) {
    TextTable table;
    table.AddRow({"STRETCH", "CUSTODIAN", "FROM", "READINGS", "MIN", "MAX", "OUT OF RANGE"});
    for (const v1::CustodySegment& g : s.segments()) {
      const bool any = g.readings() > 0;
      table.AddRow({g.leg() == 0 ? "-" : LegName(g.leg(), g.reverse()), g.custodian(),
                    FormatTimeMs(g.from_ms()), std::to_string(g.readings()),
                    any ? FormatMilliC(g.min_milli_c()) : "-",
                    any ? FormatMilliC(g.max_milli_c()) : "-",
                    FormatDuration(g.out_of_range_ms())});
    }
    table.Print(out, "  ");
  }
  if (s.excursion()) {
    out << "  EXCURSION: " << FormatDuration(s.out_of_range_ms()) << " out of range exceeds the "
        << FormatDuration(c.tolerance_ms()) << " tolerance\n";
  }
}

void PrintReturns(std::ostream& out, const v1::ShipmentState& s) {
  if (s.has_return_terms()) {
    const v1::ReturnTerms& r = s.return_terms();
    std::vector<std::string> parts = {"window " + FormatDuration(r.window_ms())};
    parts.push_back("reasons " +
                    (r.allowed_reasons().empty()
                         ? std::string("any")
                         : Join({r.allowed_reasons().begin(), r.allowed_reasons().end()}, ", ")));
    parts.push_back("condition " +
                    (r.condition_required().empty() ? "any" : r.condition_required()));
    if (!r.payer().empty()) parts.push_back("paid by " + r.payer());
    if (!r.return_address().empty()) parts.push_back("to " + r.return_address());
    out << "\nreturn terms: " << Join(parts, "; ") << '\n';
  }
  for (const v1::ReturnRecord& r : s.returns()) {
    out << "  return requested " << FormatTimeMs(r.requested_at_ms()) << " (" << r.reason()
        << (r.condition().empty() ? "" : ", " + r.condition())
        << "): " << (r.approved() ? "APPROVED" : "REJECTED: " + r.decision()) << '\n';
  }
}

}  // namespace

// Printed with snprintf rather than string concatenation: GCC 12 at -O3 reports a false
// -Wrestrict on `"-" + std::to_string(...)` (GCC PR 105329). The magnitude is unsigned so
// INT64_MIN prints too.
std::string FormatPrice(int64_t minor, const std::string& currency) {
  const uint64_t magnitude =
      minor < 0 ? uint64_t{0} - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  char text[32];
  std::snprintf(text, sizeof text, "%s%llu.%02llu", minor < 0 ? "-" : "",
                static_cast<unsigned long long>(magnitude / 100),
                static_cast<unsigned long long>(magnitude % 100));
  return currency.empty() ? std::string(text) : currency + " " + text;
}

std::string ContractOutputText(const v1::ContractOutput& o) {
  const std::string leg = LegName(o.leg(), o.reverse());
  switch (o.kind()) {
    case v1::ContractOutput::KIND_LEG_ASSIGNED: {
      std::string text = "→ " + leg + " assigned to " + o.carrier();
      if (!o.offer_id().empty()) {
        text += " (offer " + o.offer_id() + ", " + FormatPrice(o.price_minor()) + ")";
      } else if (!o.reason().empty()) {
        text += " (" + o.reason() + ")";
      }
      if (!o.shipment_id().empty()) text += " [" + o.shipment_id() + "]";
      return text;
    }
    case v1::ContractOutput::KIND_LEG_OPEN:
      return "→ " + leg + " open: " + o.reason();
    case v1::ContractOutput::KIND_RETURN_APPROVED:
      return "→ return approved" + (o.reason().empty() ? "" : ": " + o.reason());
    case v1::ContractOutput::KIND_RETURN_REJECTED:
      return "→ return rejected: " + o.reason();
    case v1::ContractOutput::KIND_EXCURSION:
      return "→ EXCURSION: " + o.reason();
    case v1::ContractOutput::KIND_EVENT_ERRONEOUS:
      return "→ event " + ShortId(o.event_id()) + " declared erroneous: " + o.reason();
    default:
      return "→ " + EnumName(v1::ContractOutput::Kind_descriptor(), o.kind());
  }
}

std::string WatchAlertLine(const v1::ContractOutput& alert) {
  return "ALERT excursion " + alert.shipment_id() + ": " + alert.reason();
}

google::protobuf::Value ContractOutputsJson(const v1::Receipt& receipt) {
  std::vector<google::protobuf::Value> items;
  for (const auto& o : receipt.outputs()) items.push_back(MessageToJsonValue(o));
  return JsonList(items);
}

const v1::ErrorMark* FindErrorMark(const v1::ShipmentState& state, const std::string& event_id) {
  for (const v1::ErrorMark& mark : state.errors()) {
    if (mark.event_id() == event_id) return &mark;
  }
  return nullptr;
}

std::string ErroneousText(const v1::ErrorMark& mark) {
  std::string text = "ERRONEOUS: " + mark.reason();
  if (!mark.corrective_event_ids().empty()) {
    std::vector<std::string> ids;
    for (const auto& id : mark.corrective_event_ids()) ids.push_back(ShortId(id));
    text += "; corrected by " + Join(ids, ", ");
  }
  return text;
}

std::vector<std::string> TimelineNotes(const v1::TimelineEntry& entry,
                                       const v1::ShipmentState& state) {
  std::vector<std::string> notes;
  if (const v1::ErrorMark* mark = FindErrorMark(state, entry.event_id())) {
    notes.push_back(ErroneousText(*mark));
  }
  for (const auto& o : entry.receipt().outputs()) notes.push_back(ContractOutputText(o));
  return notes;
}

void PrintContractState(std::ostream& out, const v1::ShipmentState& s) {
  if (!s.consignee().empty()) out << "consignee " << s.consignee() << '\n';
  PrintLegs(out, "route", s.legs(), s.current_leg(), s.currency());
  PrintLegs(out, "return route", s.return_legs(), s.current_return_leg(), s.currency());
  PrintColdChain(out, s);
  PrintReturns(out, s);
  if (!s.errors().empty()) {
    out << "\nerrors\n";
    for (const v1::ErrorMark& mark : s.errors()) {
      out << "  event " << ShortId(mark.event_id()) << " at height " << mark.height() << ": "
          << ErroneousText(mark) << '\n';
    }
  }
}

}  // namespace shipledger::cli

// The flags of `event submit` that build the structured payloads read by contract rules v2
// (booking terms, sensor readings, carrier offers, leg reassignments, return requests, error
// declarations), and the parsers of their values. Every error is INVALID_ARGUMENT naming the
// flag and showing the accepted form.
// Thread-safety: free functions and value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace CLI {
class App;
}  // namespace CLI

namespace shipledger::cli {

// The payload flags as typed; empty (or false) when not given.
struct ContractFlags {
  // booked
  std::string consignee;
  std::vector<std::string> legs;             // ORIGIN:DEST:MODE[:CARRIER|open][:cold][:dg]
  std::vector<std::string> latest_arrivals;  // LEG=TIME
  std::string match;                         // cheapest | first
  std::string currency;                      // also carrier_offer
  std::string temp_range;                    // MIN:MAX in °C
  std::string tolerance;                     // DURATION
  std::string return_window;                 // DURATION
  std::vector<std::string> return_reasons;
  std::string return_condition;
  std::string return_payer;
  std::string return_address;
  // sensor_readings
  std::vector<std::string> readings;  // TIME,VALUE,UNIT,DEVICE
  std::string readings_file;          // CSV of the same columns
  // carrier_offer
  std::vector<std::string> modes;
  std::vector<std::string> lanes;  // ORIGIN:DEST
  bool cold_chain = false;
  bool dangerous_goods = false;
  std::string price;        // minor units
  std::string valid_from;   // TIME or +DURATION
  std::string valid_until;  // TIME or +DURATION
  // leg_reassignment
  std::string leg_number;
  bool reverse = false;
  std::string carrier;  // ORG or "open"
  // return_requested (reason also error_declaration)
  std::string reason;
  std::string condition;
  // error_declaration
  std::string erroneous_event;  // hex id
  std::vector<std::string> corrective;
  // certificate_revocation (reason too)
  std::string fingerprint;  // 64 hex digits, colons allowed (openssl x509 -fingerprint -sha256)
};

// Registers the flags on `cmd` (event submit), writing into `flags`.
void AddContractOptions(CLI::App* cmd, ContractFlags* flags);

// True when any payload flag was given.
bool AnyContractFlag(const ContractFlags& flags);

// Sets the payload of `event` (whose type is set) from `flags`. `now_ms` anchors "+DURATION"
// validity times. INVALID_ARGUMENT when a given flag does not belong to the event's type (the
// message names the type and the types the flag is for), a value is malformed, a required flag
// of the type is missing (leg_reassignment: --leg-number and --carrier; error_declaration:
// --erroneous-event and --reason; certificate_revocation: --fingerprint, and the shipment id
// defaults to revocation-FINGERPRINT); the file's error (e.g. NOT_FOUND) naming --readings-file
// when it cannot be read.
Status ApplyContractFlags(const ContractFlags& flags, int64_t now_ms, v1::Event* event);

// "30m", "2h", "45s", "30d", "1500ms", "1h30m" -> milliseconds. INVALID_ARGUMENT naming `flag`
// when empty, without a unit, or with an unknown unit.
Result<int64_t> ParseDurationMs(std::string_view text, std::string_view flag);

// A decimal with at most three decimals ("2", "-0.5", "8.125") in thousandths: 2000, -500,
// 8125. INVALID_ARGUMENT naming `flag` otherwise.
Result<int64_t> ParseMilli(std::string_view text, std::string_view flag);

// road | rail | sea | air (any case).
Result<v1::TransportMode> ParseTransportMode(std::string_view text, std::string_view flag);

// ORIGIN:DEST:MODE[:CARRIER|open][:cold][:dg].
Result<v1::LegPlan> ParseLegPlan(std::string_view text);

// TIME,VALUE,UNIT,DEVICE: TIME as ParseTime, VALUE a decimal in UNIT (C or F).
Result<v1::SensorReading> ParseReading(std::string_view text);

// Readings, one per line in the columns of ParseReading; blank lines, lines starting with '#'
// and a first line starting with "time" (a header) are skipped. Errors name `name` and the line.
Result<std::vector<v1::SensorReading>> ParseReadingsCsv(std::string_view text,
                                                        std::string_view name);

// A time as ParseTime, or "+DURATION" after `now_ms`.
Result<int64_t> ParseTimeOrOffset(std::string_view text, std::string_view flag, int64_t now_ms);

}  // namespace shipledger::cli

// `event submit` flags of the contract rules v2 payloads (cli/contract_flags.h).
#include <CLI/CLI.hpp>

#include "cli/contract_flags.h"

namespace shipledger::cli {

void AddContractOptions(CLI::App* cmd, ContractFlags* f) {
  const std::string booked = "booked: ";
  cmd->add_option("--consignee", f->consignee,
                  booked + "organisation receiving the goods (may request returns)");
  cmd->add_option(
         "--leg", f->legs,
         booked +
             "route leg ORIGIN:DEST:MODE[:CARRIER|open][:cold][:dg], MODE road|rail|sea|"
             "air; no carrier or 'open' = matched to a carrier offer; repeatable, in order")
      ->allow_extra_args(false);
  cmd->add_option("--latest-arrival", f->latest_arrivals,
                  booked +
                      "LEG=TIME: the leg (from 1) must arrive by TIME (ISO-8601 or Unix ms); "
                      "only offers valid until then match it; repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--match", f->match, booked + "how open legs pick an offer: cheapest | first");
  cmd->add_option("--currency", f->currency,
                  "booked, carrier_offer: ISO 4217 currency (booked: open legs match only offers "
                  "in it)");
  cmd->add_option("--temp-range", f->temp_range,
                  booked + "cold chain MIN:MAX in °C, e.g. 2:8 or -25:-18.5");
  cmd->add_option("--tolerance", f->tolerance,
                  booked + "total time out of --temp-range allowed, e.g. 30m, 2h, 45s");
  cmd->add_option("--return-window", f->return_window,
                  booked + "returns accepted for this long after delivery, e.g. 30d");
  cmd->add_option("--return-reason", f->return_reasons,
                  booked + "an accepted return reason (default: any); repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--return-condition", f->return_condition,
                  booked + "the condition returned goods must be in (default: any)");
  cmd->add_option("--return-payer", f->return_payer, booked + "organisation paying for returns");
  cmd->add_option("--return-address", f->return_address, booked + "UN/LOCODE the goods go back to");
  cmd->add_option("--reading", f->readings,
                  "sensor_readings: TIME,VALUE,UNIT,DEVICE (TIME ISO-8601 or Unix ms, UNIT C or "
                  "F); repeatable, in time order")
      ->allow_extra_args(false);
  cmd->add_option("--readings-file", f->readings_file,
                  "sensor_readings: CSV file of TIME,VALUE,UNIT,DEVICE lines");
  cmd->add_option("--mode", f->modes, "carrier_offer: transport mode served; repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--lane", f->lanes,
                  "carrier_offer: lane ORIGIN:DEST, each a country (DE) or UN/LOCODE (NLRTM); "
                  "repeatable")
      ->allow_extra_args(false);
  cmd->add_flag("--cold-chain", f->cold_chain, "carrier_offer: can carry cold-chain goods");
  cmd->add_flag("--dangerous-goods", f->dangerous_goods,
                "carrier_offer: can carry dangerous goods");
  cmd->add_option("--price", f->price, "carrier_offer: price per leg in minor units (cents)");
  cmd->add_option("--valid-from", f->valid_from,
                  "carrier_offer: valid from TIME (ISO-8601, Unix ms) or +DURATION from now");
  cmd->add_option("--valid-until", f->valid_until,
                  "carrier_offer: valid until TIME (ISO-8601, Unix ms) or +DURATION from now");
  cmd->add_option("--leg-number", f->leg_number, "leg_reassignment: the leg, from 1");
  cmd->add_flag("--reverse", f->reverse, "leg_reassignment: a leg of the return route");
  cmd->add_option("--carrier", f->carrier,
                  "leg_reassignment: the new carrier organisation, or 'open' to reopen the leg");
  cmd->add_option("--reason", f->reason,
                  "return_requested, error_declaration, certificate_revocation: why");
  cmd->add_option("--condition", f->condition, "return_requested: the goods' condition");
  cmd->add_option("--erroneous-event", f->erroneous_event,
                  "error_declaration: id of the signer organisation's event declared erroneous");
  cmd->add_option("--corrective", f->corrective,
                  "error_declaration: id of an event that corrects it; repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--fingerprint", f->fingerprint,
                  "certificate_revocation (by an admin, OU=admin): the SHA-256 fingerprint of the "
                  "organisation's certificate to revoke, as identity issue prints it; the "
                  "shipment id defaults to revocation-FINGERPRINT");
}

}  // namespace shipledger::cli

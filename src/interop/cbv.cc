#include "interop/cbv.h"

#include <algorithm>
#include <array>
#include <span>
#include <utility>

namespace shipledger::interop {

namespace {

constexpr std::array<std::string_view, 41> kBizSteps = {"accepting",
                                                        "arriving",
                                                        "assembling",
                                                        "collecting",
                                                        "commissioning",
                                                        "consigning",
                                                        "creating_class_instance",
                                                        "cycle_counting",
                                                        "decommissioning",
                                                        "departing",
                                                        "destroying",
                                                        "disassembling",
                                                        "dispensing",
                                                        "encoding",
                                                        "entering_exiting",
                                                        "holding",
                                                        "inspecting",
                                                        "installing",
                                                        "killing",
                                                        "loading",
                                                        "other",
                                                        "packing",
                                                        "picking",
                                                        "receiving",
                                                        "removing",
                                                        "repackaging",
                                                        "repairing",
                                                        "replacing",
                                                        "reserving",
                                                        "retail_selling",
                                                        "shipping",
                                                        "staging_outbound",
                                                        "stock_taking",
                                                        "stocking",
                                                        "storing",
                                                        "transporting",
                                                        "unloading",
                                                        "unpacking",
                                                        "void_shipping",
                                                        "sensor_reporting",
                                                        "sampling"};
constexpr std::array<std::string_view, 33> kDispositions = {"active",
                                                            "container_closed",
                                                            "damaged",
                                                            "destroyed",
                                                            "dispensed",
                                                            "disposed",
                                                            "encoded",
                                                            "expired",
                                                            "in_progress",
                                                            "in_transit",
                                                            "inactive",
                                                            "no_pedigree_match",
                                                            "non_sellable_other",
                                                            "partially_dispensed",
                                                            "recalled",
                                                            "reserved",
                                                            "retail_sold",
                                                            "returned",
                                                            "sellable_accessible",
                                                            "sellable_not_accessible",
                                                            "stolen",
                                                            "unknown",
                                                            "available",
                                                            "completeness_verified",
                                                            "completeness_inferred",
                                                            "conformant",
                                                            "container_open",
                                                            "mismatch_instance",
                                                            "mismatch_class",
                                                            "mismatch_quantity",
                                                            "needs_replacement",
                                                            "non_conformant",
                                                            "unavailable"};
constexpr std::array<std::string_view, 12> kBizTransactionTypes = {
    "bol", "cert",      "desadv", "inv", "pedigree", "po",
    "poc", "prodorder", "recadv", "rma", "testprd",  "testres"};
constexpr std::array<std::string_view, 3> kSourceDestinationTypes = {
    "owning_party", "possessing_party", "location"};
constexpr std::array<std::string_view, 2> kErrorReasons = {"did_not_occur", "incorrect_data"};
// Sensor measurement types of CBV 2.0 and the two sensor alerts.
constexpr std::array<std::string_view, 74> kMeasurements = {"AbsoluteHumidity",
                                                            "AbsorbedDose",
                                                            "AbsorbedDoseRate",
                                                            "Acceleration",
                                                            "Activity",
                                                            "Altitude",
                                                            "AmountOfSubstance",
                                                            "AmountOfSubstancePerUnitVolume",
                                                            "Angle",
                                                            "AngularAcceleration",
                                                            "AngularMomentum",
                                                            "AngularVelocity",
                                                            "Area",
                                                            "Capacitance",
                                                            "Conductance",
                                                            "Conductivity",
                                                            "Count",
                                                            "Density",
                                                            "Dimensionless",
                                                            "DoseEquivalent",
                                                            "DoseEquivalentRate",
                                                            "DynamicViscosity",
                                                            "ElectricCharge",
                                                            "ElectricCurrent",
                                                            "ElectricCurrentDensity",
                                                            "ElectricFieldStrength",
                                                            "Energy",
                                                            "Exposure",
                                                            "Force",
                                                            "Frequency",
                                                            "Illuminance",
                                                            "Inductance",
                                                            "Irradiance",
                                                            "KinematicViscosity",
                                                            "Length",
                                                            "LinearMomentum",
                                                            "Luminance",
                                                            "LuminousFlux",
                                                            "LuminousIntensity",
                                                            "MagneticFlux",
                                                            "MagneticFluxDensity",
                                                            "MagneticVectorPotential",
                                                            "Mass",
                                                            "MassConcentration",
                                                            "MassFlowRate",
                                                            "MassPerAreaTime",
                                                            "MemoryCapacity",
                                                            "MolalityOfSolute",
                                                            "MolarEnergy",
                                                            "MolarMass",
                                                            "MolarVolume",
                                                            "Power",
                                                            "Pressure",
                                                            "RadiantFlux",
                                                            "RadiantIntensity",
                                                            "RelativeHumidity",
                                                            "Resistance",
                                                            "Resistivity",
                                                            "SolidAngle",
                                                            "SpecificVolume",
                                                            "Speed",
                                                            "SurfaceDensity",
                                                            "SurfaceTension",
                                                            "Temperature",
                                                            "Time",
                                                            "Torque",
                                                            "Voltage",
                                                            "Volume",
                                                            "VolumeFlowRate",
                                                            "VolumeFraction",
                                                            "VolumetricFlux",
                                                            "Wavenumber",
                                                            "ALARM_CONDITION",
                                                            "ERROR_CONDITION"};
constexpr std::array<std::string_view, 15> kComponents = {"x",
                                                          "y",
                                                          "z",
                                                          "axial_distance",
                                                          "azimuth",
                                                          "height",
                                                          "spherical_radius",
                                                          "polar_angle",
                                                          "elevation_angle",
                                                          "easting",
                                                          "northing",
                                                          "latitude",
                                                          "longitude",
                                                          "altitude",
                                                          "geocoordinate"};

// Each vocabulary's bare words and the prefix that makes a word its URI.
struct VocabularyTable {
  Vocabulary vocabulary;
  std::span<const std::string_view> words;
  std::string_view prefix;
};

constexpr std::array<VocabularyTable, 7> kTables = {{
    {Vocabulary::kBizStep, kBizSteps, "https://ref.gs1.org/cbv/BizStep-"},
    {Vocabulary::kDisposition, kDispositions, "https://ref.gs1.org/cbv/Disp-"},
    {Vocabulary::kBizTransactionType, kBizTransactionTypes, "https://ref.gs1.org/cbv/BTT-"},
    {Vocabulary::kSourceDestinationType, kSourceDestinationTypes, "https://ref.gs1.org/cbv/SDT-"},
    {Vocabulary::kErrorReason, kErrorReasons, "https://ref.gs1.org/cbv/ER-"},
    {Vocabulary::kMeasurement, kMeasurements, "https://ref.gs1.org/voc/"},
    {Vocabulary::kComponent, kComponents, "https://ref.gs1.org/cbv/Comp-"},
}};

// The table of `vocabulary` when `word` is one of its bare words; nullptr otherwise.
const VocabularyTable* TableHolding(Vocabulary vocabulary, std::string_view word) {
  for (const VocabularyTable& table : kTables) {
    if (table.vocabulary != vocabulary) continue;
    const bool held = std::find(table.words.begin(), table.words.end(), word) != table.words.end();
    return held ? &table : nullptr;
  }
  return nullptr;  // kNone
}

}  // namespace

bool IsBareWord(Vocabulary vocabulary, std::string_view word) {
  return TableHolding(vocabulary, word) != nullptr;
}

std::optional<std::string> ExpandBareWord(Vocabulary vocabulary, std::string_view word) {
  const VocabularyTable* table = TableHolding(vocabulary, word);
  if (table == nullptr) return std::nullopt;
  return std::string(table->prefix) + std::string(word);
}

std::string CbvUrnToWebUri(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kUrns = {{
      {"urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"},
      {"urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"},
      {"urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"},
      {"urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"},
      {"urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"},
  }};
  std::string out(text);
  for (const auto& [urn, web] : kUrns) {
    for (size_t at = out.find(urn); at != std::string::npos; at = out.find(urn, at + web.size())) {
      out.replace(at, urn.size(), web);
    }
  }
  return out;
}

}  // namespace shipledger::interop

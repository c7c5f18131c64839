#include "cli/json.h"

#include <gtest/gtest.h>

#include "shipledger/v1/types.pb.h"

namespace shipledger::cli {
namespace {

TEST(MessageToJsonValue, PrintsBytesAsHexAndEnumsByName) {
  v1::Receipt r;
  r.set_event_id(std::string("\x01\xab", 2));
  r.set_height(7);
  r.set_code(v1::RESULT_CODE_VALID);
  const std::string json = RenderJson(MessageToJsonValue(r), /*one_line=*/true);
  EXPECT_NE(json.find("\"event_id\":\"01ab\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"code\":\"VALID\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"height\":7"), std::string::npos) << json;
  EXPECT_NE(json.find("\"reason\":\"\""), std::string::npos) << json;
}

TEST(MessageToJsonValue, EventTypesAreSnakeCaseAndTimesGetIso) {
  v1::Event e;
  e.set_type(v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED);
  e.set_occurred_at_ms(1795082400000);
  const std::string json = RenderJson(MessageToJsonValue(e), true);
  EXPECT_NE(json.find("\"type\":\"export_customs_cleared\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"occurred_at\":\"2026-11-19T10:00:00Z\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"occurred_at_ms\":1795082400000"), std::string::npos) << json;
}

TEST(MessageToJsonValue, SignedEventShowsItsIdAndDecodedEvent) {
  v1::Event e;
  e.set_shipment_id("SHP-7");
  v1::SignedEvent se;
  se.set_event(e.SerializeAsString());
  const std::string json = RenderJson(MessageToJsonValue(se), true);
  EXPECT_NE(json.find("\"event_id\":\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"shipment_id\":\"SHP-7\""), std::string::npos) << json;
}

TEST(JsonObject, RendersNestedDocuments) {
  JsonObject inner;
  inner.Set("code", "VALID");
  JsonObject doc;
  doc.Set("height", uint64_t{12}).SetHex("head_hash", "\xff").Set("receipt", inner);
  doc.SetBool("ok", true).SetNull("none").SetStrings("ids", {"a", "b"});
  const std::string json = RenderJson(doc.ToValue(), true);
  EXPECT_NE(json.find("\"height\":12"), std::string::npos) << json;
  EXPECT_NE(json.find("\"head_hash\":\"ff\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"receipt\":{\"code\":\"VALID\"}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"ok\":true"), std::string::npos) << json;
  EXPECT_NE(json.find("\"none\":null"), std::string::npos) << json;
  EXPECT_NE(json.find("\"ids\":[\"a\",\"b\"]"), std::string::npos) << json;
}

TEST(RenderJson, SortsKeysAndIndents) {
  JsonObject doc;
  doc.Set("zeta", 1).Set("alpha", "a").SetStrings("mid", {"x"});
  EXPECT_EQ(RenderJson(doc.ToValue()),
            "{\n  \"alpha\": \"a\",\n  \"mid\": [\n    \"x\"\n  ],\n  \"zeta\": 1\n}");
  EXPECT_EQ(RenderJson(doc.ToValue(), true), R"({"alpha":"a","mid":["x"],"zeta":1})");
}

TEST(RenderJson, EscapesStringsAndPrintsNumbersExactly) {
  JsonObject doc;
  doc.Set("s", std::string_view("q\"b\\n\n\x01"));
  doc.Set("big", int64_t{1795082400000}).Set("half", 0.5).Set("neg", -3);
  EXPECT_EQ(RenderJson(doc.ToValue(), true),
            R"({"big":1795082400000,"half":0.5,"neg":-3,"s":"q\"b\\n\n\u0001"})");
}

TEST(RenderJson, EmptyContainers) {
  JsonObject doc;
  doc.Set("o", JsonObject()).SetStrings("l", {});
  EXPECT_EQ(RenderJson(doc.ToValue()), "{\n  \"l\": [],\n  \"o\": {}\n}");
}

TEST(EnumName, UnknownNumbersPrintAsNumbers) {
  EXPECT_EQ(EnumName(v1::ResultCode_descriptor(), 42), "42");
  EXPECT_EQ(EnumName(v1::CustomsSide_descriptor(), v1::CUSTOMS_SIDE_IMPORT), "IMPORT");
}

}  // namespace
}  // namespace shipledger::cli

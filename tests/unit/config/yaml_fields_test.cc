#include "config/yaml_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shipledger::config::internal {
namespace {

using ::testing::HasSubstr;

YamlField Root(const std::string& text) {
  auto doc = ParseYaml(text, "t.yaml");
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return RootField(doc.ok() ? *doc : YAML::Node(), "t.yaml");
}

TEST(YamlFields, SyntaxErrorNamesLineAndColumn) {
  auto doc = ParseYaml("a: 1\nb: [2\n", "t.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(doc.status().message(), ::testing::MatchesRegex("t\\.yaml: line [0-9]+, column .*"));
}

TEST(YamlFields, ErrorsNameFilePathAndLine) {
  const YamlField root = Root("a:\n  b:\n    - x\n    - y\n");
  const YamlField item = root.Child("a").Child("b").Item(1);
  EXPECT_EQ(item.path(), "a.b[1]");
  EXPECT_EQ(item.Error("bad").message(), "t.yaml: a.b[1]: bad (line 4)");
  EXPECT_THAT(root.Child("a").Child("zz").Error("missing").message(), HasSubstr("a.zz: missing"));
}

TEST(YamlFields, CheckMapReportsUnknownMissingAndDuplicateKeys) {
  EXPECT_THAT(Root("a: 1\nc: 2\n").CheckMap({"a", "b"}, {}).message(),
              HasSubstr("unknown key 'c'"));
  EXPECT_THAT(Root("a: 1\n").CheckMap({"a", "b"}, {"b"}).message(), HasSubstr("b: missing"));
  EXPECT_THAT(Root("a: 1\na: 2\n").CheckMap({"a"}, {}).message(), HasSubstr("duplicate key"));
  EXPECT_THAT(Root("[1]").CheckMap({"a"}, {}).message(), HasSubstr("expected a map"));
  EXPECT_TRUE(Root("a: 1\n").CheckMap({"a", "b"}, {"a"}).ok());
}

TEST(YamlFields, IntegersAreStrictDecimalsInRange) {
  const YamlField root = Root("u: 42\nneg: -3\nbig: 99999999999\nf: 1.5\nhex: 0x10\ns: [1]\n");
  EXPECT_EQ(*root.Child("u").AsUint(0, 100), 42u);
  EXPECT_FALSE(root.Child("u").AsUint(43, 100).ok());
  EXPECT_FALSE(root.Child("neg").AsUint(0, 100).ok());
  EXPECT_EQ(*root.Child("neg").AsInt(-5, 5), -3);
  uint32_t v = 7;
  EXPECT_FALSE(root.ReadU32("big", true, 0, &v).ok());
  EXPECT_FALSE(root.Child("f").AsUint(0, 100).ok());
  EXPECT_FALSE(root.Child("hex").AsUint(0, 100).ok());
  EXPECT_FALSE(root.Child("s").AsUint(0, 100).ok());
  EXPECT_TRUE(root.ReadU32("absent", false, 0, &v).ok());
  EXPECT_EQ(v, 7u);
  EXPECT_FALSE(root.ReadU32("absent", true, 0, &v).ok());
}

}  // namespace
}  // namespace shipledger::config::internal

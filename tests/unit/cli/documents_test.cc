#include "cli/documents.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace shipledger::cli {
namespace {

// SHA-256("abc"), FIPS 180-2 appendix B.1.
constexpr char kAbcSha256[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

class DocumentFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("cli_docs_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& contents) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST(DocumentKinds, AreTheSixTradeDocuments) {
  EXPECT_EQ(DocumentKinds(),
            (std::vector<std::string>{"bill_of_lading", "commercial_invoice", "packing_list",
                                      "certificate_of_origin", "customs_declaration",
                                      "inspection_certificate"}));
  for (const std::string& kind : DocumentKinds()) EXPECT_TRUE(CheckDocumentKind(kind).ok());
}

TEST(CheckDocumentKind, UnknownKindListsTheValidOnes) {
  for (const char* bad : {"invoice", "Commercial_Invoice", ""}) {
    const Status s = CheckDocumentKind(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_NE(s.message().find("unknown document kind '" + std::string(bad) + "'"),
              std::string::npos)
        << s.message();
    EXPECT_NE(s.message().find("valid kinds: bill_of_lading, commercial_invoice, packing_list, "
                               "certificate_of_origin, customs_declaration, "
                               "inspection_certificate"),
              std::string::npos)
        << s.message();
  }
}

TEST(ParseDocFlag, SplitsKindAndFileAtTheFirstEquals) {
  auto kv = ParseDocFlag("packing_list=docs/a=b.pdf");
  ASSERT_TRUE(kv.ok()) << kv.status().message();
  EXPECT_EQ(kv->first, "packing_list");
  EXPECT_EQ(kv->second, "docs/a=b.pdf");
}

TEST(ParseDocFlag, MissingPartIsExplainedWithAnExample) {
  for (const char* bad : {"invoice.pdf", "=invoice.pdf", "commercial_invoice="}) {
    auto kv = ParseDocFlag(bad);
    ASSERT_FALSE(kv.ok()) << bad;
    EXPECT_NE(kv.status().message().find("--doc expects KEY=VALUE (e.g. --doc "
                                         "commercial_invoice=invoice.pdf)"),
              std::string::npos)
        << kv.status().message();
  }
}

TEST(ParseDocFlag, UnknownKindNamesTheFlagAndListsTheKinds) {
  auto kv = ParseDocFlag("invoice=invoice.pdf");
  ASSERT_FALSE(kv.ok());
  EXPECT_EQ(kv.status().code(), Code::kInvalidArgument);
  EXPECT_NE(kv.status().message().find("--doc invoice=invoice.pdf: unknown document kind"),
            std::string::npos)
      << kv.status().message();
  EXPECT_NE(kv.status().message().find("commercial_invoice"), std::string::npos);
}

TEST_F(DocumentFiles, HashIsTheSha256OfTheFileBytes) {
  auto hash = HashDocumentFile(Write("abc.txt", "abc"));
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  EXPECT_EQ(ToHex(*hash), kAbcSha256);
}

TEST_F(DocumentFiles, HashOfAMissingFileNamesIt) {
  auto hash = HashDocumentFile(Path("missing.pdf"));
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.status().code(), Code::kNotFound);
  EXPECT_NE(hash.status().message().find(Path("missing.pdf")), std::string::npos)
      << hash.status().message();
}

TEST_F(DocumentFiles, HashOfAFolderIsRefused) {
  auto hash = HashDocumentFile(dir_.string());
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.status().code(), Code::kInvalidArgument);
  EXPECT_NE(hash.status().message().find("is a folder"), std::string::npos)
      << hash.status().message();
}

TEST_F(DocumentFiles, AddDocumentsAppendsKindAndHashInFlagOrder) {
  v1::Event event;
  event.add_documents()->set_kind("bill_of_lading");  // from --file: kept, first
  const Status s = AddDocuments(
      &event, {"commercial_invoice=" + Write("a", "abc"), "packing_list=" + Write("b", "")});
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(event.documents_size(), 3);
  EXPECT_EQ(event.documents(1).kind(), "commercial_invoice");
  EXPECT_EQ(ToHex(event.documents(1).sha256()), kAbcSha256);
  EXPECT_EQ(event.documents(2).kind(), "packing_list");
  // SHA-256 of the empty string.
  EXPECT_EQ(ToHex(event.documents(2).sha256()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(DocumentFiles, AddDocumentsWithAnUnreadableFileNamesItAndChangesNothing) {
  v1::Event event;
  const std::string missing = Path("missing.pdf");
  const Status s =
      AddDocuments(&event, {"commercial_invoice=" + Write("a", "abc"), "packing_list=" + missing});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--doc packing_list=" + missing + ": cannot open " + missing),
            std::string::npos)
      << s.message();
  EXPECT_EQ(event.documents_size(), 0);
}

TEST_F(DocumentFiles, AddDocumentsWithAnUnknownKindChangesNothing) {
  v1::Event event;
  const Status s = AddDocuments(&event, {"invoice=" + Write("a", "abc")});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unknown document kind 'invoice'"), std::string::npos) << s.message();
  EXPECT_EQ(event.documents_size(), 0);
}

v1::DocumentHash Doc(const std::string& kind, const std::string& hex) {
  v1::DocumentHash d;
  d.set_kind(kind);
  d.set_sha256(*FromHex(hex));
  return d;
}

TEST(DocumentText, FullAndShortForms) {
  const v1::DocumentHash d = Doc("commercial_invoice", kAbcSha256);
  EXPECT_EQ(DocumentText(d), "commercial_invoice=sha256:" + std::string(kAbcSha256));
  EXPECT_EQ(DocumentText(d, /*short_hash=*/true), "commercial_invoice=sha256:ba7816bf8f01");
  EXPECT_EQ(DocumentHashText(*FromHex(kAbcSha256)), "sha256:" + std::string(kAbcSha256));
}

TEST(DocumentsText, JoinsAnEventsDocumentsOrDash) {
  v1::Event event;
  EXPECT_EQ(DocumentsText(event), "-");
  *event.add_documents() = Doc("commercial_invoice", kAbcSha256);
  *event.add_documents() = Doc("packing_list", std::string(64, '0'));
  EXPECT_EQ(DocumentsText(event, true),
            "commercial_invoice=sha256:ba7816bf8f01, packing_list=sha256:000000000000");
}

// A timeline entry whose event carries `docs`, with a receipt of `code` (none if UNSPECIFIED).
v1::TimelineEntry Entry(const std::string& id, const std::vector<v1::DocumentHash>& docs,
                        v1::ResultCode code) {
  v1::TimelineEntry entry;
  entry.set_event_id(id);
  for (const auto& d : docs) *entry.mutable_event()->add_documents() = d;
  if (code != v1::RESULT_CODE_UNSPECIFIED) entry.mutable_receipt()->set_code(code);
  return entry;
}

TEST(FindDocumentAnchors, EveryMatchingDocumentInTimelineOrderWhateverTheReceipt) {
  const std::string other(64, '1');
  google::protobuf::RepeatedPtrField<v1::TimelineEntry> timeline;
  *timeline.Add() = Entry("a", {Doc("packing_list", other)}, v1::RESULT_CODE_VALID);
  *timeline.Add() = Entry("b", {Doc("commercial_invoice", kAbcSha256)}, v1::RESULT_CODE_REJECTED);
  *timeline.Add() =
      Entry("c", {Doc("commercial_invoice", kAbcSha256), Doc("customs_declaration", kAbcSha256)},
            v1::RESULT_CODE_VALID);
  const auto anchors = FindDocumentAnchors(timeline, *FromHex(kAbcSha256));
  ASSERT_EQ(anchors.size(), 3u);
  EXPECT_EQ(anchors[0].entry->event_id(), "b");
  EXPECT_EQ(anchors[0].kind, "commercial_invoice");
  EXPECT_EQ(anchors[1].entry->event_id(), "c");
  EXPECT_EQ(anchors[2].entry->event_id(), "c");
  EXPECT_EQ(anchors[2].kind, "customs_declaration");
  EXPECT_TRUE(FindDocumentAnchors(timeline, *FromHex(std::string(64, '2'))).empty());
}

TEST(AnchorIsValid, OnlyAValidReceiptCounts) {
  const v1::DocumentHash d = Doc("commercial_invoice", kAbcSha256);
  for (const auto& [code, counts] :
       std::vector<std::pair<v1::ResultCode, bool>>{{v1::RESULT_CODE_VALID, true},
                                                    {v1::RESULT_CODE_REJECTED, false},
                                                    {v1::RESULT_CODE_DUPLICATE, false},
                                                    {v1::RESULT_CODE_UNSPECIFIED, false}}) {
    const v1::TimelineEntry entry = Entry("x", {d}, code);
    EXPECT_EQ(AnchorIsValid(DocumentAnchor{&entry, d.kind()}), counts) << code;
  }
}

}  // namespace
}  // namespace shipledger::cli

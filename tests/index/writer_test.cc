#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include "index/index.h"
#include "index/index_fixture.h"

namespace trove::index::test_util {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using WriterTest = IndexTest;

Occurrence Place(const std::string& source_path, const std::string& path,
                 const std::string& parent = "") {
  return Occurrence{SourceKey(source_path), path, parent};
}

TEST_F(WriterTest, RoundTripsARecordThroughTheIndex) {
  DocumentRecord record = Doc("memo.pdf", "Le président François Hollande a parlé.");
  record.type = "pdf";
  record.media_type = "application/pdf";
  record.lang = "fr";
  record.size = 1234;
  record.mtime = Utc(2012, 5, 6);
  record.extraction.title = "Mémo";
  record.extraction.author = "Jean Dupont";
  record.extraction.date = Utc(2012, 5, 1);
  record.extraction.page_count = 3;
  record.extraction.metadata = {{"producer", "pdfTeX"}};
  Write({record});

  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<StoredDocument> stored = reader->Get(record.id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  const DocumentRecord& got = stored->record;
  EXPECT_EQ(got.id, record.id);
  EXPECT_EQ(got.occurrence, record.occurrence);
  EXPECT_EQ(got.name, "memo.pdf");
  EXPECT_EQ(got.type, "pdf");
  EXPECT_EQ(got.media_type, "application/pdf");
  EXPECT_EQ(got.lang, "fr");
  EXPECT_EQ(got.size, 1234u);
  EXPECT_EQ(got.mtime, record.mtime);
  EXPECT_EQ(got.extraction.text, record.extraction.text);
  EXPECT_EQ(got.extraction.title, "Mémo");
  EXPECT_EQ(got.extraction.author, "Jean Dupont");
  EXPECT_EQ(got.extraction.date, record.extraction.date);
  EXPECT_EQ(got.extraction.page_count, 3);
  EXPECT_EQ(got.extraction.metadata, record.extraction.metadata);
  EXPECT_THAT(stored->occurrences, ElementsAre(record.occurrence));
}

TEST_F(WriterTest, MergesOccurrencesOfIdenticalContent) {
  DocumentRecord first = Doc("report.pdf", "quarterly figures");
  first.occurrence = Place("/leak/finance.zip", "finance.zip!/report.pdf");
  DocumentRecord second = first;
  second.occurrence = Place("/leak/backup/report.pdf", "backup/report.pdf");
  Write({first, second});

  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<IndexStats> stats = reader->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 1u);
  const Result<StoredDocument> stored = reader->Get(first.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(stored->occurrences, ElementsAre(first.occurrence, second.occurrence));
  EXPECT_EQ(stored->record.occurrence, first.occurrence);
  // Both places are searchable.
  EXPECT_THAT(Find(Word("finance", "path")), ElementsAre("report.pdf"));
  EXPECT_THAT(Find(Word("backup", "path")), ElementsAre("report.pdf"));
  EXPECT_THAT(Find(Filter("source", first.occurrence.source_key)), ElementsAre("report.pdf"));
  EXPECT_THAT(Find(Filter("source", second.occurrence.source_key)), ElementsAre("report.pdf"));
}

TEST_F(WriterTest, AddingTheSameOccurrenceTwiceChangesNothing) {
  const DocumentRecord record = Doc("a.txt", "once only");
  Write({record, record});
  Write({record});  // and again in a later session

  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Stats()->documents, 1u);
  EXPECT_THAT(reader->Get(record.id)->occurrences, ElementsAre(record.occurrence));
}

TEST_F(WriterTest, PathPhrasesDoNotSpanTwoOccurrences) {
  DocumentRecord first = Doc("x.txt", "text");
  first.occurrence = Place("/s1", "alpha/omega");
  DocumentRecord second = first;
  second.occurrence = Place("/s2", "beta/gamma");
  Write({first, second});
  EXPECT_THAT(Find(Phrase({"beta", "gamma"}, "path")), ElementsAre("x.txt"));
  EXPECT_THAT(Find(Phrase({"omega", "beta"}, "path")), IsEmpty());
}

TEST_F(WriterTest, ReplacesAFailedRecordWhenAnotherCopyIsIndexed) {
  DocumentRecord failed = Doc("scan.pdf", "");
  failed.state = DocState::kFailed;
  failed.reason = "timeout";
  DocumentRecord indexed = Doc("scan.pdf", "recovered words");
  indexed.occurrence = Place("/leak/copy/scan.pdf", "copy/scan.pdf");
  ASSERT_EQ(failed.id, indexed.id);
  Write({failed, indexed});

  EXPECT_THAT(Find(Word("recovered")), ElementsAre("scan.pdf"));
  EXPECT_THAT(Find(Filter("state", "failed")), IsEmpty());
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<StoredDocument> stored = reader->Get(indexed.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->record.state, DocState::kIndexed);
  EXPECT_THAT(stored->occurrences, ElementsAre(failed.occurrence, indexed.occurrence));
  // The first place stays searchable after the replacement.
  EXPECT_THAT(Find(Filter("source", failed.occurrence.source_key)), ElementsAre("scan.pdf"));
}

TEST_F(WriterTest, KeepsAnIndexedRecordWhenAFailedCopyArrives) {
  DocumentRecord indexed = Doc("ok.pdf", "readable text");
  DocumentRecord failed = Doc("ok.pdf", "");
  failed.state = DocState::kFailed;
  failed.occurrence = Place("/other", "other/ok.pdf");
  Write({indexed, failed});

  EXPECT_THAT(Find(Word("readable")), ElementsAre("ok.pdf"));
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<StoredDocument> stored = reader->Get(indexed.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->record.state, DocState::kIndexed);
  EXPECT_EQ(stored->occurrences.size(), 2u);
}

TEST_F(WriterTest, AddOccurrenceAddsAPlaceToAnExistingDocument) {
  const DocumentRecord record = Doc("a.txt", "words");
  const Occurrence extra = Place("/leak/extra.zip", "extra.zip!/a.txt", "parentid");
  {
    std::unique_ptr<Writer> writer = OpenWriter();
    ASSERT_NE(writer, nullptr);
    Add(*writer, record);
    ASSERT_TRUE(writer->AddOccurrence(record.id, extra).ok());
    ASSERT_TRUE(writer->AddOccurrence(record.id, extra).ok());  // twice: no change
    ASSERT_TRUE(writer->Commit().ok());
  }
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_THAT(reader->Get(record.id)->occurrences, ElementsAre(record.occurrence, extra));
  EXPECT_THAT(*reader->Children("parentid"), ElementsAre(record.id));
  EXPECT_THAT(Find(Word("extra", "path")), ElementsAre("a.txt"));
}

TEST_F(WriterTest, AddOccurrenceToAnUnknownDocumentIsNotFound) {
  std::unique_ptr<Writer> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  const Status status = writer->AddOccurrence(ContentHash("nothing"), Place("/x", "x"));
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr(ContentHash("nothing")));
}

TEST_F(WriterTest, RemoveSourceDeletesADocumentFoundOnlyThere) {
  const DocumentRecord gone = Doc("gone.txt", "ephemeral");
  const DocumentRecord kept = Doc("kept.txt", "ephemeral too");
  Write({gone, kept});
  {
    std::unique_ptr<Writer> writer = OpenWriter();
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->RemoveSource(gone.occurrence.source_key).ok());
    EXPECT_FALSE(*writer->Contains(gone.id));
    EXPECT_TRUE(*writer->Contains(kept.id));
    ASSERT_TRUE(writer->Commit().ok());
  }
  EXPECT_THAT(Find(Word("ephemeral")), ElementsAre("kept.txt"));
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Get(gone.id).status().code(), StatusCode::kNotFound);
}

TEST_F(WriterTest, RemoveSourceKeepsTheOtherOccurrencesOfADocument) {
  DocumentRecord first = Doc("child.txt", "shared content");
  first.occurrence = Place("/leak/one.zip", "one.zip!/child.txt", "parent-one");
  DocumentRecord second = first;
  second.occurrence = Place("/leak/two.zip", "two.zip!/child.txt", "parent-two");
  Write({first, second});
  {
    std::unique_ptr<Writer> writer = OpenWriter();
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->RemoveSource(first.occurrence.source_key).ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<StoredDocument> stored = reader->Get(first.id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_THAT(stored->occurrences, ElementsAre(second.occurrence));
  EXPECT_EQ(stored->record.occurrence, second.occurrence);
  // Every term of the removed place is gone; those of the kept place remain.
  EXPECT_THAT(Find(Word("shared")), ElementsAre("child.txt"));
  EXPECT_THAT(Find(Word("one", "path")), IsEmpty());
  EXPECT_THAT(Find(Word("two", "path")), ElementsAre("child.txt"));
  EXPECT_THAT(Find(Filter("source", first.occurrence.source_key)), IsEmpty());
  EXPECT_THAT(*reader->Children("parent-one"), IsEmpty());
  EXPECT_THAT(*reader->Children("parent-two"), ElementsAre(first.id));
}

TEST_F(WriterTest, RemoveSourceOfAnUnknownSourceChangesNothing) {
  const DocumentRecord record = Doc("a.txt", "stays");
  Write({record});
  {
    std::unique_ptr<Writer> writer = OpenWriter();
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->RemoveSource(SourceKey("/never/seen")).ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
  EXPECT_THAT(Find(Word("stays")), ElementsAre("a.txt"));
}

TEST_F(WriterTest, ContainsSeesUncommittedAdditions) {
  std::unique_ptr<Writer> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  const DocumentRecord record = Doc("a.txt", "pending");
  EXPECT_FALSE(*writer->Contains(record.id));
  Add(*writer, record);
  const Result<bool> contains = writer->Contains(record.id);
  ASSERT_TRUE(contains.ok());
  EXPECT_TRUE(*contains);
  EXPECT_FALSE(*writer->Contains(ContentHash("other")));
}

TEST_F(WriterTest, CommitMakesAdditionsVisibleToReaders) {
  std::unique_ptr<Writer> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Commit().ok());
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  Add(*writer, Doc("late.txt", "arrives later"));
  SearchRequest request;
  request.query = Word("arrives");
  EXPECT_EQ(reader->Search(request)->total, 0u);
  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(reader->Reopen().ok());
  EXPECT_EQ(reader->Search(request)->total, 1u);
}

TEST_F(WriterTest, SecondOpenOfALockedIndexFailsWithIOError) {
  std::unique_ptr<Writer> first = OpenWriter();
  ASSERT_NE(first, nullptr);
  const Result<std::unique_ptr<Writer>> second = Writer::Open(IndexDir());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kIOError);
  EXPECT_THAT(second.status().message(), HasSubstr("locked"));
  EXPECT_THAT(second.status().message(), HasSubstr(IndexDir()));
  first.reset();
  EXPECT_TRUE(Writer::Open(IndexDir()).ok()) << "the lock outlived its writer";
}

TEST_F(WriterTest, OpenRejectsAShardCountBelowOne) {
  const Result<std::unique_ptr<Writer>> writer = Writer::Open(IndexDir(), 0);
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(WriterTest, OpenRefusesAnIndexOfANewerFormat) {
  {
    std::filesystem::create_directories(IndexDir());
    Xapian::WritableDatabase db(IndexDir() + "/shard-0", Xapian::DB_CREATE_OR_OPEN);
    db.set_metadata("trove.format", "99");
    db.commit();
  }
  const Result<std::unique_ptr<Writer>> writer = Writer::Open(IndexDir());
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), StatusCode::kUnsupported);
  EXPECT_THAT(writer.status().message(), HasSubstr("99"));
}

TEST_F(WriterTest, OpenRefusesAnIndexOfAnOlderFormatAndSaysWhatToDo) {
  {
    std::filesystem::create_directories(IndexDir());
    Xapian::WritableDatabase db(IndexDir() + "/shard-0", Xapian::DB_CREATE_OR_OPEN);
    db.set_metadata("trove.format", "1");
    db.commit();
  }
  const Result<std::unique_ptr<Writer>> writer = Writer::Open(IndexDir());
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), StatusCode::kUnsupported);
  EXPECT_THAT(writer.status().message(), HasSubstr("older"));
  const Result<std::unique_ptr<Reader>> reader = Reader::Open(IndexDir());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kUnsupported);
  EXPECT_THAT(reader.status().message(), HasSubstr("ingest the sources again"));
}

TEST_F(WriterTest, OpenReportsAnUnreadableFormatMarkerAsCorrupt) {
  {
    std::filesystem::create_directories(IndexDir());
    Xapian::WritableDatabase db(IndexDir() + "/shard-0", Xapian::DB_CREATE_OR_OPEN);
    db.set_metadata("trove.format", "not-a-number");
    db.commit();
  }
  const Result<std::unique_ptr<Writer>> writer = Writer::Open(IndexDir());
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(writer.status().message(), HasSubstr("shard-0"));
}

TEST_F(WriterTest, TwoShardsAreSearchedAsOne) {
  std::vector<DocumentRecord> records;
  for (int i = 0; i < 20; ++i)
    records.push_back(Doc("doc" + std::to_string(i) + ".txt", "common word" + std::to_string(i)));
  Write(records, /*shard_count=*/2);

  ASSERT_TRUE(std::filesystem::is_directory(IndexDir() + "/shard-0"));
  ASSERT_TRUE(std::filesystem::is_directory(IndexDir() + "/shard-1"));
  EXPECT_FALSE(std::filesystem::exists(IndexDir() + "/shard-2"));
  // Both shards hold some of the documents.
  EXPECT_GT(Xapian::Database(IndexDir() + "/shard-0").get_doccount(), 0u);
  EXPECT_GT(Xapian::Database(IndexDir() + "/shard-1").get_doccount(), 0u);

  EXPECT_EQ(Find(Word("common")).size(), 20u);
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Stats()->documents, 20u);
  for (const DocumentRecord& record : records) {
    const Result<StoredDocument> stored = reader->Get(record.id);
    ASSERT_TRUE(stored.ok()) << record.name;
    EXPECT_EQ(stored->record.name, record.name);
  }
  EXPECT_THAT(Find(Word("word7")), ElementsAre("doc7.txt"));
}

TEST_F(WriterTest, ReopeningKeepsTheShardCountAndRoutesIdsToTheSameShard) {
  std::vector<DocumentRecord> records;
  for (int i = 0; i < 10; ++i) records.push_back(Doc("d" + std::to_string(i), "text"));
  Write(records, /*shard_count=*/2);

  std::unique_ptr<Writer> writer = OpenWriter(/*shard_count=*/1);
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->shard_count(), 2);
  for (const DocumentRecord& record : records) {
    EXPECT_TRUE(*writer->Contains(record.id)) << record.name;
    Add(*writer, record);  // the same occurrence again: merged, not duplicated
  }
  ASSERT_TRUE(writer->Commit().ok());
  writer.reset();
  EXPECT_EQ(OpenReader()->Stats()->documents, 10u);
}

TEST_F(WriterTest, StatsCountDocumentsByTypeLanguageAndState) {
  DocumentRecord pdf1 = Doc("a.pdf", "x");
  pdf1.type = "pdf";
  pdf1.lang = "fr";
  DocumentRecord pdf2 = Doc("b.pdf", "y");
  pdf2.type = "pdf";
  pdf2.lang = "en";
  DocumentRecord mail = Doc("c.eml", "z");
  mail.type = "email";
  mail.lang = "en";
  DocumentRecord broken = Doc("d.bin", "");
  broken.type = "other";
  broken.state = DocState::kFailed;
  Write({pdf1, pdf2, mail, broken});

  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<IndexStats> stats = reader->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->documents, 4u);
  EXPECT_THAT(stats->by_type,
              UnorderedElementsAre(std::pair<const std::string, std::uint64_t>("pdf", 2),
                                   std::pair<const std::string, std::uint64_t>("email", 1),
                                   std::pair<const std::string, std::uint64_t>("other", 1)));
  using Counts = std::map<std::string, std::uint64_t>;
  // A document without a language counts as "unknown": every breakdown adds up to the total.
  EXPECT_EQ(stats->by_lang, (Counts{{"en", 2}, {"fr", 1}, {"unknown", 1}}));
  EXPECT_EQ(stats->by_state, (Counts{{"indexed", 3}, {"failed", 1}}));
}

TEST_F(WriterTest, StatsOfAnEmptyIndexAreZero) {
  Write({});
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<IndexStats> stats = reader->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 0u);
  EXPECT_THAT(stats->by_type, IsEmpty());
}

TEST_F(WriterTest, ChildrenListsDocumentsByParentInPathOrder) {
  DocumentRecord archive = Doc("x.zip", "");
  DocumentRecord b = Doc("b.txt", "bee");
  b.occurrence = Occurrence{archive.occurrence.source_key, "x.zip!/b.txt", archive.id};
  DocumentRecord a = Doc("a.txt", "ay");
  a.occurrence = Occurrence{archive.occurrence.source_key, "x.zip!/a.txt", archive.id};
  DocumentRecord c = Doc("c.txt", "sea");
  c.occurrence = Occurrence{archive.occurrence.source_key, "x.zip!/sub/c.txt", archive.id};
  DocumentRecord elsewhere = Doc("e.txt", "other parent");
  elsewhere.occurrence = Occurrence{SourceKey("/y.zip"), "y.zip!/e.txt", ContentHash("y.zip")};
  Write({archive, b, c, elsewhere, a});

  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<std::vector<std::string>> children = reader->Children(archive.id);
  ASSERT_TRUE(children.ok());
  EXPECT_THAT(*children, ElementsAre(a.id, b.id, c.id));
  EXPECT_THAT(*reader->Children(a.id), IsEmpty());
  EXPECT_THAT(Find(Filter("parent", archive.id)), UnorderedElementsAre("a.txt", "b.txt", "c.txt"));
}

TEST(Reader, OpenOfAMissingIndexIsNotFound) {
  trove::testing::TempDir dir;
  const Result<std::unique_ptr<Reader>> reader = Reader::Open(dir.Sub("index"));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr(dir.Sub("index")));
}

TEST_F(WriterTest, GetOfAnUnknownIdIsNotFound) {
  Write({Doc("a.txt", "x")});
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  const Result<StoredDocument> stored = reader->Get(ContentHash("unknown"));
  ASSERT_FALSE(stored.ok());
  EXPECT_EQ(stored.status().code(), StatusCode::kNotFound);
}

TEST(PrepareDocument, CarriesTheIdAndOccurrenceInClear) {
  const DocumentRecord record = Doc("a.txt", "some text");
  const Result<PreparedDocument> prepared = PrepareDocument(record);
  ASSERT_TRUE(prepared.ok());
  EXPECT_EQ(prepared->id, record.id);
  EXPECT_EQ(prepared->occurrence, record.occurrence);
  EXPECT_FALSE(prepared->blob.empty());
}

TEST(PrepareDocument, SucceedsForEveryStemmedLanguage) {
  for (const std::string& lang : StemmedLanguages()) {
    DocumentRecord record = Doc("a.txt", "words words words");
    record.lang = lang;
    const Result<PreparedDocument> prepared = PrepareDocument(record);
    EXPECT_TRUE(prepared.ok()) << lang << ": " << prepared.status().ToString();
  }
}

TEST(PrepareDocument, AcceptsOverlongIdentifiersAndAddresses) {
  DocumentRecord record = Doc("a.eml", "text");
  record.extraction.message_id = "<" + std::string(400, 'm') + "@example.org>";
  record.media_type = "application/" + std::string(300, 'x');
  record.extraction.from = {std::string(300, 'f') + "@example.org"};
  const Result<PreparedDocument> prepared = PrepareDocument(record);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
}

TEST(StemWord, StemsInTheGivenLanguage) {
  EXPECT_EQ(StemWord("en", "running"), "run");
  EXPECT_EQ(StemWord("en", "runs"), "run");
  EXPECT_EQ(StemWord("fr", "elections"), StemWord("fr", "election"));
}

TEST(StemWord, ReturnsTheWordForALanguageWithoutStemmer) {
  EXPECT_EQ(StemWord("", "running"), "running");
  EXPECT_EQ(StemWord("zz", "running"), "running");
  EXPECT_EQ(StemWord("ja", "running"), "running");
}

}  // namespace
}  // namespace trove::index::test_util

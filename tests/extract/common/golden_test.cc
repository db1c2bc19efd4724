// The golden runner: one test per tests/data/extract/**/*.json. Each JSON names an input file and
// the facts that must hold for it; keys that are absent are not checked. The keys are described
// in tests/data/extract/README.md. Extraction goes through the default registry, as in an ingest:
// DetectMediaType, then Registry::Find, then Extract.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "extract/registry.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing::RecordingSink;

const fs::path& SourceRoot() {
  static const fs::path root(TROVE_SOURCE_DIR);
  return root;
}

struct GoldenCase {
  std::string test_name;  // "email_plan_mbox"
  fs::path json_path;
};

// For gtest's failure messages.
void PrintTo(const GoldenCase& golden, std::ostream* out) { *out << golden.json_path.string(); }

std::vector<GoldenCase> FindCases() {
  std::vector<GoldenCase> cases;
  const fs::path dir = SourceRoot() / "tests" / "data" / "extract";
  std::error_code error;
  if (!fs::is_directory(dir, error)) return cases;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    std::string name = fs::relative(it->path(), dir).replace_extension().string();
    for (char& ch : name) {
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    }
    cases.push_back(GoldenCase{name, it->path()});
  }
  std::sort(cases.begin(), cases.end(),
            [](const GoldenCase& a, const GoldenCase& b) { return a.test_name < b.test_name; });
  return cases;
}

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

// "2011-11-21T10:00:00Z" -> seconds since the epoch; false when malformed.
bool ParseIsoUtc(const std::string& text, std::int64_t* seconds) {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char zone = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%uT%u:%u:%u%c", &year, &month, &day, &hour, &minute, &second,
                  &zone) != 7 ||
      zone != 'Z') {
    return false;
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{day}};
  if (!date.ok()) return false;
  *seconds = std::chrono::sys_days(date).time_since_epoch() / std::chrono::seconds(1) +
             hour * 3600 + minute * 60 + second;
  return true;
}

std::string Excerpt(const std::string& text) {
  constexpr std::size_t kExcerptBytes = 600;
  return text.size() <= kExcerptBytes ? text : text.substr(0, kExcerptBytes) + "...";
}

std::string Join(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const std::string& value : values) out += (out.size() > 1 ? ", \"" : "\"") + value + "\"";
  return out + "]";
}

// "from", "to", "cc", "bcc", "references": an array must equal the list; a string must be one of
// its entries.
void CheckList(const Json& expected, const std::vector<std::string>& actual, const char* key) {
  if (expected.is_string()) {
    EXPECT_NE(std::find(actual.begin(), actual.end(), expected.get<std::string>()), actual.end())
        << key << " lacks \"" << expected.get<std::string>() << "\"; it is " << Join(actual);
    return;
  }
  ASSERT_TRUE(expected.is_array()) << key << " must be a string or an array";
  EXPECT_EQ(Join(expected.get<std::vector<std::string>>()), Join(actual)) << key;
}

// Checks spec[key] == actual when the key is present.
template <typename T>
void ExpectField(const Json& spec, const char* key, const T& actual) {
  if (!spec.contains(key)) return;
  EXPECT_EQ(actual, spec[key].get<T>()) << key;
}

const std::set<std::string>& KnownKeys() {
  static const std::set<std::string> keys = {"input",
                                             "description",
                                             "media_type",
                                             "status",
                                             "title",
                                             "author",
                                             "page_count",
                                             "date",
                                             "from",
                                             "to",
                                             "cc",
                                             "bcc",
                                             "message_id",
                                             "in_reply_to",
                                             "references",
                                             "metadata",
                                             "text_contains",
                                             "text_excludes",
                                             "children",
                                             "child_count",
                                             "failed_children",
                                             "is_truncated"};
  return keys;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, MatchesExpectations) {
  const GoldenCase& golden = GetParam();
  std::string json_text;
  ASSERT_TRUE(ReadFile(golden.json_path, &json_text)) << "cannot read " << golden.json_path;
  const Json spec = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(spec.is_discarded()) << golden.json_path << " is not valid JSON";
  ASSERT_TRUE(spec.is_object()) << golden.json_path << " must hold a JSON object";
  for (const auto& [key, unused] : spec.items()) {
    EXPECT_TRUE(KnownKeys().contains(key)) << "unknown key \"" << key << "\" (a typo?)";
  }
  ASSERT_TRUE(spec.contains("input") && spec["input"].is_string()) << "\"input\" is required";

  const fs::path input_path = SourceRoot() / spec["input"].get<std::string>();
  std::string bytes;
  ASSERT_TRUE(ReadFile(input_path, &bytes)) << "cannot read input " << input_path;
  const std::string name = input_path.filename().string();

  const std::string media_type = DetectMediaType(bytes, name);
  ExpectField(spec, "media_type", media_type);

  static const std::unique_ptr<Registry> registry = Registry::CreateDefault();
  const Extractor* extractor = registry->Find(media_type);
  Status status = Status::Ok();
  Extraction extraction;
  RecordingSink sink;
  if (extractor == nullptr) {
    status = Status::Unsupported("no extractor for " + media_type);
  } else {
    Input input;
    input.bytes = bytes;
    input.name = name;
    input.media_type = media_type;
    Result<Extraction> result = extractor->Extract(input, sink);
    if (result.ok()) {
      extraction = std::move(result).value();
    } else {
      status = result.status();
    }
  }

  const std::string expected_status =
      spec.contains("status") ? spec["status"].get<std::string>() : "ok";
  ASSERT_EQ(std::string(StatusCodeName(status.code())), expected_status) << status.ToString();
  if (!status.ok()) return;

  ExpectField(spec, "title", extraction.title);
  ExpectField(spec, "author", extraction.author);
  ExpectField(spec, "page_count", extraction.page_count);
  ExpectField(spec, "is_truncated", extraction.is_truncated);
  ExpectField(spec, "message_id", extraction.message_id);
  ExpectField(spec, "in_reply_to", extraction.in_reply_to);
  if (spec.contains("date")) {
    std::int64_t expected_date = 0;
    ASSERT_TRUE(ParseIsoUtc(spec["date"].get<std::string>(), &expected_date))
        << "\"date\" must look like 2011-11-21T10:00:00Z";
    ASSERT_TRUE(extraction.date.has_value()) << "no date extracted";
    EXPECT_EQ(*extraction.date, expected_date) << "expected " << spec["date"];
  }
  if (spec.contains("from")) CheckList(spec["from"], extraction.from, "from");
  if (spec.contains("to")) CheckList(spec["to"], extraction.to, "to");
  if (spec.contains("cc")) CheckList(spec["cc"], extraction.cc, "cc");
  if (spec.contains("bcc")) CheckList(spec["bcc"], extraction.bcc, "bcc");
  if (spec.contains("references"))
    CheckList(spec["references"], extraction.references, "references");
  if (spec.contains("metadata")) {
    for (const auto& [key, value] : spec["metadata"].items()) {
      const std::string expected = value.is_string() ? value.get<std::string>() : value.dump();
      const bool found = std::any_of(
          extraction.metadata.begin(), extraction.metadata.end(),
          [&](const auto& pair) { return pair.first == key && pair.second == expected; });
      std::string actual;
      for (const auto& [actual_key, actual_value] : extraction.metadata) {
        if (actual_key == key) actual += "\"" + actual_value + "\" ";
      }
      EXPECT_TRUE(found) << "metadata \"" << key << "\" should be \"" << expected << "\"; it is "
                         << (actual.empty() ? "absent" : actual);
    }
  }
  if (spec.contains("text_contains")) {
    for (const std::string& needle : spec["text_contains"].get<std::vector<std::string>>()) {
      EXPECT_NE(extraction.text.find(needle), std::string::npos)
          << "text lacks \"" << needle << "\"; it starts:\n"
          << Excerpt(extraction.text);
    }
  }
  if (spec.contains("text_excludes")) {
    for (const std::string& needle : spec["text_excludes"].get<std::vector<std::string>>()) {
      EXPECT_EQ(extraction.text.find(needle), std::string::npos)
          << "text contains \"" << needle << "\"";
    }
  }
  if (spec.contains("child_count")) {
    EXPECT_EQ(sink.children.size(), spec["child_count"].get<std::size_t>());
  }
  if (spec.contains("children")) {
    const Json& expected = spec["children"];
    ASSERT_TRUE(expected.is_array());
    std::vector<std::string> actual_names;
    for (const ChildFile& child : sink.children) actual_names.push_back(child.name);
    ASSERT_EQ(expected.size(), sink.children.size()) << "children are " << Join(actual_names);
    for (std::size_t idx = 0; idx < expected.size(); ++idx) {
      EXPECT_EQ(sink.children[idx].name, expected[idx].at("name").get<std::string>())
          << "child " << idx;
      if (expected[idx].contains("media_type")) {
        EXPECT_EQ(sink.children[idx].media_type, expected[idx]["media_type"].get<std::string>())
            << "child " << idx << " (" << sink.children[idx].name << ")";
      }
    }
  }
  if (spec.contains("failed_children")) {
    std::vector<std::string> failed;
    for (const RecordingSink::Failure& failure : sink.failures) failed.push_back(failure.name);
    EXPECT_EQ(Join(spec["failed_children"].get<std::vector<std::string>>()), Join(failed));
  }
}

INSTANTIATE_TEST_SUITE_P(Extract, GoldenTest, ::testing::ValuesIn(FindCases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return info.param.test_name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTest);

}  // namespace
}  // namespace trove::extract

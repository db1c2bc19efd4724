// ExtractOriginal: a document inside other files, extracted again in a child process with an
// ingest worker's limits, checked against its id. Test-only containers misbehave on demand.
#include "pipeline/original.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/hash.h"
#include "misbehave.h"

namespace trove::pipeline {
namespace {

namespace fs = std::filesystem;

// Reads text/plain as a container: each line "name:content" is a member (text/plain again, so
// members nest); a container starting with CRASH, HANG or HOG misbehaves instead.
class LineContainer final : public extract::Extractor {
 public:
  std::string_view Name() const override { return "lines"; }
  bool Accepts(std::string_view media_type) const override { return media_type == "text/plain"; }
  Result<Extraction> Extract(const extract::Input& input, extract::ChildSink& sink) const override {
    const std::string bytes(input.bytes);
    test_util::MisbehaveOnDemand(bytes);
    std::size_t start = 0;
    while (start < bytes.size()) {
      std::size_t end = bytes.find('\n', start);
      if (end == std::string::npos) end = bytes.size();
      const std::string line = bytes.substr(start, end - start);
      start = end + 1;
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string content = line.substr(colon + 1);
      for (char& c : content) c = c == '|' ? '\n' : c;  // a nested container's lines
      TROVE_RETURN_IF_ERROR(
          sink.OnChild(ChildFile{line.substr(0, colon), content, "text/plain", {}}));
    }
    return Extraction{};
  }
};

class ExtractOriginalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("original-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    options_.registry_factory = [] {
      auto registry = std::make_unique<extract::Registry>();
      registry->Register(std::make_unique<LineContainer>());
      return registry;
    };
    options_.timeout_seconds = 20;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& content) {
    const std::string path = (dir_ / "outer.txt").string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  Result<std::string> Extract(const std::string& source, const std::string& chain,
                              const std::string& id, std::uint64_t max_bytes = 1 << 20) {
    return ExtractOriginal(OriginalRequest{source, chain, id, max_bytes}, options_);
  }

  fs::path dir_;
  IngestOptions options_;
};

TEST_F(ExtractOriginalTest, ReturnsTheBytesOfAMemberAndOfANestedMember) {
  const std::string source = Write("a.txt:alpha\ninner.txt:deep.txt:bottom|other:x\n");
  auto member = Extract(source, source + "!/a.txt", ContentHash("alpha"));
  ASSERT_TRUE(member.ok()) << member.status().ToString();
  EXPECT_EQ(*member, "alpha");
  auto nested = Extract(source, source + "!/inner.txt!/deep.txt", ContentHash("bottom"));
  ASSERT_TRUE(nested.ok()) << nested.status().ToString();
  EXPECT_EQ(*nested, "bottom");
}

TEST_F(ExtractOriginalTest, RefusesBytesThatNoLongerHashToTheId) {
  const std::string source = Write("a.txt:changed\n");
  auto member = Extract(source, source + "!/a.txt", ContentHash("alpha"));
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.status().code(), StatusCode::kNotFound);
  EXPECT_NE(member.status().message().find("changed"), std::string::npos);
}

TEST_F(ExtractOriginalTest, SaysNotFoundForAMissingMemberOrFile) {
  const std::string source = Write("a.txt:alpha\n");
  EXPECT_EQ(Extract(source, source + "!/b.txt", ContentHash("x")).status().code(),
            StatusCode::kNotFound);
  const std::string gone = (dir_ / "gone.txt").string();
  EXPECT_FALSE(Extract(gone, gone + "!/a.txt", ContentHash("alpha")).ok());
}

TEST_F(ExtractOriginalTest, RefusesAMemberOverTheSizeCap) {
  const std::string big(5000, 'z');
  const std::string source = Write("big.txt:" + big + "\n");
  auto member = Extract(source, source + "!/big.txt", ContentHash(big), /*max_bytes=*/4096);
  EXPECT_EQ(member.status().code(), StatusCode::kLimitExceeded);
}

TEST_F(ExtractOriginalTest, KillsAContainerThatHangs) {
  options_.timeout_seconds = 1;
  const std::string source = Write("HANG\na.txt:alpha\n");
  auto member = Extract(source, source + "!/a.txt", ContentHash("alpha"));
  EXPECT_EQ(member.status().code(), StatusCode::kTimeout) << member.status().ToString();
}

TEST_F(ExtractOriginalTest, SurvivesAContainerThatCrashes) {
  const std::string source = Write("CRASH\na.txt:alpha\n");
  auto member = Extract(source, source + "!/a.txt", ContentHash("alpha"));
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.status().code(), StatusCode::kIOError);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer catches the segmentation fault itself and exits with status 1.
  const char* const kHow = "exit code";
#else
  const char* const kHow = "signal";
#endif
  EXPECT_NE(member.status().message().find(kHow), std::string::npos) << member.status().message();
}

#if !defined(__SANITIZE_ADDRESS__)  // the address-space limit is off under ASan
TEST_F(ExtractOriginalTest, StopsAContainerThatExhaustsItsMemory) {
  options_.memory_limit_bytes = 512ull << 20;
  const std::string source = Write("HOG\na.txt:alpha\n");
  auto member = Extract(source, source + "!/a.txt", ContentHash("alpha"));
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.status().code(), StatusCode::kIOError) << member.status().ToString();
}
#endif

}  // namespace
}  // namespace trove::pipeline

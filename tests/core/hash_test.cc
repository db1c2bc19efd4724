#include "core/hash.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace trove {
namespace {

bool IsLowerHex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(ContentHash, IsTheBlake2b128OfTheBytes) {
  // Reference values from Python's hashlib.blake2b(data, digest_size=16).
  EXPECT_EQ(ContentHash(""), "cae66941d9efbd404e4d88758ea67670");
  EXPECT_EQ(ContentHash("abc"), "cf4ab791c62b8d2b2109c90275287816");
}

TEST(ContentHash, Is32LowercaseHexDigitsThatDependOnEveryByte) {
  const std::string a = ContentHash("report.pdf contents");
  EXPECT_EQ(a.size(), 32u);
  EXPECT_TRUE(IsLowerHex(a)) << a;
  EXPECT_NE(a, ContentHash("report.pdf contentS"));
  EXPECT_NE(ContentHash(std::string("a\0b", 3)), ContentHash(std::string("a\0c", 3)));
}

TEST(SourceKey, Is16HexDigitsStableForAPath) {
  EXPECT_EQ(SourceKey("/data/leak/a.pdf"),
            "6e91a0c7bf012115");  // hashlib.blake2b(.., digest_size=8)
  EXPECT_EQ(SourceKey("/data/leak/a.pdf"), SourceKey("/data/leak/a.pdf"));
  EXPECT_NE(SourceKey("/data/leak/a.pdf"), SourceKey("/data/leak/b.pdf"));
  EXPECT_TRUE(IsLowerHex(SourceKey("/x")));
}

TEST(ContentHasher, AgreesWithContentHashWhateverThePieces) {
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 50; ++round) {
    std::string data;
    const int size = round * 37;
    for (int i = 0; i < size; ++i) data += static_cast<char>(byte(rng));
    ContentHasher hasher;
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t piece =
          std::uniform_int_distribution<std::size_t>(0, data.size() - at)(rng);
      hasher.Update(std::string_view(data).substr(at, piece));
      at += piece;
    }
    EXPECT_EQ(hasher.Finish(), ContentHash(data)) << "size " << size;
  }
}

TEST(ContentHasher, OfNothingIsTheHashOfEmptyContent) {
  ContentHasher hasher;
  EXPECT_EQ(hasher.Finish(), ContentHash(""));
}

}  // namespace
}  // namespace trove

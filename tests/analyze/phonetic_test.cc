#include "analyze/phonetic.h"

#include <gtest/gtest.h>

namespace trove::analyze {
namespace {

std::string Keys(std::string_view word) {
  const PhoneticKeys keys = DoubleMetaphone(word);
  return keys.primary + "/" + keys.alternate;
}

// Philips' own examples (C/C++ Users Journal, June 2000) and the ones the rules name.
TEST(DoubleMetaphone, EncodesThePublishedExamples) {
  EXPECT_EQ(Keys("smith"), "SM0/XMT");
  EXPECT_EQ(Keys("schmidt"), "XMT/SMT");
  EXPECT_EQ(Keys("thomas"), "TMS/TMS");
  EXPECT_EQ(Keys("xavier"), "SF/SFR");  // initial X as S; French final -ier: R in the alternate
  EXPECT_EQ(Keys("jose"), "HS/HS");
  EXPECT_EQ(Keys("caesar"), "SSR/SSR");
  EXPECT_EQ(Keys("knight"), "NT/NT");  // silent initial K, GH after I
  EXPECT_EQ(Keys("laugh"), "LF/LF");
  EXPECT_EQ(Keys("edge"), "AJ/AJ");
  EXPECT_EQ(Keys("zhao"), "J/J");
  EXPECT_EQ(Keys("filipowicz"), "FLPT/FLPF");
}

TEST(DoubleMetaphone, KeepsFourCharactersAndSkipsWhatIsNotALetter) {
  EXPECT_EQ(DoubleMetaphone("schwarzenegger").primary.size(), kPhoneticKeyLength);
  EXPECT_EQ(Keys("o'brien"), Keys("obrien"));
  EXPECT_EQ(Keys(""), "/");
  EXPECT_EQ(Keys("1984"), "/");
}

TEST(SoundAlike, JoinsSpellingsOfOneNameAndNotOthers) {
  const auto alike = [](std::string_view a, std::string_view b) {
    return SoundAlike(DoubleMetaphone(a), DoubleMetaphone(b));
  };
  EXPECT_TRUE(alike("mohammed", "muhamad"));
  EXPECT_TRUE(alike("schmidt", "schmitt"));
  EXPECT_TRUE(alike("smith", "schmidt"));  // through the alternate key
  EXPECT_TRUE(alike("catherine", "kathryn"));
  EXPECT_TRUE(alike("philips", "filips"));
  EXPECT_FALSE(alike("smith", "jones"));
  EXPECT_FALSE(alike("hollande", "sarkozy"));
  EXPECT_FALSE(alike("", ""));
}

}  // namespace
}  // namespace trove::analyze

// Phonetic keys of name words: names that sound alike but are spelt further apart than the name
// matcher's edit-distance allowance ("Mohammed" / "Muhamad", "Schmidt" / "Schmitt") share a key.
//
// The algorithm is Lawrence Philips' Double Metaphone ("The Double Metaphone Search Algorithm",
// C/C++ Users Journal, June 2000), written here from its published rules: Debian packages no C or
// C++ library of it (only Perl's Text::DoubleMetaphone and Python's jellyfish and abydos), and
// no library that trove already links (ICU, CLD2) has a phonetic encoding. Double Metaphone was
// chosen over Soundex (keeps the first letter, so "Kristensen"/"Christensen" differ; too coarse
// after it), NYSIIS ("Schmidt"/"Schmitt" differ) and Beider-Morse (the most accurate for
// surnames, but its rule tables run to thousands of lines per language): it is built for the
// surnames of many origins (Germanic, Slavic, Romance, Greek, Chinese) that watch lists hold,
// and gives a second key where a spelling has two likely pronunciations.
#pragma once

#include <string>
#include <string_view>

namespace trove::analyze {

struct PhoneticKeys {
  std::string primary;    // at most kPhoneticKeyLength characters from "0AFHJKLMNPRSTX"
  std::string alternate;  // equal to primary when the word has one pronunciation
};

// Key length: Philips' four. Longer keys split names whose ends are spelt apart ("Abramowitz"
// and "Abramovich" share APRM); shorter ones join too much.
inline constexpr std::size_t kPhoneticKeyLength = 4;

// The Double Metaphone keys of one word. Letters outside a-z (digits, other scripts) are skipped;
// pass folded words (FoldToken: lower case, no accents). Empty keys for a word without letters.
PhoneticKeys DoubleMetaphone(std::string_view word);

// True when two words share a key (primary or alternate, either way).
bool SoundAlike(const PhoneticKeys& a, const PhoneticKeys& b);

}  // namespace trove::analyze

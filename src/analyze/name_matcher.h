// Matching names as people write them: "Vladimir Putin", "PUTIN, Vladimir Vladimirovich",
// "V. Putin" and "Wladimir Putin" are one name. Used by cross-referencing (query/xref.h) to match
// a watch list against a collection's entities.
//
// Names are compared word by word on folded words (case and accents dropped; honorifics before a
// name and company forms after it, "Ltd", "PJSC", left out). Two names match when every word of
// the shorter is paired with a word of the longer, at least two pairs are formed (one for
// one-word names), at least one pair is a whole word, and the longer has at most two words
// more. A pair is the same word, an initial and a word it starts ("j" ~ "john"), or two words of
// five letters or more within an edit distance of 1 (2 from eight letters; a one-word name from
// six letters). An initial pairs only between names of as many words. Last, two words of five
// letters or more that sound alike (analyze/phonetic.h: "Mohammed" ~ "Muhamad", "Schmidt" ~
// "Schmitt") pair as a phonetic match, looser than a misspelling, when they also start with the
// same letter and are at most 40% of the longer word apart in edits; and only in names of two
// words or more that share one word exactly (measured: bench/RESULTS.md, "Phonetic keys").
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trove::analyze {

// Why two names match, from the closest to the loosest.
enum class NameMatchKind {
  kExact,      // the same words in the same order
  kReordered,  // the same words in another order ("Putin Vladimir")
  kPartial,    // one name has words the other lacks ("Vladimir Vladimirovich Putin")
  kInitial,    // a word is given by its initial ("V. Putin")
  kFuzzy,      // a word is spelt differently ("Wladimir Putin")
  kPhonetic,   // a word sounds alike but is spelt further apart ("Muhamad Ali" ~ "Mohammed Ali")
};
// "exact", "reordered", "partial", "initial", "fuzzy", "phonetic".
const char* NameMatchKindName(NameMatchKind kind);

struct NameComparison {
  NameMatchKind kind = NameMatchKind::kExact;  // the loosest feature found
  double score = 1;  // in (0, 1]; 1 only for kExact, lower for each feature
};

// The words of a name as compared: folded, honorifics before it and company forms after it
// dropped ("Mr. José SMITH" -> {"jose", "smith"}; "Gazprom PJSC" -> {"gazprom"}).
std::vector<std::string> NameWords(std::string_view name);

// How `found` matches `wanted`; nullopt when it does not.
std::optional<NameComparison> CompareNames(std::string_view wanted, std::string_view found);

// Many names (a collection's entities) indexed by their words, so that a name is compared only
// with those sharing a word with it (the same, within one edit, or sounding alike) rather than
// with all of them.
// Not thread-safe: Find uses scratch space kept in the index.
class NameIndex {
 public:
  NameIndex();
  ~NameIndex();
  NameIndex(const NameIndex&) = delete;
  NameIndex& operator=(const NameIndex&) = delete;

  // Adds a name, numbered by the order of the calls from 0. A name without words is numbered
  // but never found. Call Build before Find once the last name is added.
  void Add(std::string_view name);
  void Build();
  std::size_t size() const;

  struct Match {
    std::size_t name = 0;  // its number
    NameComparison comparison;
  };
  // The names that match `wanted` with a score of at least `min_score`, best first.
  std::vector<Match> Find(std::string_view wanted, double min_score);
  // The same for a name already cut into its words (NameWords): a name looked up in many
  // indexes (a watch list against batch after batch of documents) is cut once.
  std::vector<Match> FindWords(const std::vector<std::string>& wanted_words, double min_score);

  // Comparisons made by Find so far (the candidates that blocking let through).
  std::uint64_t comparisons() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trove::analyze

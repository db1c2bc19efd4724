// LiteralFormSource: the documents in which a word occurs written exactly in its folded form.
//
// The index keeps an exact-form term only for words written otherwise than folded ("Paris",
// "élection"), so exact mode cannot look up "paris" as written directly. A document holds it
// when the folded word's wdf exceeds the sum of the wdfs of its other written forms (every form
// is indexed with the same wdf as its folded word, title boost included): this source walks the
// folded word's postings and keeps those documents. It weighs nothing; the caller filters a
// weighted query with it.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

namespace trove::index::internal {

class LiteralFormSource final : public Xapian::PostingSource {
 public:
  explicit LiteralFormSource(std::string folded);

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return termfreq_ / 2; }
  Xapian::doccount get_termfreq_max() const override { return termfreq_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return it_ == end_; }
  Xapian::docid get_docid() const override { return *it_; }
  LiteralFormSource* clone() const override { return new LiteralFormSource(folded_); }
  std::string get_description() const override;

 private:
  struct Form {
    Xapian::PostingIterator it, end;
  };
  // Moves forward from the current posting to the first document holding the literal form.
  void Settle();
  bool IsLiteralHere();

  std::string folded_;
  Xapian::PostingIterator it_, end_;
  std::vector<Form> other_forms_;
  Xapian::doccount termfreq_ = 0;
  bool started_ = false;
};

}  // namespace trove::index::internal

#include "index/internal/literal_form.h"

#include "index/internal/schema.h"

namespace trove::index::internal {

LiteralFormSource::LiteralFormSource(std::string folded) : folded_(std::move(folded)) {}

void LiteralFormSource::init(const Xapian::Database& db) {
  it_ = db.postlist_begin(folded_);
  end_ = db.postlist_end(folded_);
  termfreq_ = db.get_termfreq(folded_);
  started_ = false;
  other_forms_.clear();
  const std::string prefix = ExactTermPrefix(folded_);
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term) {
    other_forms_.push_back(Form{db.postlist_begin(*term), db.postlist_end(*term)});
  }
}

void LiteralFormSource::next(double /*min_wt*/) {
  if (started_ && it_ != end_) ++it_;
  started_ = true;
  Settle();
}

void LiteralFormSource::skip_to(Xapian::docid did, double /*min_wt*/) {
  started_ = true;
  if (it_ != end_ && *it_ < did) it_.skip_to(did);
  Settle();
}

void LiteralFormSource::Settle() {
  while (it_ != end_ && !IsLiteralHere()) ++it_;
}

bool LiteralFormSource::IsLiteralHere() {
  const Xapian::docid did = *it_;
  Xapian::termcount others = 0;
  for (Form& form : other_forms_) {
    if (form.it != form.end && *form.it < did) form.it.skip_to(did);
    if (form.it != form.end && *form.it == did) others += form.it.get_wdf();
  }
  return it_.get_wdf() > others;
}

std::string LiteralFormSource::get_description() const {
  return "LiteralFormSource(" + folded_ + ")";
}

}  // namespace trove::index::internal

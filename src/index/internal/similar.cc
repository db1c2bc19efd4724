#include "index/internal/similar.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "index/internal/minhash.h"
#include "index/internal/schema.h"

namespace trove::index::internal {
namespace {

// The candidates of one (sub-)database that pass the threshold, by docid, weighted by their
// estimated similarity. Xapian calls init() once per shard, with shard-local docids.
class SimilarSource final : public Xapian::PostingSource {
 public:
  SimilarSource(const Signature& target, std::string self_term, double threshold)
      : target_(target), self_term_(std::move(self_term)), threshold_(threshold) {}

  void init(const Xapian::Database& db) override {
    matches_.clear();
    at_ = 0;
    started_ = false;
    Xapian::docid self = 0;
    auto self_it = db.postlist_begin(self_term_);
    if (self_it != db.postlist_end(self_term_)) self = *self_it;
    std::vector<Xapian::docid> candidates;
    for (const std::string& key : BandKeys(target_)) {
      const std::string term = Term(kPrefixBand, key);
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        candidates.push_back(*p);
      }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (Xapian::docid docid : candidates) {
      if (docid == self) continue;
      const std::optional<Signature> other = DecodeSignature(
          db.get_document(docid, Xapian::DOC_ASSUME_VALID).get_value(kSlotSignature));
      if (!other) continue;
      const double similarity = Similarity(target_, *other);
      if (similarity >= threshold_) matches_.emplace_back(docid, similarity);
    }
    set_maxweight(1.0);
  }

  Xapian::doccount get_termfreq_min() const override {
    return static_cast<Xapian::doccount>(matches_.size());
  }
  Xapian::doccount get_termfreq_est() const override {
    return static_cast<Xapian::doccount>(matches_.size());
  }
  Xapian::doccount get_termfreq_max() const override {
    return static_cast<Xapian::doccount>(matches_.size());
  }

  void next(double /*min_wt*/) override {
    if (started_) {
      ++at_;
    } else {
      started_ = true;
    }
  }
  void skip_to(Xapian::docid docid, double /*min_wt*/) override {
    started_ = true;
    while (at_ < matches_.size() && matches_[at_].first < docid) ++at_;
  }
  bool at_end() const override { return started_ && at_ >= matches_.size(); }
  Xapian::docid get_docid() const override { return matches_[at_].first; }
  double get_weight() const override { return matches_[at_].second; }

  Xapian::PostingSource* clone() const override {
    return new SimilarSource(target_, self_term_, threshold_);
  }
  std::string get_description() const override { return "SimilarSource"; }

 private:
  Signature target_;
  std::string self_term_;
  double threshold_;
  std::vector<std::pair<Xapian::docid, double>> matches_;
  std::size_t at_ = 0;
  bool started_ = false;
};

}  // namespace

Result<Xapian::Query> SimilarQuery(const Xapian::Database& db, const std::string& id,
                                   double threshold) {
  const std::string self_term = Term(kPrefixId, id);
  auto it = db.postlist_begin(self_term);
  if (it == db.postlist_end(self_term)) return Status::NotFound("similar: no document " + id);
  const std::optional<Signature> target =
      DecodeSignature(db.get_document(*it).get_value(kSlotSignature));
  if (!target) return Xapian::Query::MatchNothing;
  auto* source = new SimilarSource(*target, self_term, threshold);
  return Xapian::Query(source->release());
}

}  // namespace trove::index::internal

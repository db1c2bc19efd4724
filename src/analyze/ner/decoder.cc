#include "analyze/ner/decoder.h"

#include <limits>
#include <string_view>

namespace trove::analyze::ner {

Decoder::Decoder(const std::vector<std::string>& tags) : tag_count_(tags.size()) {
  // IOB2: I-X only after B-X or I-X. BILOU also requires B-X and I-X to be followed by I-X or
  // L-X, and L-X to follow B-X or I-X; no sentence ends inside a name.
  const bool is_bilou = IsBilou(tags);
  auto prefix = [&](std::size_t tag) { return tags[tag].size() > 2 ? tags[tag][0] : 'O'; };
  auto type = [&](std::size_t tag) {
    return tags[tag].size() > 2 ? std::string_view(tags[tag]).substr(2) : std::string_view();
  };
  auto is_open = [&](std::size_t tag) { return prefix(tag) == 'B' || prefix(tag) == 'I'; };
  auto continues = [&](std::size_t tag) { return prefix(tag) == 'I' || prefix(tag) == 'L'; };
  allowed_.assign((tag_count_ + 1) * tag_count_, true);
  allowed_last_.assign(tag_count_, true);
  for (std::size_t next = 0; next < tag_count_; ++next) {
    if (continues(next)) allowed_[next] = false;  // no I- (or L-) at the start of a sentence
    if (is_bilou && is_open(next)) allowed_last_[next] = false;
    for (std::size_t prev = 0; prev < tag_count_; ++prev) {
      const bool same_name = is_open(prev) && type(prev) == type(next);
      bool is_allowed = continues(next) ? same_name : true;
      if (is_bilou && is_open(prev)) is_allowed = same_name && continues(next);
      allowed_[(prev + 1) * tag_count_ + next] = is_allowed;
    }
  }
}

void Decoder::Decode(const float* weights, const float* transitions,
                     const SentenceFeatures& features, const SentenceFeatures* extra,
                     std::vector<std::uint8_t>* best, const std::vector<std::uint8_t>* gold,
                     float cost) {
  const std::size_t n = features.TokenCount();
  const std::size_t tags = tag_count_;
  best->assign(n, 0);
  if (n == 0) return;
  emissions_.assign(n * tags, 0.0f);
  for (const SentenceFeatures* source : {&features, extra}) {
    if (source == nullptr) continue;
    for (std::size_t i = 0; i < n; ++i) {
      float* emission = &emissions_[i * tags];
      for (std::uint32_t f = source->starts[i]; f < source->starts[i + 1]; ++f) {
        const float* row = weights + static_cast<std::size_t>(source->rows[f]) * tags;
        for (std::size_t t = 0; t < tags; ++t) emission[t] += row[t];
      }
    }
  }
  if (gold != nullptr) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t t = 0; t < tags; ++t) {
        if (t != (*gold)[i]) emissions_[i * tags + t] += cost;
      }
    }
  }
  constexpr float kImpossible = -std::numeric_limits<float>::infinity();
  scores_.assign(n * tags, kImpossible);
  back_.assign(n * tags, 0);
  for (std::size_t t = 0; t < tags; ++t) {
    if (allowed_[t]) scores_[t] = transitions[t] + emissions_[t];
  }
  for (std::size_t i = 1; i < n; ++i) {
    const float* prev_scores = &scores_[(i - 1) * tags];
    float* cur_scores = &scores_[i * tags];
    for (std::size_t t = 0; t < tags; ++t) {
      float best_score = kImpossible;
      std::uint8_t best_prev = 0;
      for (std::size_t p = 0; p < tags; ++p) {
        if (!allowed_[(p + 1) * tags + t]) continue;
        const float score = prev_scores[p] + transitions[(p + 1) * tags + t];
        if (score > best_score) {
          best_score = score;
          best_prev = static_cast<std::uint8_t>(p);
        }
      }
      cur_scores[t] = best_score + emissions_[i * tags + t];
      back_[i * tags + t] = best_prev;
    }
  }
  std::size_t last = 0;  // O is always allowed last
  for (std::size_t t = 1; t < tags; ++t) {
    if (allowed_last_[t] && scores_[(n - 1) * tags + t] > scores_[(n - 1) * tags + last]) last = t;
  }
  for (std::size_t i = n; i-- > 0;) {
    (*best)[i] = static_cast<std::uint8_t>(last);
    last = back_[i * tags + last];
  }
}

std::vector<NerSpan> SpansFromTagIds(const std::vector<std::string>& tags,
                                     const std::vector<std::uint8_t>& ids) {
  std::vector<std::string> names;
  names.reserve(ids.size());
  for (const std::uint8_t id : ids) {
    const std::string& tag = tags[id];
    // BILOU to IOB2: a unit (U-) begins a name, a last (L-) continues one.
    if (tag.rfind("U-", 0) == 0) {
      names.push_back("B-" + tag.substr(2));
    } else if (tag.rfind("L-", 0) == 0) {
      names.push_back("I-" + tag.substr(2));
    } else {
      names.push_back(tag);
    }
  }
  return SpansFromTags(names);
}

void BalanceBrackets(const NerSentence& tokens, std::vector<NerSpan>* spans) {
  auto is_open = [&](std::size_t i) { return tokens[i] == "(" || tokens[i] == "["; };
  auto is_close = [&](std::size_t i) { return tokens[i] == ")" || tokens[i] == "]"; };
  for (std::size_t span_idx = 0; span_idx < spans->size(); ++span_idx) {
    NerSpan& span = (*spans)[span_idx];
    int depth = 0;  // opened minus closed
    std::size_t first_open = span.end;  // of the brackets still open
    bool is_cut = false;
    for (std::size_t i = span.begin; i < span.end && !is_cut; ++i) {
      if (is_open(i)) {
        if (depth++ == 0) first_open = i;
      } else if (is_close(i) && depth-- == 0) {
        // A bracket closing nothing ends the name before it ("FN ) and Union": "FN").
        if (i > span.begin) span.end = i;
        is_cut = true;
      }
    }
    if (is_cut || depth <= 0) continue;
    const bool next_is_free =
        span_idx + 1 == spans->size() || (*spans)[span_idx + 1].begin > span.end;
    if (depth == 1 && span.end < tokens.size() && next_is_free && is_close(span.end)) {
      ++span.end;  // "Tour Perret ( tour d'orientation" takes its ")"
    } else if (first_open > span.begin) {
      span.end = first_open;  // "Saussey ( Manche" without its ")": "Saussey"
    }
  }
}

}  // namespace trove::analyze::ner

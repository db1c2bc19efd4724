// The query language (docs/search.md) parsed into index::QueryNode trees.
//
//   words            all of them (AND), stemmed, case and accents folded
//   a OR b, a AND b  explicit operators (upper case); parentheses group
//   -a, NOT a        exclude
//   "a phrase"       words in this order, not stemmed
//   a NEAR/5 b       within 5 words, any order (NEAR alone: 10)
//   prefix*          any word starting with prefix
//   field:value      from: to: cc: bcc: title: path: name: (text fields); type: lang: id:
//                    parent: state: year: mime: messageid: (filters); date:2011-11-21..2012-09-29
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "index/index.h"

namespace trove::query {

struct ParseOptions {
  bool is_exact = false;  // keep case and accents, no stemming
};

// InvalidArgument with a message that says what is wrong and at which column (1-based).
Result<index::QueryNode> Parse(std::string_view query, const ParseOptions& options = {});

// The tree written back in the query language with every operator explicit, to show a user
// how the query was understood.
std::string Describe(const index::QueryNode& node);

}  // namespace trove::query

// E-mail subjects, as threading compares them: the index keeps a message's normalised subject so
// that replies without In-Reply-To or References can still join their thread, and the threader
// (analyze/threads.h) groups by the same key.
#pragma once

#include <string>
#include <string_view>

namespace trove {

struct NormalizedSubject {
  std::string key;        // folded words joined by single spaces; empty when nothing is left
  bool is_reply = false;  // it carried a reply or forward prefix ("Re:", "Fwd:", "AW:", "TR:"...)
};

// Strips leading reply and forward prefixes in the languages of common mail clients ("Re:",
// "RE[2]:", "Fw:", "Fwd:", "AW:", "WG:", "TR:", "SV:", "VS:", "Antw:", "RIF:", "R:", "RV:",
// "Enc:", "Odp:", "Réf:"), mailing-list tags in square brackets ("[dev] Re: x") and "(fwd)"
// suffixes, then folds case and accents: "RE: [Budget] Fwd: Réunion" -> {"reunion", true}.
NormalizedSubject NormalizeSubject(std::string_view subject);

}  // namespace trove

// Language identification (CLD2).
#pragma once

#include <string>
#include <string_view>

namespace trove::analyze {

// The language of `utf8_text` as an ISO 639-1 code ("en", "fr"), or "" when the text is too
// short or mixed for a reliable answer. Reads at most the first 64 KiB. Thread-safe.
std::string DetectLanguage(std::string_view utf8_text);

}  // namespace trove::analyze

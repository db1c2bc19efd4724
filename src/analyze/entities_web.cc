// E-mail addresses, URLs with their domains, and IP addresses.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <arpa/inet.h>
#include <re2/re2.h>

#include "analyze/internal/entity_finders.h"

namespace trove::analyze::internal {
namespace {

// Header fields whose `<local@host>` values are message identifiers, not mailboxes.
constexpr std::array<std::string_view, 7> kMessageIdHeaders = {
    "message-id",        "references",   "in-reply-to",        "content-id",
    "resent-message-id", "x-message-id", "original-message-id"};
// How far back a folded header (continuation lines start with a space or a tab) is followed.
constexpr int kMaxHeaderLines = 64;

// The name of the header field that the line holding `pos` belongs to, lower case, or "".
std::string HeaderFieldAt(std::string_view text, std::size_t pos) {
  std::string_view line = LineAround(text, pos);
  for (int line_idx = 0; line_idx < kMaxHeaderLines; ++line_idx) {
    if (line.empty() || (line.front() != ' ' && line.front() != '\t')) break;
    const std::size_t line_begin = static_cast<std::size_t>(line.data() - text.data());
    if (line_begin == 0) return {};
    line = LineAround(text, line_begin - 1);
  }
  std::size_t name_end = 0;
  while (name_end < line.size() && (IsAsciiAlnum(line[name_end]) || line[name_end] == '-')) {
    ++name_end;
  }
  if (name_end == 0 || name_end >= line.size() || line[name_end] != ':') return {};
  return AsciiLowerCopy(line.substr(0, name_end));
}

bool IsMessageIdContext(std::string_view text, std::size_t begin) {
  const std::string_view before = TextBefore(text, begin, 4);
  if (before.size() == 4) {
    const std::string scheme = AsciiLowerCopy(before);
    if (scheme == "cid:" || scheme == "mid:") return true;
  }
  const std::string field = HeaderFieldAt(text, begin);
  for (const std::string_view header : kMessageIdHeaders) {
    if (field == header) return true;
  }
  return false;
}

bool IsHostChar(char ch) {
  return IsAsciiAlnum(ch) || ch == '-' || ch == '.' || static_cast<unsigned char>(ch) >= 0x80;
}

bool IsValidIpv4(std::string_view s) {
  int octet_count = 0;
  std::size_t pos = 0;
  while (true) {
    std::size_t digits = 0;
    int value = 0;
    while (pos < s.size() && IsAsciiDigit(s[pos]) && digits < 4) {
      value = value * 10 + (s[pos] - '0');
      ++pos;
      ++digits;
    }
    // Leading zeros are refused: "010" is octal to some parsers, and such quads are rarely IPs.
    if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s[pos - digits] == '0')) {
      return false;
    }
    ++octet_count;
    if (pos == s.size()) return octet_count == 4;
    if (s[pos] != '.' || octet_count == 4) return false;
    ++pos;
  }
}

// "Version 1.2.3.4", "build 10.0.0.1": a dotted quad after such a word is a version number.
bool FollowsVersionWord(std::string_view text, std::size_t begin) {
  std::string_view before = TextBefore(text, begin, 24);
  while (!before.empty() &&
         (before.back() == ' ' || before.back() == ':' || before.back() == '\t')) {
    before.remove_suffix(1);
  }
  std::size_t word_begin = before.size();
  while (word_begin > 0 &&
         (IsAsciiAlpha(before[word_begin - 1]) || before[word_begin - 1] == '.')) {
    --word_begin;
  }
  std::string word = AsciiLowerCopy(before.substr(word_begin));
  while (!word.empty() && word.back() == '.') word.pop_back();
  static constexpr std::array<std::string_view, 8> kVersionWords = {
      "version", "ver", "v", "release", "build", "rev", "revision", "firmware"};
  for (const std::string_view version_word : kVersionWords) {
    if (word == version_word) return true;
  }
  return false;
}

// A URL ends before trailing punctuation that belongs to the sentence, and before a closing
// bracket it did not open ("(see http://example.com/a)").
std::size_t TrimUrlEnd(std::string_view url) {
  // Bracket counts kept up to date while trimming: a URL may be a megabyte of ")".
  long open_parens = std::count(url.begin(), url.end(), '(');
  long close_parens = std::count(url.begin(), url.end(), ')');
  long open_squares = std::count(url.begin(), url.end(), '[');
  long close_squares = std::count(url.begin(), url.end(), ']');
  std::size_t end = url.size();
  while (end > 0) {
    const char last = url[end - 1];
    const bool is_punctuation = last == '.' || last == ',' || last == ';' || last == ':' ||
                                last == '!' || last == '?' || last == '\'' || last == '*' ||
                                last == '&';
    const bool is_unopened = (last == ')' && close_parens > open_parens) ||
                             (last == ']' && close_squares > open_squares);
    if (!is_punctuation && !is_unopened) break;
    if (last == ')') --close_parens;
    if (last == ']') --close_squares;
    --end;
  }
  return end;
}

// A URL as ParseUrl reads it.
struct ParsedUrl {
  std::string normalised;
  std::size_t host_begin = 0;  // in url_text
  std::size_t host_end = 0;
  std::string host;  // lower case, no trailing dot
};

// Reads url_text (with a scheme, or a "www." form). Returns false when it has no usable host
// (none, bad characters, a port that is not a number).
bool ParseUrl(std::string_view url_text, ParsedUrl* parsed) {
  std::string scheme = "http";
  std::size_t authority_begin = 0;
  if (const std::size_t sep = url_text.find("://"); sep != std::string_view::npos) {
    scheme = AsciiLowerCopy(url_text.substr(0, sep));
    authority_begin = sep + 3;
  }
  std::size_t authority_end = url_text.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url_text.size();
  const std::string_view authority =
      url_text.substr(authority_begin, authority_end - authority_begin);
  std::size_t host_begin = 0;
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    host_begin = at + 1;
  }
  std::size_t host_end = authority.size();
  std::string_view port;
  if (host_begin < authority.size() && authority[host_begin] == '[') {
    const std::size_t close = authority.find(']', host_begin);
    if (close == std::string_view::npos) return false;
    host_end = close + 1;
    if (host_end < authority.size() && authority[host_end] == ':') {
      port = authority.substr(host_end + 1);
    }
  } else if (const std::size_t colon = authority.find(':', host_begin);
             colon != std::string_view::npos) {
    host_end = colon;
    port = authority.substr(colon + 1);
  }
  for (const char ch : port) {
    if (!IsAsciiDigit(ch)) return false;
  }
  std::string_view host_text = authority.substr(host_begin, host_end - host_begin);
  while (!host_text.empty() && host_text.back() == '.') host_text.remove_suffix(1);
  if (host_text.empty()) return false;
  if (host_text.front() != '[') {
    for (const char ch : host_text) {
      if (!IsHostChar(ch)) return false;
    }
    if (host_text.front() == '.' || host_text.front() == '-') return false;
  }
  parsed->host = AsciiLowerCopy(host_text);
  parsed->host_begin = authority_begin + host_begin;
  parsed->host_end = parsed->host_begin + host_text.size();

  std::string_view rest = url_text.substr(authority_end);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  const bool is_default_port = port.empty() || (scheme == "http" && port == "80") ||
                               (scheme == "https" && port == "443") ||
                               (scheme == "ftp" && port == "21");
  std::string& out = parsed->normalised;
  out = scheme;
  out += "://";
  out += url_text.substr(authority_begin, host_begin);  // user information, as written
  out += parsed->host;
  if (!is_default_port) {
    out += ':';
    out += port;
  }
  if (rest.empty() || rest.front() != '/') out += '/';
  out += rest;
  return true;
}

}  // namespace

void FindEmails(const FinderInput& input, std::vector<Mention>* out) {
  static const re2::RE2 kEmail(
      R"([A-Za-z0-9._%+\-]+@)"
      R"((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})");
  const std::string_view text = input.text;
  CandidateList list(out);
  // No capture group: RE2 then finds a match with its DFAs alone, without the slower engines
  // that extract groups.
  ForEachMatch(kEmail, text, 0, [&](const std::vector<re2::StringPiece>& groups) {
    std::size_t begin = OffsetIn(text, groups[0]);
    const std::size_t end = begin + groups[0].size();
    const std::size_t at = text.find('@', begin);
    // The local part neither starts nor ends with a dot, nor holds two in a row.
    while (begin < at && text[begin] == '.') ++begin;
    const std::string_view local = text.substr(begin, at - begin);
    if (local.empty() || local.back() == '.' || local.find("..") != std::string_view::npos) {
      return true;
    }
    // Glued to more of a word ("x@y.comfoo" was cut at 24 letters, "a@b.c-d").
    if (end < text.size() && (IsAsciiAlnum(text[end]) || text[end] == '-' || text[end] == '_')) {
      return true;
    }
    if (IsMessageIdContext(text, begin)) return true;
    std::string value(local);
    value += '@';
    value += AsciiLowerCopy(text.substr(at + 1, end - at - 1));
    return list.Add(EntityType::kEmail, begin, end, std::move(value));
  });
}

void FindUrls(const FinderInput& input, std::vector<Mention>* urls, std::vector<Mention>* hosts) {
  static const re2::RE2 kUrl(R"((?i)(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>"{}|\\^`\x00-\x1f\x7f]+)");
  const std::string_view text = input.text;
  CandidateList url_list(urls);
  CandidateList host_list(hosts);
  ForEachMatch(kUrl, text, 0, [&](const std::vector<re2::StringPiece>& groups) {
    const std::size_t begin = OffsetIn(text, groups[0]);
    const std::string_view matched(groups[0].data(), groups[0].size());
    const std::string_view url_text = matched.substr(0, TrimUrlEnd(matched));
    ParsedUrl parsed;
    if (!ParseUrl(url_text, &parsed)) return true;
    const std::size_t host_begin = begin + parsed.host_begin;
    const std::size_t host_end = begin + parsed.host_end;
    if (IsValidIpv4(parsed.host)) {
      host_list.Add(EntityType::kIp, host_begin, host_end, parsed.host);
    } else {
      std::string domain = parsed.host;
      if (domain.starts_with("www.")) domain.erase(0, 4);
      const std::size_t last_dot = domain.rfind('.');
      const bool has_alpha_tld = last_dot != std::string::npos && last_dot + 2 < domain.size() &&
                                 IsAsciiAlpha(domain[last_dot + 1]);
      if (has_alpha_tld) {
        host_list.Add(EntityType::kDomain, host_begin, host_end, std::move(domain));
      } else if (parsed.host.front() != '[') {
        return true;  // "www.x" or "http://intranet": not a place on the web
      }
    }
    return url_list.Add(EntityType::kUrl, begin, begin + url_text.size(),
                        std::move(parsed.normalised));
  });
}

void FindIpAddresses(const FinderInput& input, std::vector<Mention>* out) {
  static const re2::RE2 kIpv4(R"(\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b)");
  // Candidates only; inet_pton decides.
  static const re2::RE2 kIpv6(R"((?i)(?:[0-9a-f]{1,4})?(?:::?[0-9a-f]{1,4}){1,7}(?:::)?|)"
                              R"(::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})");
  const std::string_view text = input.text;
  CandidateList list(out);
  ForEachMatch(kIpv4, text, 0, [&](const std::vector<re2::StringPiece>& groups) {
    const std::size_t begin = OffsetIn(text, groups[0]);
    const std::size_t end = begin + groups[0].size();
    const std::string_view quad = text.substr(begin, end - begin);
    if (!IsValidIpv4(quad)) return true;
    // Part of a longer dotted run (an OID, "1.2.3.4.5") or a version number.
    if (begin >= 2 && text[begin - 1] == '.' && IsAsciiDigit(text[begin - 2])) return true;
    if (end + 1 < text.size() && text[end] == '.' && IsAsciiDigit(text[end + 1])) return true;
    if (FollowsVersionWord(text, begin)) return true;
    return list.Add(EntityType::kIp, begin, end, std::string(quad));
  });
  ForEachMatch(kIpv6, text, 0, [&](const std::vector<re2::StringPiece>& groups) {
    const std::size_t begin = OffsetIn(text, groups[0]);
    const std::size_t end = begin + groups[0].size();
    const std::string candidate(text.substr(begin, end - begin));
    const auto is_glued = [](char ch) { return IsAsciiAlnum(ch) || ch == ':' || ch == '.'; };
    if ((begin > 0 && is_glued(text[begin - 1])) || (end < text.size() && is_glued(text[end]))) {
      return true;
    }
    // Short forms such as "::1", "12::34" or "B4F::5" are more often something else.
    int group_count = 0;
    bool has_long_group = false;
    std::size_t group_length = 0;
    for (const char ch : candidate + ":") {
      if (ch == ':') {
        if (group_length > 0) ++group_count;
        has_long_group = has_long_group || group_length >= 3;
        group_length = 0;
      } else {
        ++group_length;
      }
    }
    const bool is_compressed = candidate.find("::") != std::string::npos;
    // Compressed forms need three groups, or two with a full first one ("fe80::1").
    const std::size_t first_group_length = candidate.find(':');
    const bool is_enough = group_count >= 3 || (group_count == 2 && first_group_length == 4);
    if (is_compressed ? (!is_enough || !has_long_group) : group_count != 8) return true;
    in6_addr address;
    if (inet_pton(AF_INET6, candidate.c_str(), &address) != 1) return true;
    std::array<char, INET6_ADDRSTRLEN> buffer{};
    if (inet_ntop(AF_INET6, &address, buffer.data(), buffer.size()) == nullptr) return true;
    return list.Add(EntityType::kIp, begin, end, std::string(buffer.data()));
  });
}

}  // namespace trove::analyze::internal

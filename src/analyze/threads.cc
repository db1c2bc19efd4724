#include "analyze/threads.h"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>

#include "core/email.h"
#include "core/text.h"

namespace trove::analyze {
namespace {

// Threads beyond this many messages are all reported inclusive: comparing every message with
// every reply grows with the square of the thread, and "read it" is the safe answer.
constexpr std::size_t kMaxInclusiveCheck = 1000;

struct Container {
  int input = -1;
  std::string message_id;
  int parent = -1;
  std::vector<int> children;
};

class Builder {
 public:
  explicit Builder(const std::vector<ThreadInput>& messages) : messages_(messages) {}

  std::vector<ThreadNode> Run() {
    for (int i = 0; i < static_cast<int>(messages_.size()); ++i) Link(i);
    std::vector<int> roots;
    for (int c = 0; c < static_cast<int>(containers_.size()); ++c) {
      if (containers_[c].parent == -1) roots.push_back(c);
    }
    std::vector<int> pruned;
    for (int root : roots) Prune(root, -1, &pruned);
    roots = JoinBySubject(pruned);
    SortByDate(&roots);
    std::vector<ThreadNode> nodes;
    for (int root : roots) Emit(root, -1, 0, &nodes);
    MarkInclusive(&nodes);
    return nodes;
  }

 private:
  int ContainerOf(const std::string& key) {
    auto [it, added] = by_id_.emplace(key, static_cast<int>(containers_.size()));
    if (added) {
      Container c;
      c.message_id = key;
      containers_.push_back(std::move(c));
    }
    return it->second;
  }

  // True when `ancestor` is `node` or above it.
  bool IsAncestor(int ancestor, int node) const {
    for (int at = node; at != -1; at = containers_[at].parent) {
      if (at == ancestor) return true;
    }
    return false;
  }

  void SetParent(int child, int parent) {
    Container& c = containers_[child];
    if (c.parent != -1) {
      auto& siblings = containers_[c.parent].children;
      siblings.erase(std::remove(siblings.begin(), siblings.end(), child), siblings.end());
    }
    c.parent = parent;
    if (parent != -1) containers_[parent].children.push_back(child);
  }

  void Link(int i) {
    const ThreadInput& m = messages_[i];
    int own;
    if (m.message_id.empty() ||
        (by_id_.count(m.message_id) != 0 && containers_[by_id_[m.message_id]].input != -1)) {
      // No Message-ID, or a second copy of a message: a container of its own, under the same
      // parent as the first copy's (its references say so).
      own = ContainerOf(std::string("\x01") + m.id);
      containers_[own].message_id = m.message_id;
    } else {
      own = ContainerOf(m.message_id);
    }
    containers_[own].input = i;
    std::vector<std::string> refs;
    for (const std::string& ref : m.references) {
      if (!ref.empty()) refs.push_back(ref);
    }
    if (!m.in_reply_to.empty() && (refs.empty() || refs.back() != m.in_reply_to)) {
      refs.push_back(m.in_reply_to);
    }
    for (std::size_t r = 0; r + 1 < refs.size(); ++r) {
      const int parent = ContainerOf(refs[r]);
      const int child = ContainerOf(refs[r + 1]);
      if (parent == child || containers_[child].parent != -1 || IsAncestor(child, parent)) {
        continue;
      }
      SetParent(child, parent);
    }
    if (refs.empty()) return;
    const int parent = ContainerOf(refs.back());
    if (parent == own || IsAncestor(own, parent)) return;
    SetParent(own, parent);
  }

  // Leaves out missing messages with no reply, and those answered once (their reply takes their
  // place); appends what stays at this level to `out`.
  void Prune(int c, int parent, std::vector<int>* out) {
    std::vector<int> kept;
    const std::vector<int> children = containers_[c].children;
    for (int child : children) Prune(child, c, &kept);
    containers_[c].children = kept;
    if (containers_[c].input == -1 && kept.size() <= 1) {
      for (int child : kept) {
        containers_[child].parent = parent;
        out->push_back(child);
      }
      return;
    }
    containers_[c].parent = parent;
    out->push_back(c);
  }

  const ThreadInput* MessageOf(int c) const {
    return containers_[c].input == -1 ? nullptr : &messages_[containers_[c].input];
  }

  std::optional<std::int64_t> DateOf(int c) const {
    const ThreadInput* m = MessageOf(c);
    if (m != nullptr) return m->date;
    std::optional<std::int64_t> earliest;
    for (int child : containers_[c].children) {
      const auto date = DateOf(child);
      if (date && (!earliest || *date < *earliest)) earliest = date;
    }
    return earliest;
  }

  void SortByDate(std::vector<int>* list) const {
    std::stable_sort(list->begin(), list->end(), [&](int a, int b) {
      const auto da = DateOf(a), db = DateOf(b);
      if (da.has_value() != db.has_value()) return da.has_value();
      return da && *da < *db;
    });
  }

  // Every message container of the subtree under `c`.
  void Collect(int c, std::vector<int>* out) const {
    if (containers_[c].input != -1) out->push_back(c);
    for (int child : containers_[c].children) Collect(child, out);
  }

  const std::string& OwnWords(int input) {
    auto [it, added] = own_words_.try_emplace(input);
    if (added) it->second = OwnText(messages_[input].text);
    return it->second;
  }
  const std::string& AllWords(int input) {
    auto [it, added] = all_words_.try_emplace(input);
    if (added) it->second = FoldedWords(messages_[input].text);
    return it->second;
  }

  // Roots that carry a reply prefix join the earlier root with their subject.
  std::vector<int> JoinBySubject(std::vector<int> roots) {
    SortByDate(&roots);
    std::vector<int> out;
    for (int root : roots) {
      const ThreadInput* m = MessageOf(root);
      const NormalizedSubject subject = m ? NormalizeSubject(m->subject) : NormalizedSubject{};
      int host = -1;
      if (subject.is_reply && !subject.key.empty()) {
        for (int other : out) {
          const ThreadInput* o = MessageOf(other);
          const std::string key = o ? NormalizeSubject(o->subject).key : std::string();
          if (key != subject.key) continue;
          if (m->date && o->date && *m->date - *o->date > kSubjectJoinWindow) continue;
          host = other;
          break;
        }
      }
      if (host == -1) {
        out.push_back(root);
        continue;
      }
      SetParent(root, ParentInThread(host, root, subject.key));
    }
    return out;
  }

  // Where `reply` goes in the thread under `host`: the latest message with its subject whose own
  // words it quotes, else the latest earlier one with its subject, else `host`.
  int ParentInThread(int host, int reply, const std::string& key) {
    const ThreadInput& r = *MessageOf(reply);
    std::vector<int> members;
    Collect(host, &members);
    SortByDate(&members);
    int quoted = -1, earlier = -1;
    for (int c : members) {
      const ThreadInput& m = *MessageOf(c);
      if (NormalizeSubject(m.subject).key != key) continue;
      if (r.date && m.date && *m.date > *r.date) continue;
      earlier = c;
      const std::string& own = OwnWords(containers_[c].input);
      if (!own.empty() && AllWords(containers_[reply].input).find(own) != std::string::npos) {
        quoted = c;
      }
    }
    if (quoted != -1) return quoted;
    return earlier != -1 ? earlier : host;
  }

  void Emit(int c, int parent, int depth, std::vector<ThreadNode>* nodes) {
    ThreadNode node;
    node.input = containers_[c].input;
    node.message_id = containers_[c].message_id;
    if (!node.message_id.empty() && node.message_id.front() == '\x01') node.message_id.clear();
    node.parent = parent;
    node.depth = depth;
    const int self = static_cast<int>(nodes->size());
    nodes->push_back(std::move(node));
    std::vector<int> children = containers_[c].children;
    SortByDate(&children);
    for (int child : children) Emit(child, self, depth + 1, nodes);
  }

  // A message is not inclusive when one reply below it quotes its own words and carries every
  // one of its attachments.
  void MarkInclusive(std::vector<ThreadNode>* nodes) {
    if (nodes->size() > kMaxInclusiveCheck) return;
    for (std::size_t n = 0; n < nodes->size(); ++n) {
      ThreadNode& node = (*nodes)[n];
      if (node.input == -1) continue;
      const ThreadInput& m = messages_[node.input];
      const std::string& own = OwnWords(node.input);
      for (std::size_t d = n + 1; d < nodes->size() && (*nodes)[d].depth > node.depth; ++d) {
        const int reply = (*nodes)[d].input;
        if (reply == -1) continue;
        if (!own.empty() && AllWords(reply).find(own) == std::string::npos) continue;
        const auto& carried = messages_[reply].attachments;
        const bool carries_all = std::all_of(
            m.attachments.begin(), m.attachments.end(), [&](const std::string& attachment) {
              return std::find(carried.begin(), carried.end(), attachment) != carried.end();
            });
        if (carries_all) {
          node.inclusive = false;
          break;
        }
      }
    }
  }

  const std::vector<ThreadInput>& messages_;
  std::vector<Container> containers_;
  std::unordered_map<std::string, int> by_id_;
  std::map<int, std::string> own_words_, all_words_;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool StartsWithFolded(std::string_view line, std::string_view folded_prefix) {
  return FoldedWords(line.substr(0, std::min<std::size_t>(line.size(), 64)))
             .rfind(folded_prefix, 0) == 0;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "-----Original Message-----", "---------- Forwarded message ---------", "-----Message
// d'origine-----", "-----Ursprüngliche Nachricht-----", a line of underscores (Outlook).
bool IsSeparatorLine(std::string_view line) {
  if (line.size() >= 10 && line.find_first_not_of('_') == std::string_view::npos) return true;
  if (line.rfind("----", 0) != 0) return false;
  const std::string words = FoldedWords(line);
  return words.find("message") != std::string::npos || words.find("nachricht") != std::string::npos;
}

// "On Mon, 5 May 2003, Jane Doe wrote:", "Le 5 mai 2003, Jean a écrit :", "Am ... schrieb":
// the header of a quoted reply, possibly wrapped over two lines.
bool IsAttributionLine(std::string_view line, std::string_view next) {
  const bool starts = line.rfind("On ", 0) == 0 || line.rfind("Le ", 0) == 0 ||
                      line.rfind("Am ", 0) == 0 || line.rfind("El ", 0) == 0;
  if (!starts) return false;
  for (std::string_view candidate : {line, next}) {
    const std::string_view t = Trim(candidate);
    if (EndsWith(t, "wrote:") || EndsWith(t, "écrit :") || EndsWith(t, "écrit:") ||
        EndsWith(t, "schrieb:") || EndsWith(t, "escribió:")) {
      return true;
    }
  }
  return false;
}

// An Outlook header block: "From:" (or "De :", "Von:") with "Sent:", "Date:" or "Envoyé :"
// within the next three lines.
bool IsHeaderBlock(const std::vector<std::string_view>& lines, std::size_t at) {
  const std::string_view line = Trim(lines[at]);
  const bool from = line.rfind("From:", 0) == 0 || line.rfind("De :", 0) == 0 ||
                    line.rfind("De:", 0) == 0 || line.rfind("Von:", 0) == 0;
  if (!from) return false;
  for (std::size_t next = at + 1; next < lines.size() && next <= at + 3; ++next) {
    const std::string_view n = Trim(lines[next]);
    if (StartsWithFolded(n, "sent") || StartsWithFolded(n, "date") ||
        StartsWithFolded(n, "envoye") || StartsWithFolded(n, "gesendet")) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<ThreadNode> BuildThread(const std::vector<ThreadInput>& messages) {
  return Builder(messages).Run();
}

std::string OwnText(std::string_view body) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at <= body.size();) {
    const std::size_t end = body.find('\n', at);
    const std::size_t stop = end == std::string_view::npos ? body.size() : end;
    lines.push_back(body.substr(at, stop - at));
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  std::string kept;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = Trim(lines[i]);
    const std::string_view next = i + 1 < lines.size() ? lines[i + 1] : std::string_view();
    if (IsSeparatorLine(line) || IsAttributionLine(line, next) || IsHeaderBlock(lines, i)) break;
    if (!line.empty() && line.front() == '>') continue;
    kept.append(line);
    kept += '\n';
  }
  return FoldedWords(kept);
}

}  // namespace trove::analyze

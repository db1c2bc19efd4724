// EntityRules: the curation of a collection's entities, applied when they are listed and
// searched.
#include <algorithm>

#include "index/index.h"

namespace trove::index {
namespace {
// Merge chains longer than this are cut (a loop A -> B -> A would never end).
constexpr int kMaxMergeChain = 16;
}  // namespace

EntityRules::EntityRules(const std::vector<EntityRule>& rules) {
  for (const EntityRule& rule : rules) rules_[{rule.type, rule.key}] = rule;
}

std::optional<std::string> EntityRules::Resolve(const std::string& type,
                                                const std::string& key) const {
  std::string at = key;
  for (int step = 0; step < kMaxMergeChain; ++step) {
    const auto it = rules_.find({type, at});
    if (it == rules_.end()) return at;
    switch (it->second.action) {
      case EntityRule::Action::kDelete:
        return std::nullopt;
      case EntityRule::Action::kRename:
        return at;
      case EntityRule::Action::kMerge:
        at = it->second.target;
        break;
    }
  }
  return at;
}

std::string EntityRules::NewName(const std::string& type, const std::string& key) const {
  const auto it = rules_.find({type, key});
  return it != rules_.end() && it->second.action == EntityRule::Action::kRename ? it->second.target
                                                                                : std::string();
}

std::string EntityRules::KeyOfName(const std::string& type, const std::string& name_key) const {
  for (const auto& [where, rule] : rules_) {
    if (where.first == type && rule.action == EntityRule::Action::kRename &&
        EntityKey(rule.target) == name_key) {
      return rule.key;
    }
  }
  return name_key;
}

std::vector<std::string> EntityRules::Sources(const std::string& type,
                                              const std::string& key) const {
  std::vector<std::string> out = {key};
  for (const auto& [where, rule] : rules_) {
    if (where.first != type || rule.action != EntityRule::Action::kMerge) continue;
    if (where.second != key && Resolve(type, where.second) == key) out.push_back(where.second);
  }
  return out;
}

}  // namespace trove::index

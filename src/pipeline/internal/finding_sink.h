// A ChildSink that looks for the one child on the way down a path chain: the OCR reload in the
// worker and the on-demand originals (original.h) both walk a chain container by container.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/document.h"
#include "extract/extractor.h"

namespace trove::pipeline::internal {

// Keeps the child of `parent_chain` that `target_chain` is, or lies under, and stops the
// extractor once it is found (by returning LimitExceeded from OnChild).
class FindingSink final : public extract::ChildSink {
 public:
  FindingSink(std::string parent_chain, std::string target_chain)
      : parent_chain_(std::move(parent_chain)), target_chain_(std::move(target_chain)) {}
  Status OnChild(ChildFile child) override {
    std::string chain = parent_chain_;
    chain += kChainSeparator;
    chain += child.name;
    const bool is_on_the_way =
        target_chain_ == chain ||
        (target_chain_.compare(0, chain.size(), chain) == 0 &&
         target_chain_.compare(chain.size(), kChainSeparator.size(), kChainSeparator) == 0);
    if (!is_on_the_way) return Status::Ok();
    found_chain_ = std::move(chain);
    found_ = std::move(child);
    return Status::LimitExceeded("found");
  }
  void OnChildFailed(std::string /*name*/, Status /*why*/) override {}
  void OnChildSkipped(std::string /*name*/, std::string /*reason*/) override {}
  std::optional<ChildFile>& found() { return found_; }
  const std::string& found_chain() const { return found_chain_; }

 private:
  std::string parent_chain_, target_chain_, found_chain_;
  std::optional<ChildFile> found_;
};

}  // namespace trove::pipeline::internal

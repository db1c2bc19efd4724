// A ChildSink for tests: records every child and failure, and can refuse children after a count
// to test that extractors stop on a sink error.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/document.h"
#include "core/status.h"
#include "extract/extractor.h"

namespace trove::extract::testing {

class RecordingSink : public ChildSink {
 public:
  struct Failure {
    std::string name;
    Status why;
  };

  // After `accept_count` children, OnChild returns LimitExceeded.
  explicit RecordingSink(std::size_t accept_count = static_cast<std::size_t>(-1))
      : accept_count_(accept_count) {}

  Status OnChild(ChildFile child) override {
    if (children.size() >= accept_count_) {
      ++refused;
      return Status::LimitExceeded("test sink accepts " + std::to_string(accept_count_) +
                                   " children");
    }
    children.push_back(std::move(child));
    return Status::Ok();
  }

  void OnChildFailed(std::string name, Status why) override {
    failures.push_back(Failure{std::move(name), std::move(why)});
  }

  void OnChildSkipped(std::string name, std::string reason) override {
    skips.emplace_back(std::move(name), std::move(reason));
  }

  std::vector<ChildFile> children;
  std::vector<Failure> failures;
  std::vector<std::pair<std::string, std::string>> skips;  // name, reason
  int refused = 0;

 private:
  std::size_t accept_count_;
};

}  // namespace trove::extract::testing

#pragma once

// Test support for pc_aws_tests only: a table in place of the process environment, and a
// scratch home directory for the AWS shared files.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/aws/endpoint.hpp"

namespace pcustomer::testing {

inline EnvLookup Env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

// A fresh directory under the system's temporary directory, removed with the object.
class ScratchHome {
 public:
  ScratchHome() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("pc-aws-home-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_ / ".aws");
  }
  ~ScratchHome() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchHome(const ScratchHome&) = delete;
  ScratchHome& operator=(const ScratchHome&) = delete;

  std::string path() const { return path_.string(); }

  // Writes `text` to `relative` (e.g. ".aws/credentials") under the home directory.
  void Write(const std::string& relative, std::string_view text) const {
    std::ofstream file(path_ / relative, std::ios::binary | std::ios::trunc);
    file << text;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace pcustomer::testing

#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Replaces `path` with `content`, readable by the owner only (0600), such that a crash at any
// moment leaves either the old file or the complete new one: the bytes go to a temporary
// file in the same directory (named ".tmp-..."), are fsynced, renamed over `path`, and the
// directory is fsynced. Error::Internal on any I/O failure; the temporary file is removed.
Status WritePrivateFileAtomically(const std::filesystem::path& path, std::string_view content);

// The whole file. Error::NotFound when it does not exist, Error::Internal when it cannot be
// read or is larger than `max_bytes`.
Result<std::string> ReadSmallFile(const std::filesystem::path& path, size_t max_bytes);

// An exclusive advisory lock (flock) on a lock file, held until destruction. Serializes the
// processes that change one directory: a server and the `keys rotate` command.
class FileLock {
 public:
  // Blocks until the lock is held; creates the file (0600) if needed.
  static Result<FileLock> Acquire(const std::filesystem::path& path);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace pcustomer

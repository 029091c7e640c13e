#include "pcustomer/auth/private_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

Error IoError(std::string_view what, const std::filesystem::path& path, int error_number) {
  return Error::Internal(std::string(what) + " " + path.string() + ": " +
                         std::strerror(error_number));
}

bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

Status SyncDirectory(const std::filesystem::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open", directory, errno);
  const bool synced = ::fsync(fd) == 0;
  const int error_number = errno;
  ::close(fd);
  if (!synced) return IoError("cannot fsync", directory, error_number);
  return Ok{};
}

}  // namespace

Status WritePrivateFileAtomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path directory = path.parent_path();
  const std::filesystem::path temporary = directory / (".tmp-" + HexEncode(RandomBytes(8)));
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return IoError("cannot create", temporary, errno);
  bool written = WriteAll(fd, content) && ::fsync(fd) == 0;
  int error_number = written ? 0 : errno;
  if (::close(fd) != 0 && written) {
    written = false;
    error_number = errno;
  }
  if (!written) {
    ::unlink(temporary.c_str());
    return IoError("cannot write", temporary, error_number);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int rename_error = errno;
    ::unlink(temporary.c_str());
    return IoError("cannot rename to", path, rename_error);
  }
  return SyncDirectory(directory);
}

Result<std::string> ReadSmallFile(const std::filesystem::path& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error::NotFound(path.string() + " does not exist");
    return IoError("cannot open", path, errno);
  }
  std::string content;
  char buffer[4096];
  while (true) {
    ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      const int error_number = errno;
      ::close(fd);
      return IoError("cannot read", path, error_number);
    }
    if (count == 0) break;
    content.append(buffer, static_cast<size_t>(count));
    if (content.size() > max_bytes) {
      ::close(fd);
      return Error::Internal(path.string() + " is too large");
    }
  }
  ::close(fd);
  return content;
}

Result<FileLock> FileLock::Acquire(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return IoError("cannot open", path, errno);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int error_number = errno;
    ::close(fd);
    return IoError("cannot lock", path, error_number);
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace pcustomer

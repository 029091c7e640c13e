#pragma once

#include <cstdint>

// Test-only (built into pc_store_tests, never into pc_store; see cmake/tests.cmake).
namespace pcustomer::sqlite::testing {

// The file calls a FaultVfs counts and can fail.
enum class FaultOp { kRead, kWrite, kSync, kTruncate, kFileSize };

// A SQLite VFS over the default one (unix) that counts the I/O calls made on every file
// opened through it (database, WAL, journals; the -shm file is memory-mapped and bypasses
// these calls) and fails a chosen one, the way SQLite's own I/O error tests do: armed at
// call N of one kind, it answers that call with an error code instead of doing it, once or
// for every later call of that kind until cleared. Counters are shared by every connection
// and thread, so one count covers an operation whatever connection does the work.
// Thread-safe.
class FaultVfs {
 public:
  // The name to open a database with (SqliteOptions::vfs, sqlite3_open_v2).
  static constexpr const char* kName = "pcustomer-faults";

  // The one instance, registered with SQLite on first use (never as the default VFS).
  static FaultVfs& Get();

  // Disarms and zeroes every counter.
  void Reset();

  // Zeroes every counter, then fails the `nth` (1-based) next call of `op` with `code`
  // (SQLITE_IOERR_WRITE, SQLITE_FULL, ...). When `persistent`, every later call of `op`
  // fails too, until Clear().
  void Arm(FaultOp op, int64_t nth, int code, bool persistent);

  // Disarms; calls succeed again. Counters keep counting.
  void Clear();

  // Calls of `op` since the last Reset() or Arm().
  int64_t Calls(FaultOp op) const;

  // Calls answered with the armed error since the last Arm().
  int64_t Injected() const;

 private:
  FaultVfs();
};

}  // namespace pcustomer::sqlite::testing

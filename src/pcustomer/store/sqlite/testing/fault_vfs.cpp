#include "pcustomer/store/sqlite/testing/fault_vfs.hpp"

#include <sqlite3.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace pcustomer::sqlite::testing {
namespace {

constexpr size_t kOpCount = 5;

// Shared by every file and thread; one mutex is plenty for the few calls a test makes.
struct State {
  std::mutex mutex;
  std::array<int64_t, kOpCount> calls{};
  bool armed = false;
  FaultOp op = FaultOp::kWrite;
  int64_t nth = 0;
  int code = SQLITE_IOERR;
  bool persistent = false;
  int64_t injected = 0;
};

State& Shared() {
  static State state;
  return state;
}

// Counts a call of `op`; true, with the code to answer in `code`, when it is to fail.
bool Intercept(FaultOp op, int* code) {
  State& state = Shared();
  std::lock_guard lock(state.mutex);
  const int64_t call = ++state.calls[static_cast<size_t>(op)];
  if (!state.armed || state.op != op) return false;
  if (call != state.nth && !(state.persistent && call > state.nth)) return false;
  ++state.injected;
  *code = state.code;
  return true;
}

sqlite3_vfs* Base() {
  static sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  return base;
}

// Our file, followed in the same allocation by the base VFS's file it forwards to.
struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_file* Real(sqlite3_file* file) { return reinterpret_cast<FaultFile*>(file)->real; }

int FileClose(sqlite3_file* file) { return Real(file)->pMethods->xClose(Real(file)); }

int FileRead(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  if (int code = 0; Intercept(FaultOp::kRead, &code)) return code;
  return Real(file)->pMethods->xRead(Real(file), buffer, amount, offset);
}

int FileWrite(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  if (int code = 0; Intercept(FaultOp::kWrite, &code)) return code;
  return Real(file)->pMethods->xWrite(Real(file), buffer, amount, offset);
}

int FileTruncate(sqlite3_file* file, sqlite3_int64 size) {
  if (int code = 0; Intercept(FaultOp::kTruncate, &code)) return code;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}

int FileSync(sqlite3_file* file, int flags) {
  if (int code = 0; Intercept(FaultOp::kSync, &code)) return code;
  return Real(file)->pMethods->xSync(Real(file), flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (int code = 0; Intercept(FaultOp::kFileSize, &code)) return code;
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

int FileLock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xLock(Real(file), level);
}

int FileUnlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}

int FileCheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}

int FileSectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }

int FileDeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}

int FileShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), region, size, extend, out);
}

int FileShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}

void FileShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }

int FileShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}

// Version 2: shared memory for WAL, but no xFetch, so SQLite never memory-maps the database
// and every page it reads goes through xRead, where faults can reach it.
const sqlite3_io_methods kFileMethods = {
    2,
    FileClose,
    FileRead,
    FileWrite,
    FileTruncate,
    FileSync,
    FileSize,
    FileLock,
    FileUnlock,
    FileCheckReservedLock,
    FileControl,
    FileSectorSize,
    FileDeviceCharacteristics,
    FileShmMap,
    FileShmLock,
    FileShmBarrier,
    FileShmUnmap,
    nullptr,
    nullptr,
};

int VfsOpen(sqlite3_vfs* /*vfs*/, sqlite3_filename name, sqlite3_file* file, int flags,
            int* out_flags) {
  auto* fault = reinterpret_cast<FaultFile*>(file);
  fault->real = reinterpret_cast<sqlite3_file*>(fault + 1);
  const int rc = Base()->xOpen(Base(), name, fault->real, flags, out_flags);
  // SQLite calls xClose exactly when pMethods is set, so it mirrors the base file's.
  fault->base.pMethods = fault->real->pMethods != nullptr ? &kFileMethods : nullptr;
  return rc;
}

int VfsDelete(sqlite3_vfs*, const char* name, int sync_dir) {
  return Base()->xDelete(Base(), name, sync_dir);
}
int VfsAccess(sqlite3_vfs*, const char* name, int flags, int* out) {
  return Base()->xAccess(Base(), name, flags, out);
}
int VfsFullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return Base()->xFullPathname(Base(), name, size, out);
}
void* VfsDlOpen(sqlite3_vfs*, const char* name) { return Base()->xDlOpen(Base(), name); }
void VfsDlError(sqlite3_vfs*, int size, char* out) { Base()->xDlError(Base(), size, out); }
void (*VfsDlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return Base()->xDlSym(Base(), handle, symbol);
}
void VfsDlClose(sqlite3_vfs*, void* handle) { Base()->xDlClose(Base(), handle); }
int VfsRandomness(sqlite3_vfs*, int size, char* out) {
  return Base()->xRandomness(Base(), size, out);
}
int VfsSleep(sqlite3_vfs*, int micros) { return Base()->xSleep(Base(), micros); }
int VfsCurrentTime(sqlite3_vfs*, double* out) { return Base()->xCurrentTime(Base(), out); }
int VfsGetLastError(sqlite3_vfs*, int size, char* out) {
  return Base()->xGetLastError(Base(), size, out);
}
int VfsCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return Base()->xCurrentTimeInt64(Base(), out);
}

}  // namespace

FaultVfs::FaultVfs() {
  sqlite3_vfs* base = Base();
  // The base must offer shared memory (WAL) and xCurrentTimeInt64; the unix VFS does.
  if (base == nullptr || base->iVersion < 2) std::abort();
  static sqlite3_vfs vfs = {
      2,
      static_cast<int>(sizeof(FaultFile)) + base->szOsFile,
      base->mxPathname,
      nullptr,
      kName,
      nullptr,
      VfsOpen,
      VfsDelete,
      VfsAccess,
      VfsFullPathname,
      VfsDlOpen,
      VfsDlError,
      VfsDlSym,
      VfsDlClose,
      VfsRandomness,
      VfsSleep,
      VfsCurrentTime,
      VfsGetLastError,
      VfsCurrentTimeInt64,
      nullptr,
      nullptr,
      nullptr,
  };
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) std::abort();
}

FaultVfs& FaultVfs::Get() {
  static FaultVfs instance;
  return instance;
}

void FaultVfs::Reset() {
  State& state = Shared();
  std::lock_guard lock(state.mutex);
  state.calls = {};
  state.armed = false;
  state.injected = 0;
}

void FaultVfs::Arm(FaultOp op, int64_t nth, int code, bool persistent) {
  State& state = Shared();
  std::lock_guard lock(state.mutex);
  state.calls = {};
  state.armed = true;
  state.op = op;
  state.nth = nth;
  state.code = code;
  state.persistent = persistent;
  state.injected = 0;
}

void FaultVfs::Clear() {
  State& state = Shared();
  std::lock_guard lock(state.mutex);
  state.armed = false;
}

int64_t FaultVfs::Calls(FaultOp op) const {
  State& state = Shared();
  std::lock_guard lock(state.mutex);
  return state.calls[static_cast<size_t>(op)];
}

int64_t FaultVfs::Injected() const {
  State& state = Shared();
  std::lock_guard lock(state.mutex);
  return state.injected;
}

}  // namespace pcustomer::sqlite::testing

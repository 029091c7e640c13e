#pragma once

#include <string>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

namespace pcustomer::sqlite {

// Opens (creating it if missing) the database for writing: WAL journal, so readers never
// wait for the writer, and synchronous=FULL, so a committed transaction is on disk before
// anyone is told. kInternal when the file is not a database; kUnavailable when it cannot be
// opened.
// `vfs` names the SQLite VFS (the default when empty).
Result<Connection> OpenWriterConnection(const std::string& path, int busy_timeout_ms,
                                        const std::string& vfs = {});

// Opens an existing database read-only, for queries running beside the writer.
Result<Connection> OpenReaderConnection(const std::string& path, int busy_timeout_ms,
                                        const std::string& vfs = {});

}  // namespace pcustomer::sqlite

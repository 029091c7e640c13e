#include "pcustomer/store/sqlite/group_commit_writer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>

#include "pcustomer/util/escaped_exceptions.hpp"

namespace pcustomer::sqlite {
namespace {

class GroupCommitWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("pc_writer_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  Connection Open() {
    Result<Connection> db =
        Connection::Open(path_.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1000);
    EXPECT_TRUE(db.ok());
    return std::move(db).value();
  }

  std::filesystem::path path_;
};

// A write whose body throws (a bug) fails alone with kInternal: the writer thread lives on,
// and the other writes of its group commit.
TEST_F(GroupCommitWriterTest, AWriteThatThrowsFailsAloneAndTheGroupCommits) {
  Connection db = Open();
  ASSERT_EQ(db.Execute("CREATE TABLE t(x INTEGER)"), SQLITE_OK);
  const uint64_t before = EscapedExceptionCount();
  std::promise<Result<Ok>> thrown;
  std::promise<Result<Ok>> inserted;
  std::promise<Result<Ok>> after;
  {
    GroupCommitWriter writer(std::move(db), WriterOptions{});
    auto insert = [](Connection& connection) -> Result<Ok> {
      if (connection.ExecuteCached("INSERT INTO t VALUES (1)") != SQLITE_OK) {
        return Error::Internal("insert failed");
      }
      return Ok{};
    };
    writer.Submit(MakeWriteOp<Ok>(
        [](Connection& connection) -> Result<Ok> {
          connection.ExecuteCached("INSERT INTO t VALUES (99)");  // rolled back with its savepoint
          throw std::runtime_error("a bug in a write");
        },
        [&](Result<Ok> result) { thrown.set_value(std::move(result)); }));
    writer.Submit(
        MakeWriteOp<Ok>(insert, [&](Result<Ok> result) { inserted.set_value(std::move(result)); }));
    Result<Ok> first = thrown.get_future().get();
    ASSERT_FALSE(first.ok());
    EXPECT_EQ(first.error().code, ErrorCode::kInternal);
    EXPECT_TRUE(inserted.get_future().get().ok());
    writer.Submit(
        MakeWriteOp<Ok>(insert, [&](Result<Ok> result) { after.set_value(std::move(result)); }));
    EXPECT_TRUE(after.get_future().get().ok());
  }
  EXPECT_EQ(EscapedExceptionCount(), before + 1);
  Connection check = Open();
  Result<Query> count = check.Prepare("SELECT count(*), coalesce(max(x), 0) FROM t");
  ASSERT_TRUE(count.ok());
  ASSERT_EQ(count->Step(), SQLITE_ROW);
  EXPECT_EQ(count->Int64(0), 2);
  EXPECT_EQ(count->Int64(1), 1);
}

// A callback that throws is counted; the writer goes on with the next writes.
TEST_F(GroupCommitWriterTest, ACallbackThatThrowsDoesNotStopTheWriter) {
  Connection db = Open();
  ASSERT_EQ(db.Execute("CREATE TABLE t(x INTEGER)"), SQLITE_OK);
  const uint64_t before = EscapedExceptionCount();
  std::promise<void> next;
  {
    GroupCommitWriter writer(std::move(db), WriterOptions{});
    auto nothing = [](Connection&) -> Result<Ok> { return Ok{}; };
    writer.Submit(MakeWriteOp<Ok>(nothing, [](Result<Ok>) { throw std::runtime_error("a bug"); }));
    writer.Submit(MakeWriteOp<Ok>(nothing, [&](Result<Ok>) { next.set_value(); }));
    next.get_future().get();
  }
  EXPECT_EQ(EscapedExceptionCount(), before + 1);
}

}  // namespace
}  // namespace pcustomer::sqlite

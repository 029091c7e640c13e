#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// Customers in test failures read as fields, not bytes. gtest finds it by argument-dependent
// lookup, so it sits in Customer's namespace.
inline void PrintTo(const Customer& c, std::ostream* os) {
  *os << "{" << c.id << ", " << c.full_name << ", " << c.phone << ", " << c.age << ", "
      << c.product_code << ", " << c.create_at << ", v" << c.version << ", " << c.updated_at << "}";
}

}  // namespace pcustomer

// Helpers for tests of every store backend: blocking calls of the CustomerStore interface,
// temporary directories and result collectors. Header-only, so no library links them.
namespace pcustomer::test {

// A fresh directory under `root` (the test temporary directory by default), removed with its
// contents when the object goes out of scope.
class TempDirectory {
 public:
  explicit TempDirectory(const std::filesystem::path& root = ::testing::TempDir()) {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        "pcustomer_store_" + std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1));
    if (info != nullptr) name += std::string("_") + info->name();
    path_ = root / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Starts an asynchronous operation with a callback and waits for its result.
template <class T, class Start>
Result<T> Await(Start start) {
  std::promise<Result<T>> promise;
  std::future<Result<T>> future = promise.get_future();
  start([&promise](Result<T> result) { promise.set_value(std::move(result)); });
  return future.get();
}

// Who the tests' changes are recorded as made by, unless a test says otherwise.
inline Actor TestActor() { return {"sub-of-tester", "tester"}; }

inline Result<Customer> CreateNow(CustomerStore& store, NewCustomer customer,
                                  Actor by = TestActor()) {
  return Await<Customer>(
      [&](Done<Customer> done) { store.Create(std::move(customer), std::move(by), done); });
}
inline Result<Customer> GetNow(CustomerStore& store, std::string id) {
  return Await<Customer>([&](Done<Customer> done) { store.Get(std::move(id), done); });
}
inline Result<Customer> UpdateNow(CustomerStore& store, std::string id, CustomerPatch patch,
                                  ExpectedVersion expected = {}, Actor by = TestActor()) {
  return Await<Customer>([&](Done<Customer> done) {
    store.Update(std::move(id), std::move(patch), expected, std::move(by), done);
  });
}
inline Status TrashNow(CustomerStore& store, std::string id, ExpectedVersion expected = {},
                       Actor by = TestActor()) {
  return Await<Ok>(
      [&](Done<Ok> done) { store.Trash(std::move(id), expected, std::move(by), done); });
}
inline Result<TrashPage> ListTrashNow(CustomerStore& store, TrashPageRequest request) {
  return Await<TrashPage>([&](Done<TrashPage> done) { store.ListTrash(std::move(request), done); });
}
inline Result<Customer> RestoreNow(CustomerStore& store, std::string id,
                                   ExpectedVersion expected = {}, Actor by = TestActor()) {
  return Await<Customer>(
      [&](Done<Customer> done) { store.Restore(std::move(id), expected, std::move(by), done); });
}
inline Status EraseNow(CustomerStore& store, std::string id) {
  return Await<Ok>([&](Done<Ok> done) { store.Erase(std::move(id), done); });
}
inline Result<int> EraseTrashedBeforeNow(CustomerStore& store, std::string cutoff, int limit) {
  return Await<int>(
      [&](Done<int> done) { store.EraseTrashedBefore(std::move(cutoff), limit, done); });
}
inline Result<CustomerPage> ListNow(CustomerStore& store, PageRequest request) {
  return Await<CustomerPage>(
      [&](Done<CustomerPage> done) { store.List(std::move(request), done); });
}
inline Result<SearchPage> SearchNow(CustomerStore& store, SearchRequest request) {
  return Await<SearchPage>([&](Done<SearchPage> done) { store.Search(std::move(request), done); });
}
inline Result<HistoryPage> HistoryNow(CustomerStore& store, HistoryRequest request) {
  return Await<HistoryPage>(
      [&](Done<HistoryPage> done) { store.History(std::move(request), done); });
}
inline Result<std::optional<Customer>> FindByPhoneNow(CustomerStore& store, std::string phone) {
  return Await<std::optional<Customer>>(
      [&](Done<std::optional<Customer>> done) { store.FindByPhone(std::move(phone), done); });
}

// A valid new customer whose phone is unique per `n`.
inline NewCustomer Lead(int n) {
  char phone[16];
  std::snprintf(phone, sizeof phone, "09%08d", n);
  return {"Nguyễn Văn An", phone, 30, "household_tool"};
}

// Gathers results that callbacks deliver on other threads.
template <class T>
class Collector {
 public:
  Done<T> Callback() {
    return [this](Result<T> result) {
      // Notifying under the lock: once a waiter sees the last result it may destroy this
      // collector, which must then no longer be in use.
      std::lock_guard lock(mutex_);
      results_.push_back(std::move(result));
      arrived_.notify_all();
    };
  }
  // Every result once `count` have arrived.
  std::vector<Result<T>> WaitFor(size_t count) {
    std::unique_lock lock(mutex_);
    arrived_.wait(lock, [&] { return results_.size() >= count; });
    return results_;
  }
  size_t Count() {
    std::lock_guard lock(mutex_);
    return results_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Result<T>> results_;
};

}  // namespace pcustomer::test

#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "pcustomer/app/config.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// Erases leads trashed more than `trash_days` ago (store/trash_sweep.hpp) on a thread of its
// own: once at start, then every `interval`, until destroyed. Several servers on one store
// may each sweep: an erasure another one did first is simply not counted.
class PeriodicTrashSweep {
 public:
  PeriodicTrashSweep(CustomerStore& store, int trash_days, std::chrono::seconds interval);
  ~PeriodicTrashSweep();  // stops and joins; a sweep under way finishes its batch first

  PeriodicTrashSweep(const PeriodicTrashSweep&) = delete;
  PeriodicTrashSweep& operator=(const PeriodicTrashSweep&) = delete;

 private:
  void Run();

  CustomerStore& store_;
  const int trash_days_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// `pcustomer trash sweep`: one sweep now, for a cron job or a test; prints how many leads
// it erased. The exit status as the other administration commands.
int RunTrashSweep(const Config& config);

}  // namespace pcustomer

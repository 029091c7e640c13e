#include "pcustomer/app/trash_sweeper.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "pcustomer/app/blocking.hpp"
#include "pcustomer/app/store_setup.hpp"
#include "pcustomer/store/trash_sweep.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

Result<int> SweepNow(CustomerStore& store, int trash_days) {
  return Wait<int>([&](Done<int> done) {
    SweepTrash(store, TrashCutoff(NowUnixMillis(), trash_days), std::move(done));
  });
}

}  // namespace

PeriodicTrashSweep::PeriodicTrashSweep(CustomerStore& store, int trash_days,
                                       std::chrono::seconds interval)
    : store_(store), trash_days_(trash_days), interval_(interval), thread_([this] { Run(); }) {}

PeriodicTrashSweep::~PeriodicTrashSweep() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicTrashSweep::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    Result<int> erased = SweepNow(store_, trash_days_);
    if (!erased.ok()) {
      spdlog::warn("trash sweep failed: {}", erased.error().Described());
    } else if (*erased > 0) {
      spdlog::info("trash sweep erased {} lead(s) trashed over {} day(s) ago", *erased,
                   trash_days_);
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

int RunTrashSweep(const Config& config) {
  auto stores = OpenStores(config);
  if (!stores) {
    std::fprintf(stderr, "pcustomer: cannot open the %s store: %s\n", config.store.c_str(),
                 stores.error().Described().c_str());
    return 1;
  }
  Result<int> erased = SweepNow(*stores->customers, config.trash_days);
  if (!erased.ok()) {
    std::fprintf(stderr, "pcustomer: trash sweep failed: %s\n", erased.error().Described().c_str());
    return 1;
  }
  std::printf("erased %d lead(s) trashed over %d day(s) ago\n", *erased, config.trash_days);
  return 0;
}

}  // namespace pcustomer

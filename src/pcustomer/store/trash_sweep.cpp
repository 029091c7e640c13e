#include "pcustomer/store/trash_sweep.hpp"

#include <memory>
#include <utility>

#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

constexpr int64_t kMillisPerDay = int64_t{24} * 60 * 60 * 1000;

// One batch, then the next from its callback, until a batch comes back short.
void SweepFrom(CustomerStore& store, std::shared_ptr<const std::string> cutoff, int erased_before,
               Done<int> done) {
  store.EraseTrashedBefore(
      *cutoff, kTrashSweepBatch,
      [&store, cutoff, erased_before, done = std::move(done)](Result<int> erased) mutable {
        if (!erased.ok()) return done(std::move(erased).error());
        const int total = erased_before + *erased;
        if (*erased < kTrashSweepBatch) return done(total);
        SweepFrom(store, std::move(cutoff), total, std::move(done));
      });
}

}  // namespace

std::string TrashCutoff(int64_t now_millis, int trash_days) {
  return FormatIsoMillis(now_millis - trash_days * kMillisPerDay);
}

void SweepTrash(CustomerStore& store, std::string cutoff, Done<int> done) {
  SweepFrom(store, std::make_shared<const std::string>(std::move(cutoff)), 0, std::move(done));
}

}  // namespace pcustomer

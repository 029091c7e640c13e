#include "pcustomer/store/lead_batch.hpp"

#include <memory>
#include <optional>
#include <utility>

#include "pcustomer/domain/customer_fields.hpp"

namespace pcustomer {
namespace {

struct BatchRun {
  CustomerStore& store;
  std::vector<NewCustomer> items;
  BatchMode mode;
  Actor by;
  Done<std::vector<BatchItemResult>> done;
  std::vector<BatchItemResult> results;
};

void WriteNext(std::shared_ptr<BatchRun> run);

void Record(const std::shared_ptr<BatchRun>& run, BatchItemResult result) {
  run->results.push_back(std::move(result));
  WriteNext(run);
}

void CreateItem(const std::shared_ptr<BatchRun>& run, const NewCustomer& item) {
  run->store.Create(item, run->by, [run](Result<Customer> created) {
    Record(run, BatchItemResult(std::move(created)));
  });
}

// The lead holding the phone takes the item's fields; without one the item is created.
void UpsertItem(const std::shared_ptr<BatchRun>& run, const NewCustomer& item) {
  run->store.FindByPhone(item.phone, [run, item](Result<std::optional<Customer>> holder) {
    if (!holder.ok()) return Record(run, BatchItemResult(std::move(holder).error()));
    if (!holder->has_value()) return CreateItem(run, item);
    const Customer& stored = **holder;
    CustomerPatch patch = DifferencesFrom(stored, item);
    if (patch.empty()) return Record(run, BatchItemResult(stored, false));
    run->store.Update(stored.id, std::move(patch), {}, run->by, [run](Result<Customer> updated) {
      Record(run, BatchItemResult(std::move(updated), false));
    });
  });
}

void WriteNext(std::shared_ptr<BatchRun> run) {
  if (run->results.size() == run->items.size()) return run->done(std::move(run->results));
  const NewCustomer& item = run->items[run->results.size()];
  if (run->mode == BatchMode::kUpsert) return UpsertItem(run, item);
  CreateItem(run, item);
}

}  // namespace

void WriteBatchOneByOne(CustomerStore& store, std::vector<NewCustomer> items, BatchMode mode,
                        Actor by, Done<std::vector<BatchItemResult>> done) {
  auto run = std::make_shared<BatchRun>(
      BatchRun{store, std::move(items), mode, std::move(by), std::move(done), {}});
  run->results.reserve(run->items.size());
  WriteNext(std::move(run));
}

}  // namespace pcustomer

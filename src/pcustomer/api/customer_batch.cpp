// POST /pcustomers/batch (CONTRACT.md section 8): CustomerRoutes::CreateBatch, apart from the
// single-lead routes.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pcustomer/api/customer_json.hpp"
#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/sent_body.hpp"
#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/validation/customer_validation.hpp"

namespace pcustomer {
namespace {

// One result of the batch answer: {"status": N, "data": <customer>} or {"status": N, "error":
// {...}}. Both are the single-lead answers' envelopes with the status put first.
std::string ItemJson(int status, const std::string& envelope) {
  return "{\"status\":" + std::to_string(status) + "," + envelope.substr(1);
}

std::string ItemJson(const Error& error) {
  return ItemJson(HttpStatusOf(error.code), ErrorResponse(error).body);
}

std::string BatchEnvelope(const std::vector<std::string>& results) {
  std::string json = "{\"data\":{\"results\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    if (i > 0) json += ',';
    json += results[i];
  }
  return json + "]}}";
}

}  // namespace

void CustomerRoutes::CreateBatch(Request request, Principal caller, Reply reply) {
  Result<SentBatch> batch = ReadSentBatch(request.body);
  if (!batch) return reply(ErrorResponse(batch.error()));
  // Items that fail validation answer 400 in their place; the others go to the store together.
  auto run = std::make_shared<BatchRun>();
  run->results.resize(batch->items.size());
  std::set<std::string> owners;
  for (size_t i = 0; i < batch->items.size(); ++i) {
    Result<NewCustomer> item = ValidateNewCustomer(batch->items[i]);
    if (!item) {
      run->results[i] = ItemJson(item.error());
      continue;
    }
    if (item->owner_id) owners.insert(*item->owner_id);
    run->owner_sent.push_back(HasMember(batch->items[i], kOwnerIdField.json));
    run->valid.push_back(std::move(*item));
    run->positions.push_back(i);
  }
  if (run->valid.empty()) return reply(JsonResponse(BatchEnvelope(run->results)));
  run->mode = batch->mode;
  run->by = ActorOf(caller);
  // Each distinct owner is checked once; the turn takers are asked once for the batch.
  owners_.CheckEach(
      {owners.begin(), owners.end()},
      [this, run, reply = std::move(reply)](
          Result<std::map<std::string, Result<std::optional<std::string>>>> checked) mutable {
        if (!checked) return reply(ErrorResponse(checked.error()));
        owners_.TakingTurns([this, run, checked = std::move(*checked),
                             reply = std::move(reply)](Result<std::vector<std::string>> turns) {
          if (!turns) return reply(ErrorResponse(turns.error()));
          WriteBatch(*run, checked, *turns, reply);
        });
      });
}

void CustomerRoutes::WriteBatch(
    BatchRun& run, const std::map<std::string, Result<std::optional<std::string>>>& owners,
    const std::vector<std::string>& turns, Reply reply) {
  std::vector<NewCustomer> valid;
  std::vector<size_t> positions;
  for (size_t n = 0; n < run.valid.size(); ++n) {
    NewCustomer& item = run.valid[n];
    if (item.owner_id) {
      const Result<std::optional<std::string>>& owner = owners.at(*item.owner_id);
      if (!owner) {
        run.results[run.positions[n]] = ItemJson(owner.error());
        continue;
      }
      item.owner_id = *owner;
    } else if (!run.owner_sent[n]) {
      item.assign_in_turn = turns;
    }
    valid.push_back(std::move(item));
    positions.push_back(run.positions[n]);
  }
  std::vector<std::string> results = std::move(run.results);
  if (valid.empty()) return reply(JsonResponse(BatchEnvelope(results)));
  store_.CreateBatch(
      std::move(valid), run.mode, run.by,
      [results = std::move(results), positions = std::move(positions),
       reply = std::move(reply)](Result<std::vector<BatchItemResult>> written) mutable {
        if (!written) return reply(ErrorResponse(written.error()));
        for (size_t n = 0; n < written->size() && n < positions.size(); ++n) {
          const BatchItemResult& item = (*written)[n];
          results[positions[n]] = item.outcome.ok() ? ItemJson(item.created ? 201 : 200,
                                                               CustomerEnvelope(*item.outcome))
                                                    : ItemJson(item.outcome.error());
        }
        reply(JsonResponse(BatchEnvelope(results)));
      });
}

}  // namespace pcustomer

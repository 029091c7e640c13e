// POST /pcustomers/batch (CONTRACT.md section 8): CustomerRoutes::CreateBatch, apart from the
// single-lead routes.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pcustomer/api/customer_json.hpp"
#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/sent_body.hpp"
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
  std::vector<std::string> results(batch->items.size());
  std::vector<NewCustomer> valid;
  std::vector<size_t> positions;
  for (size_t i = 0; i < batch->items.size(); ++i) {
    Result<NewCustomer> item = ValidateNewCustomer(batch->items[i]);
    if (!item) {
      results[i] = ItemJson(item.error());
      continue;
    }
    valid.push_back(std::move(*item));
    positions.push_back(i);
  }
  if (valid.empty()) return reply(JsonResponse(BatchEnvelope(results)));
  store_.CreateBatch(
      std::move(valid), batch->mode, ActorOf(caller),
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

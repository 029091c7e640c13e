#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "pcustomer/aws/credentials.hpp"
#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/aws/endpoint.hpp"
#include "pcustomer/aws/http_transport.hpp"
#include "pcustomer/domain/error.hpp"

namespace pcustomer {

struct DynamoDbHttpClientOptions {
  AwsEndpoint endpoint;  // ResolveEndpoint(kDynamoDbService, region, env)
  std::string region;    // signs the requests; emulators accept any
  // Per attempt, covering connect, write and read. DynamoDB answers in milliseconds; a
  // request that has not been answered in this time is better sent again.
  std::chrono::milliseconds attempt_timeout = std::chrono::seconds(3);
  int max_attempts = 3;
  // Full jitter: before retry n (1-based), wait uniform(0, min(cap, base * 2^(n-1))). Spreads
  // the retries of many callers that failed together instead of having them collide again.
  std::chrono::milliseconds backoff_base = std::chrono::milliseconds(50);
  std::chrono::milliseconds backoff_cap = std::chrono::seconds(1);
  // Uniform in [0, 1); a seeded generator when empty. Tests pin it.
  std::function<double()> jitter;
  // Calls `then` once `delay` has passed, without blocking the caller; the client's own timer
  // thread when empty. Tests record the delays and call `then` at once.
  std::function<void(std::chrono::milliseconds delay, std::function<void()> then)> sleep;
  // Unix seconds for X-Amz-Date; the system clock when empty.
  std::function<int64_t()> now_seconds;
};

// DynamoDbClient over HTTP(S): each attempt gets credentials from `credentials`, signs a
// POST / with SigV4 (service "dynamodb") and sends it through `transport` with
// `attempt_timeout`; see DynamoDbClient for how answers map to results.
//
// Writes are retried like reads, as the AWS SDKs do, although a write whose attempt timed
// out, lost its connection or got a 5xx may have been carried out. The store makes every
// write conditional, so a repeated write that had taken effect fails its own condition: a
// failed condition that follows such an attempt is kOutcomeUnknown rather than
// kConditionFailed, and the store must then check whether the item already holds its write
// before calling it a conflict. Requests without a condition are repeatable as they stand
// (PutItem of the same item, DeleteItem); TransactWriteItems should carry a
// ClientRequestToken, which makes DynamoDB ignore a repeat for ten minutes.
//
// `done` runs on the transport's thread or on the client's timer thread, never on the
// caller's. The transport and the credentials provider must outlive the client; the client
// may be destroyed with calls in flight (not from inside a `done`): their retries stop, and
// each still gets exactly one `done`.
class DynamoDbHttpClient final : public DynamoDbClient {
 public:
  DynamoDbHttpClient(DynamoDbHttpClientOptions options, HttpTransport& transport,
                     AwsCredentialsProvider& credentials);
  ~DynamoDbHttpClient() override;

  DynamoDbHttpClient(const DynamoDbHttpClient&) = delete;
  DynamoDbHttpClient& operator=(const DynamoDbHttpClient&) = delete;

  void Call(std::string_view operation, std::string request_json, DynamoDbDone done) override;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

// Whether retrying cannot change anything DynamoDB stores (GetItem, Query, Scan, ...).
bool IsDynamoDbReadOperation(std::string_view operation);

// The full-jitter delay before retry `retry` (1-based): `unit` (in [0, 1)) times
// min(cap, base * 2^(retry-1)).
std::chrono::milliseconds FullJitterBackoff(int retry, std::chrono::milliseconds base,
                                            std::chrono::milliseconds cap, double unit);

}  // namespace pcustomer

#include "pcustomer/aws/dynamodb_http_client.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <mutex>
#include <random>
#include <utility>

#include "pcustomer/aws/dynamodb_error.hpp"
#include "pcustomer/aws/sigv4.hpp"
#include "pcustomer/aws/timer_thread.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {

namespace {

bool IsOperationName(std::string_view operation) {
  return !operation.empty() && operation.size() <= 64 &&
         std::all_of(operation.begin(), operation.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

// For messages only, so it is looked up when an answer needs it.
std::string TableName(const std::string& request_json) {
  rapidjson::Document document;
  document.Parse(request_json.data(), request_json.size());
  const rapidjson::Value& root = document;
  if (!document.HasParseError() && root.IsObject()) {
    auto name = root.FindMember("TableName");
    if (name != root.MemberEnd() && name->value.IsString()) return name->value.GetString();
  }
  return "(unnamed)";
}

// A failure of the layers under the client (credentials, signing, the transport): a bug or a
// broken setting (kInternal) stays one; anything else left the call without an answer.
DynamoDbCallError CallErrorFrom(const Error& error) {
  if (error.code == ErrorCode::kInternal) return DynamoDbCallError::Internal(error.Described());
  return DynamoDbCallError::Unavailable(error.Described());
}

}  // namespace

bool IsDynamoDbReadOperation(std::string_view operation) {
  static constexpr std::array<std::string_view, 10> kReads = {
      "GetItem",           "BatchGetItem",  "Query",      "Scan",
      "TransactGetItems",  "DescribeTable", "ListTables", "DescribeTimeToLive",
      "DescribeEndpoints", "DescribeLimits"};
  return std::ranges::find(kReads, operation) != kReads.end();
}

std::chrono::milliseconds FullJitterBackoff(int retry, std::chrono::milliseconds base,
                                            std::chrono::milliseconds cap, double unit) {
  // Doubling stops at the cap; the shift is bounded so it cannot overflow.
  const int64_t doubled = base.count() << std::clamp(retry - 1, 0, 20);
  const int64_t ceiling = std::min<int64_t>(cap.count(), doubled);
  const double factor = std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(factor * static_cast<double>(ceiling)));
}

// Shared with every call in flight, which keeps it alive after the client is gone.
class DynamoDbHttpClient::Impl : public std::enable_shared_from_this<DynamoDbHttpClient::Impl> {
 public:
  Impl(DynamoDbHttpClientOptions options, HttpTransport& transport,
       AwsCredentialsProvider& credentials)
      : options_(std::move(options)), transport_(transport), credentials_(credentials) {
    options_.max_attempts = std::max(1, options_.max_attempts);
    if (!options_.now_seconds) options_.now_seconds = [] { return NowUnixMillis() / 1000; };
    if (!options_.jitter) {
      options_.jitter = [generator = std::make_shared<Generator>()] { return generator->Next(); };
    }
    if (!options_.sleep) {
      timer_ = std::make_unique<TimerThread>();
      options_.sleep = [timer = timer_.get()](std::chrono::milliseconds delay,
                                              std::function<void()> then) {
        timer->After(delay, std::move(then));
      };
    }
  }

  void Start(std::string_view operation, std::string request_json, DynamoDbDone done) {
    auto call = std::make_shared<Call>();
    call->operation = std::string(operation);
    call->body = std::move(request_json);
    call->done = std::move(done);
    if (!IsOperationName(operation)) {
      return Complete(call, DynamoDbCallError::Internal("not a DynamoDB operation name"), true);
    }
    Attempt(call);
  }

  // Stops retries and waits until no attempt is being started, so that the transport and
  // the credentials provider are no longer touched once this returns.
  void Shutdown() {
    {
      std::unique_lock lock(mutex_);
      closed_ = true;
      idle_.wait(lock, [this] { return starting_ == 0; });
    }
    if (timer_) timer_->Stop();
  }

 private:
  struct Call {
    std::string operation;
    std::string body;
    DynamoDbDone done;
    int attempts = 0;
    bool outcome_unknown = false;
  };

  // Uniform [0, 1) from a generator seeded once; guarded since calls run on many threads.
  class Generator {
   public:
    Generator() : engine_(std::random_device{}()) {}
    double Next() {
      std::lock_guard lock(mutex_);
      return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
    }

   private:
    std::mutex mutex_;
    std::mt19937_64 engine_;
  };

  // Brackets every use of transport_ and credentials_; false once the client is closed.
  bool EnterStart() {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    ++starting_;
    return true;
  }
  void LeaveStart() {
    std::lock_guard lock(mutex_);
    if (--starting_ == 0) idle_.notify_all();
  }

  static DynamoDbCallError Stopped() {
    return DynamoDbCallError::Unavailable("DynamoDB client stopped");
  }

  void Attempt(const std::shared_ptr<Call>& call) {
    if (!EnterStart()) return Complete(call, Stopped(), true);
    ++call->attempts;
    credentials_.GetCredentials(
        [self = shared_from_this(), call](Result<AwsCredentials> credentials) {
          if (!credentials) return self->Complete(call, CallErrorFrom(credentials.error()), true);
          self->Send(call, *credentials);
        });
    LeaveStart();
  }

  void Send(const std::shared_ptr<Call>& call, const AwsCredentials& credentials) {
    HttpRequest request;
    request.method = "POST";
    request.url = options_.endpoint.url + "/";
    request.headers.Add("Content-Type", "application/x-amz-json-1.0");
    request.headers.Add("X-Amz-Target", "DynamoDB_20120810." + call->operation);
    request.body = call->body;
    request.timeout = options_.attempt_timeout;
    // Lets the transport resend a read on a fresh connection when a pooled one turns out
    // closed; a write is resent only here, where a conflict it causes is marked.
    request.idempotent = IsDynamoDbReadOperation(call->operation);
    Status signed_request =
        SignRequest(request, credentials, options_.region, "dynamodb", options_.now_seconds());
    if (!signed_request) return Complete(call, CallErrorFrom(signed_request.error()), true);

    if (!EnterStart()) return Complete(call, Stopped(), true);
    transport_.Send(std::move(request),
                    [self = shared_from_this(), call](Result<HttpResponse> answer) {
                      self->OnAnswer(call, std::move(answer));
                    });
    LeaveStart();
  }

  void OnAnswer(const std::shared_ptr<Call>& call, Result<HttpResponse> answer) {
    if (answer && answer->status == 200) return Complete(call, std::move(answer->body), false);

    DynamoDbAnswerError failure;
    if (!answer) {
      // Timed out or lost (kUnavailable): the request may have reached DynamoDB. Anything
      // else is a request the transport refused to send, which another attempt cannot fix.
      const bool network = answer.error().code == ErrorCode::kUnavailable;
      failure = {CallErrorFrom(answer.error()), network, network};
    } else {
      failure = DynamoDbErrorFor(*answer, TableName(call->body));
    }
    call->outcome_unknown = call->outcome_unknown || failure.outcome_unknown;

    if (failure.error.kind == DynamoDbFailure::kConditionFailed && call->outcome_unknown &&
        !IsDynamoDbReadOperation(call->operation)) {
      failure.error.kind = DynamoDbFailure::kOutcomeUnknown;
    }
    if (!failure.retryable) return Complete(call, std::move(failure.error), false);
    if (call->attempts >= options_.max_attempts) {
      // Still throttled means nothing was written; anything else may have been.
      const DynamoDbFailure kind = failure.error.kind == DynamoDbFailure::kThrottled
                                       ? DynamoDbFailure::kThrottled
                                       : DynamoDbFailure::kUnavailable;
      return Complete(
          call,
          DynamoDbCallError{kind,
                            "DynamoDB is unavailable after " + std::to_string(call->attempts) +
                                " attempts: " + failure.error.message,
                            1},
          false);
    }
    std::chrono::milliseconds delay = FullJitterBackoff(call->attempts, options_.backoff_base,
                                                        options_.backoff_cap, options_.jitter());
    options_.sleep(delay, [self = shared_from_this(), call] { self->Attempt(call); });
  }

  // `hop` moves `done` off the current thread when that may be the caller's.
  void Complete(const std::shared_ptr<Call>& call, DynamoDbResult result, bool hop) const {
    if (!hop) {
      call->done(std::move(result));
      return;
    }
    auto shared_result = std::make_shared<DynamoDbResult>(std::move(result));
    options_.sleep(std::chrono::milliseconds(0),
                   [call, shared_result] { call->done(std::move(*shared_result)); });
  }

  DynamoDbHttpClientOptions options_;
  HttpTransport& transport_;
  AwsCredentialsProvider& credentials_;
  std::unique_ptr<TimerThread> timer_;

  std::mutex mutex_;
  std::condition_variable idle_;
  bool closed_ = false;
  int starting_ = 0;
};

DynamoDbHttpClient::DynamoDbHttpClient(DynamoDbHttpClientOptions options, HttpTransport& transport,
                                       AwsCredentialsProvider& credentials)
    : impl_(std::make_shared<Impl>(std::move(options), transport, credentials)) {}

DynamoDbHttpClient::~DynamoDbHttpClient() { impl_->Shutdown(); }

void DynamoDbHttpClient::Call(std::string_view operation, std::string request_json,
                              DynamoDbDone done) {
  impl_->Start(operation, std::move(request_json), std::move(done));
}

}  // namespace pcustomer

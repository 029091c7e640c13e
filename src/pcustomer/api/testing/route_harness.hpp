#pragma once

// Test support for the api routes: the router as `pcustomer serve` wires it (the auth and
// customer routes, TokenAuthorizer over the local identity provider, real embedded stores),
// driven through Router::Dispatch with plain Requests, no HTTP. Header-only, included by
// tests only.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcustomer/api/auth_routes.hpp"
#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/exchange.hpp"
#include "pcustomer/api/idempotency_guard.hpp"
#include "pcustomer/api/router.hpp"
#include "pcustomer/api/token_authorizer.hpp"
#include "pcustomer/api/trash_routes.hpp"
#include "pcustomer/auth/local_identity_provider.hpp"
#include "pcustomer/auth/signing_keys.hpp"
#include "pcustomer/store/testing/embedded_stores.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer::test {

// A password that passes CheckPasswordRules, and another one that does too but is wrong.
inline constexpr const char* kPassword = "Correct-h0rse";
inline constexpr const char* kWrongPassword = "Wrong-h0rse!";
// The identity provider's clock starts here (unix seconds) and moves only when a test says.
inline constexpr int64_t kClockStart = 1'800'000'000;
// A handler that holds its reply for this long is taken as hung. Only a bug waits this long:
// every answer comes within milliseconds.
inline constexpr std::chrono::seconds kHungReply{60};

// The signing keys every harness of the binary shares: a 2048-bit key takes tens of
// milliseconds to make, more under the sanitizers, and no test changes the keys.
inline std::shared_ptr<SigningKeyStore> SharedSigningKeys() {
  static const TempDirectory directory;
  static const std::shared_ptr<SigningKeyStore> keys = [] {
    Result<SigningKeyStore> loaded = SigningKeyStore::LoadOrCreate(directory.path());
    if (!loaded.ok()) throw std::runtime_error("signing keys: " + loaded.error().Described());
    return std::make_shared<SigningKeyStore>(std::move(loaded).value());
  }();
  return keys;
}

// An error envelope as a client reads it.
struct ErrorAnswer {
  int status = 0;
  std::string code;
  std::string message;
  std::vector<Reason> reasons;
  bool operator==(const ErrorAnswer&) const = default;
};

inline void PrintTo(const ErrorAnswer& answer, std::ostream* os) {
  *os << answer.status << " " << answer.code << " \"" << answer.message << "\" [";
  for (const Reason& reason : answer.reasons)
    *os << " {" << reason.source << ": " << reason.desc << "}";
  *os << " ]";
}

inline rapidjson::Document Json(const Response& response) {
  rapidjson::Document document;
  document.Parse(response.body.data(), response.body.size());
  EXPECT_FALSE(document.HasParseError()) << "not JSON: " << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  return document;
}

// The value under `root` at `path`, a member name per step; null when a step is missing.
// RapidJSON's operator[] aborts on a missing member, so answers are read through this.
inline const rapidjson::Value* Find(const rapidjson::Value& root,
                                    std::initializer_list<const char*> path) {
  const rapidjson::Value* at = &root;
  for (const char* name : path) {
    if (!at->IsObject()) return nullptr;
    auto found = at->FindMember(name);
    if (found == at->MemberEnd()) return nullptr;
    at = &found->value;
  }
  return at;
}

inline std::string PathText(std::initializer_list<const char*> path) {
  std::string text;
  for (const char* name : path) text += std::string(text.empty() ? "" : ".") + name;
  return text;
}

// The string at `path`; empty, with a failure, when there is none.
inline std::string StringAt(const rapidjson::Value& root, std::initializer_list<const char*> path) {
  const rapidjson::Value* at = Find(root, path);
  if (at != nullptr && at->IsString()) return std::string(at->GetString(), at->GetStringLength());
  ADD_FAILURE() << "no string at " << PathText(path);
  return "";
}

// The integer at `path`; -1, with a failure, when there is none.
inline int64_t IntAt(const rapidjson::Value& root, std::initializer_list<const char*> path) {
  const rapidjson::Value* at = Find(root, path);
  if (at != nullptr && at->IsInt64()) return at->GetInt64();
  ADD_FAILURE() << "no integer at " << PathText(path);
  return -1;
}

inline std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

// The status and the error envelope of `response`; a failure when the body is not exactly
// {"error": {"message", "code", "details": {"reasons": [{"source", "desc"}...]}}}.
inline ErrorAnswer ErrorOf(const Response& response) {
  ErrorAnswer answer;
  answer.status = response.status;
  rapidjson::Document document = Json(response);
  const rapidjson::Value* message = Find(document, {"error", "message"});
  const rapidjson::Value* code = Find(document, {"error", "code"});
  const rapidjson::Value* reasons = Find(document, {"error", "details", "reasons"});
  const bool shaped = document.IsObject() && document.MemberCount() == 1 && message != nullptr &&
                      message->IsString() && code != nullptr && code->IsString() &&
                      reasons != nullptr && reasons->IsArray() &&
                      document["error"].MemberCount() == 3 &&
                      document["error"]["details"].MemberCount() == 1;
  if (!shaped) {
    ADD_FAILURE() << "not an error envelope: " << response.status << " " << response.body;
    return answer;
  }
  answer.code = code->GetString();
  answer.message = message->GetString();
  for (const rapidjson::Value& reason : reasons->GetArray()) {
    const bool pair = reason.IsObject() && reason.MemberCount() == 2;
    EXPECT_TRUE(pair) << "a reason is not {source, desc}: " << response.body;
    if (pair) answer.reasons.push_back({StringAt(reason, {"source"}), StringAt(reason, {"desc"})});
  }
  return answer;
}

// A request as the HTTP layer hands it over; `target` is the path with its query. It says
// its body is JSON (as a client of this API does) unless the test changes the content type.
inline Request Call(std::string method, std::string_view target, std::string body = {}) {
  Request request;
  request.method = std::move(method);
  const size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.content_type = "application/json";
  request.body = std::move(body);
  request.request_id = "route-test";
  request.client_address = "192.0.2.10";
  return request;
}

inline Request WithToken(Request request, std::string_view access_token) {
  request.authorization = "Bearer " + std::string(access_token);
  return request;
}

// The routes on real stores. Each test gets empty stores of its own; the signing keys are
// shared (see SharedSigningKeys). The identity provider's clock is `now_`, so token expiry
// and the sign-in throttle's delays move only when a test advances it.
class RouteHarness : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<EmbeddedStores>> stores = OpenEmbeddedStores();
    ASSERT_TRUE(stores.ok()) << stores.error().Described();
    stores_ = std::move(stores).value();
    LocalIdentityOptions options;
    // The cheapest Argon2id parameters it accepts: the cost is not what these tests check.
    options.password_params = {64, 1, 1};
    options.hashing_threads = 1;
    options.now_seconds = [now = now_] { return now->load(); };
    identity_ =
        std::make_unique<LocalIdentityProvider>(*stores_->users, SharedSigningKeys(), options);
    authorizer_ = std::make_unique<TokenAuthorizer>(*identity_);
    customers_ = std::make_unique<CustomerRoutes>(*stores_->customers, CursorCodec(kCursorKey));
    trash_ = std::make_unique<TrashRoutes>(*stores_->customers, CursorCodec(kCursorKey));
    idempotency_ = std::make_unique<IdempotencyGuard>(*stores_->idempotency,
                                                      [now = now_] { return now->load() * 1000; });
    router_ = std::make_unique<Router>(*authorizer_, idempotency_.get());
    RegisterAuthRoutes(*router_, *identity_);
    customers_->Register(*router_);
    trash_->Register(*router_);
  }

  void TearDown() override {
    // Users before what they use: the stores go last, committing every queued write first.
    router_.reset();
    idempotency_.reset();
    trash_.reset();
    customers_.reset();
    authorizer_.reset();
    identity_.reset();
    stores_.reset();
    EXPECT_EQ(extra_replies_->load(), 0) << "a handler answered more than once";
  }

  // Dispatches `request` and waits for its one answer (from whichever thread gives it). A
  // reply dropped without an answer comes back as status 0.
  Response Send(Request request) {
    auto answer = std::make_shared<PendingAnswer>();
    std::future<Response> future = answer->promise.get_future();
    router_->Dispatch(std::move(request), [answer, extra = extra_replies_](Response response) {
      if (answer->answered.exchange(true)) {
        extra->fetch_add(1);
        return;
      }
      answer->promise.set_value(std::move(response));
    });
    answer.reset();
    if (future.wait_for(kHungReply) != std::future_status::ready) {
      ADD_FAILURE() << "no answer within " << kHungReply.count() << " s";
      return Response{0, "", "", {}};
    }
    return future.get();
  }
  Response Send(std::string method, std::string_view target, std::string body = {}) {
    return Send(Call(std::move(method), target, std::move(body)));
  }
  Response SendWithToken(std::string_view token, std::string method, std::string_view target,
                         std::string body = {}) {
    return Send(WithToken(Call(std::move(method), target, std::move(body)), token));
  }

  // Creates a user whose password is kPassword.
  void AddUser(const std::string& username, const std::string& role, const std::string& team,
               bool disabled = false) {
    Result<std::string> hash = identity_->hasher().Hash(kPassword);
    ASSERT_TRUE(hash.ok()) << hash.error().Described();
    User user{username, std::move(hash).value(), role, team, disabled, kClockStart};
    Status created = Await<Ok>([&](Done<Ok> done) { stores_->users->CreateUser(user, done); });
    ASSERT_TRUE(created.ok()) << created.error().Described();
  }

  Response SignIn(const std::string& username, const std::string& password) {
    return Send("POST", "/auth/sign-in",
                R"({"username": ")" + username + R"(", "password": ")" + password + R"("})");
  }

  // data.auth.<name> of a token answer; empty, with a failure, when it is missing.
  static std::string TokenOf(const Response& response, const char* name) {
    return StringAt(Json(response), {"data", "auth", name});
  }

  // The access token of a new user with `role` and `team`, signed in with kPassword.
  std::string AccessTokenOf(const std::string& username, const std::string& role,
                            const std::string& team) {
    AddUser(username, role, team);
    return TokenOf(SignIn(username, kPassword), "accessToken");
  }

  void AdvanceClock(int64_t seconds) { now_->fetch_add(seconds); }

  // The key cursors are signed with: fixed, as the store's secret is for every process
  // sharing it.
  static inline const std::string kCursorKey = std::string(32, 'c');

  std::shared_ptr<std::atomic<int64_t>> now_ = std::make_shared<std::atomic<int64_t>>(kClockStart);
  // Declared in the order each needs the one before; TearDown releases them in reverse.
  std::unique_ptr<EmbeddedStores> stores_;
  std::unique_ptr<LocalIdentityProvider> identity_;
  std::unique_ptr<TokenAuthorizer> authorizer_;
  std::unique_ptr<CustomerRoutes> customers_;
  std::unique_ptr<TrashRoutes> trash_;
  std::unique_ptr<IdempotencyGuard> idempotency_;
  std::unique_ptr<Router> router_;

 private:
  // The one answer a dispatch waits for. When every copy of the reply is dropped unanswered
  // (a bug), the last one out answers status 0 so that the test fails at once, not at
  // kHungReply.
  struct PendingAnswer {
    std::promise<Response> promise;
    std::atomic<bool> answered{false};
    ~PendingAnswer() {
      if (!answered.exchange(true))
        promise.set_value(Response{0, "reply dropped unanswered", "", {}});
    }
  };
  std::shared_ptr<std::atomic<int>> extra_replies_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace pcustomer::test

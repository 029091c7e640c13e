#pragma once

// The api layer's routes wired to backends that answer at once, without I/O: a fuzz input then
// runs through the real handlers (parse, validate, render), and the answer can be checked.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "pcustomer/api/auth_routes.hpp"
#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/router.hpp"
#include "pcustomer/api/trash_routes.hpp"
#include "pcustomer/auth/identity_provider.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer::fuzz {

// Stores nothing: echoes what a handler passes in, so the answer renders validated data.
class EchoStore final : public CustomerStore {
 public:
  void Create(NewCustomer customer, Actor, Done<Customer> done) override {
    done(Customer{"CUSTOMER#1795545750015000", std::move(customer.full_name),
                  std::move(customer.phone), customer.age, std::move(customer.product_code),
                  "2026-11-24T10:00:00.015Z", 1, "2026-11-24T10:00:00.015Z"});
  }
  // Every item echoed as created, the second and later under upsert as updated.
  void CreateBatch(std::vector<NewCustomer> items, BatchMode mode, Actor actor,
                   Done<std::vector<BatchItemResult>> done) override {
    std::vector<BatchItemResult> results;
    for (NewCustomer& item : items) {
      Result<Customer> echoed = Error::Internal("unset");
      Create(std::move(item), actor,
             [&echoed](Result<Customer> created) { echoed = std::move(created); });
      results.emplace_back(std::move(echoed), mode == BatchMode::kCreate || results.empty());
    }
    done(std::move(results));
  }
  void Get(std::string id, Done<Customer> done) override {
    done(Customer{std::move(id), "Nguyễn Văn An", "0912345678", 30, "a", "2026-11-24T10:00:00.015Z",
                  1, "2026-11-24T10:00:00.015Z"});
  }
  // The stored lead is at version 1: another expected version is a 412, as a store answers.
  void Update(std::string id, CustomerPatch patch, ExpectedVersion expected, Actor,
              Done<Customer> done) override {
    if (expected && *expected != 1) return done(Error::VersionMismatch(1));
    done(Customer{std::move(id), patch.full_name.value_or("Nguyễn Văn An"),
                  patch.phone.value_or("0912345678"), patch.age.value_or(30),
                  patch.product_code.value_or("a"), "2026-11-24T10:00:00.015Z", 2,
                  "2026-11-24T10:00:01.000Z"});
  }
  void Trash(std::string, ExpectedVersion expected, Actor, Done<Ok> done) override {
    if (expected && *expected != 1) return done(Error::VersionMismatch(1));
    done(Ok{});
  }
  // One trashed lead after the requested position, and a next page, so the answer carries a
  // trash cursor.
  void ListTrash(TrashPageRequest request, Done<TrashPage> done) override {
    TrashPage page;
    const std::string after = request.after ? request.after->id : "CUSTOMER#0";
    page.items.push_back(
        TrashedCustomer{Customer{after + "1", "Nguyễn Văn An", "0912345678", 30, "a",
                                 "2026-11-24T10:00:00.015Z", 2, "2026-11-25T10:00:00.015Z"},
                        "2026-11-25T10:00:00.015Z",
                        {"sub", "user"}});
    page.more = true;
    done(std::move(page));
  }
  void Restore(std::string id, ExpectedVersion expected, Actor, Done<Customer> done) override {
    if (expected && *expected != 2) return done(Error::VersionMismatch(2));
    done(Customer{std::move(id), "Nguyễn Văn An", "0912345678", 30, "a", "2026-11-24T10:00:00.015Z",
                  3, "2026-11-26T10:00:00.015Z"});
  }
  void Erase(std::string, Done<Ok> done) override { done(Ok{}); }
  void EraseTrashedBefore(std::string, int, Done<int> done) override { done(0); }
  // One item after the requested id, and a next page, so the answer carries a cursor.
  void List(PageRequest request, Done<CustomerPage> done) override {
    CustomerPage page;
    page.items.push_back(Customer{request.after_id.value_or("CUSTOMER#0") + "1", "Nguyễn Văn An",
                                  "0912345678", 30, "a", "2026-11-24T10:00:00.015Z", 1,
                                  "2026-11-24T10:00:00.015Z"});
    page.last_id = page.items.back().id;
    done(std::move(page));
  }
  // One item after the requested lead, with a total and a next page, so the answer carries
  // a search cursor and meta.total.
  void Search(SearchRequest request, Done<SearchPage> done) override {
    SearchPage page;
    const std::string after = request.after ? request.after->id : "CUSTOMER#0";
    page.items.push_back(Customer{after + "1", "Nguyễn Văn An", "0912345678", 30, "a",
                                  "2026-11-24T10:00:00.015Z", 1, "2026-11-24T10:00:00.015Z"});
    page.more = true;
    if (request.with_total) page.total = 2;
    done(std::move(page));
  }
  // Two entries below the requested version, and a next page, so the answer carries a
  // history cursor.
  void History(HistoryRequest request, Done<HistoryPage> done) override {
    HistoryPage page;
    const int64_t below = request.before_version.value_or(3);
    for (int64_t version = below - 1; version >= 1 && page.items.size() < 2; --version) {
      page.items.push_back(HistoryEntry{request.lead_id,
                                        version,
                                        "2026-11-24T10:00:00.015Z",
                                        {"sub", "user"},
                                        HistoryAction::kUpdated,
                                        R"({"age":{"from":30,"to":31}})"});
    }
    page.more = below > 2;
    done(std::move(page));
  }
  void AddNote(std::string id, std::string text, Actor by, Done<HistoryEntry> done) override {
    Customer lead;
    lead.id = std::move(id);
    lead.version = 2;
    done(HistoryEntry{
        lead.id, 2, "2026-11-24T10:00:00.015Z", std::move(by), HistoryAction::kNoted,
        "{\"note\":{\"from\":null,\"to\":\"" + std::string(text.size(), 'x') + "\"}}"});
  }
  void Counts(std::string, Done<LeadCounts> done) override {
    LeadCounts counts;
    counts.total = 2;
    counts.by_status["new"] = 2;
    done(std::move(counts));
  }
  void FindByPhone(std::string, Done<std::optional<Customer>> done) override {
    done(std::optional<Customer>());
  }
  void CheckReady(Done<Ok> done) override { done(Ok{}); }
};

// Refuses every credential, as for an unknown user: only the handlers' own decoding runs.
class RefusingIdentity final : public IdentityProvider {
 public:
  void SignIn(std::string, std::string, std::string, Done<AuthTokens> done) override {
    done(Error::Unauthorized("Incorrect username or password"));
  }
  void Refresh(std::string, std::optional<std::string>, Done<AuthTokens> done) override {
    done(Error::Unauthorized("Invalid refresh token"));
  }
  void SignOut(std::string, Done<Ok> done) override { done(Ok{}); }
  void Authenticate(std::string, Done<Principal> done) override {
    done(Error::Unauthorized("Invalid token"));
  }
  std::optional<std::string> PublicJwks() const override { return std::nullopt; }
  // One enabled sales user, "lan"; nobody else.
  void LookUpUser(std::string username, Done<std::optional<DirectoryUser>> done) override {
    if (username != "lan") return done(std::optional<DirectoryUser>());
    done(std::optional<DirectoryUser>(DirectoryUser{"lan", {"sales"}, true}));
  }
  void TeamMembers(std::string, Done<std::vector<std::string>> done) override {
    done(std::vector<std::string>{"lan"});
  }
};

// The customer and auth routes behind a router that lets every caller through.
class Api {
 public:
  explicit Api(std::string cursor_key)
      : customers_(store_, CursorCodec(cursor_key)), trash_(store_, CursorCodec(cursor_key)) {
    customers_.Register(router_);
    trash_.Register(router_);
    RegisterAuthRoutes(router_, identity_);
  }

  // The one answer to `request`; every handler must answer exactly once, before returning
  // (all the backends here answer at once), and never with a server error.
  Response Send(Request request) const {
    int answers = 0;
    Response answer;
    router_.Dispatch(std::move(request), [&](Response response) {
      ++answers;
      answer = std::move(response);
    });
    FUZZ_CHECK(answers == 1);
    FUZZ_CHECK(answer.status >= 200 && answer.status < 500);
    if (answer.content_type == "application/json") FUZZ_CHECK(IsStrictUtf8(answer.body));
    return answer;
  }

 private:
  EchoStore store_;
  RefusingIdentity identity_;
  OpenAccess access_;
  Router router_{access_};
  CustomerRoutes customers_;
  TrashRoutes trash_;
};

}  // namespace pcustomer::fuzz

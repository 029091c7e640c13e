#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pcustomer {

// The partition value of every potential customer, kept from the reference's table layout.
inline constexpr const char* kCustomerType = "potential_customer";
inline constexpr const char* kCustomerIdPrefix = "CUSTOMER#";

// A stored potential customer. Text fields are NFC; `phone` is the 10-digit national form.
struct Customer {
  std::string id;  // "CUSTOMER#<digits>"
  std::string full_name;
  std::string phone;
  int age = 0;
  std::string product_code;
  std::string create_at;   // ISO 8601 UTC with milliseconds: "2026-11-24T10:00:00.015Z"
  int64_t version = 1;     // 1 on create, +1 per change
  std::string updated_at;  // as create_at: the last change, or the creation
  // The sales workflow (CONTRACT.md section 9); an item the reference wrote reads as these
  // defaults.
  std::string status = "new";           // lead_workflow.hpp kLeadStatuses
  std::optional<std::string> owner_id;  // a username; none = unassigned
  std::string source = "other";         // lead_workflow.hpp kLeadSources
  std::optional<std::string> email;     // lower-case
  bool operator==(const Customer&) const = default;
};

// A validated create request: every field present and normalised.
struct NewCustomer {
  std::string full_name;
  std::string phone;
  int age = 0;
  std::string product_code;
  std::string status = "new";
  std::optional<std::string> owner_id;
  std::string source = "other";
  std::optional<std::string> email;
  // Round-robin assignment (CONTRACT.md section 9): when set and `owner_id` is none, the store
  // gives the lead to the next of these usernames in turn, the turn moving in the create's
  // own transaction, so that concurrent creates and other processes sharing the store take
  // turns evenly.
  std::vector<std::string> assign_in_turn;

  // Whether the store gives this lead an owner in turn.
  bool TakesTurn() const { return !owner_id && !assign_in_turn.empty(); }
};

// A validated partial update: at least one field present and normalised.
struct CustomerPatch {
  std::optional<std::string> full_name;
  std::optional<std::string> phone;
  std::optional<int> age;
  std::optional<std::string> product_code;
  std::optional<std::string> status;
  std::optional<std::optional<std::string>> owner_id;  // set to none: unassign
  std::optional<std::string> source;
  std::optional<std::optional<std::string>> email;  // set to none: remove

  bool empty() const {
    return !full_name && !phone && !age && !product_code && !status && !owner_id && !source &&
           !email;
  }
};

// A write's precondition (If-Match): the version the lead must be at; none = any version.
using ExpectedVersion = std::optional<int64_t>;

// One page of a listing in ascending id order.
struct PageRequest {
  std::optional<std::string> after_id;  // exclusive; none = from the start
  int limit = 10;                       // 1..100, checked by the caller
};

struct CustomerPage {
  std::vector<Customer> items;
  // The id of the last item when more may follow; none when the listing is complete.
  std::optional<std::string> last_id;
};

}  // namespace pcustomer

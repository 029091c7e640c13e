#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/customer_search.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/domain/trash.hpp"

namespace pcustomer {

// Opaque, tamper-evident list cursors: base64url("1:" + last id) "." base64url(HMAC-SHA256
// tag, 16 bytes). The key lives in the store, so cursors stay valid across restarts and
// across every process sharing the store; anything this service did not issue is refused.
//
// A search's cursors (version 2) carry the fingerprint of the query that made them and what
// its order needs of the page's last lead: its id, and its name or age for those sorts.
class CursorCodec {
 public:
  explicit CursorCodec(std::string key) : key_(std::move(key)) {}

  std::string Encode(std::string_view last_id) const;
  // The last id carried by `cursor`; kBadRequest for anything not issued with this key, and
  // for a search's cursor.
  Result<std::string> Decode(std::string_view cursor) const;

  std::string EncodeSearch(std::string_view fingerprint, CustomerSortField field,
                           const Customer& last) const;
  // The last lead as far as `field` orders by it (the id, and the name or the age).
  // kBadRequest for anything not issued with this key, and for a cursor of another query
  // (another fingerprint, or a listing's cursor).
  Result<Customer> DecodeSearch(std::string_view cursor, std::string_view fingerprint,
                                CustomerSortField field) const;

  // A lead's history page ends at an entry: the cursor names the lead and the entry's version.
  std::string EncodeHistory(std::string_view lead_id, int64_t version) const;
  // The version carried by `cursor`; kBadRequest for anything not issued with this key, and
  // for a cursor of another lead's history or of another route.
  Result<int64_t> DecodeHistory(std::string_view cursor, std::string_view lead_id) const;

  // A trash page ends at a lead: the cursor names when it was trashed and its id.
  std::string EncodeTrash(const TrashPosition& last) const;
  // kBadRequest for anything not issued with this key, and for a cursor of another route.
  Result<TrashPosition> DecodeTrash(std::string_view cursor) const;

 private:
  std::string Tag(std::string_view payload) const;
  // The payload of a cursor this key signed.
  Result<std::string> Verified(std::string_view cursor) const;
  std::string key_;
};

}  // namespace pcustomer

#pragma once

// What a lead adds to the table so that DynamoDB can search and sort it (CONTRACT.md
// section 7), besides its own item:
//  - on the lead's item, the sort keys of the global secondary indexes: `nameKey` (by_name)
//    and `ageKey` (by_age), see dynamodb_table.hpp;
//  - index entries, each an item of its own partition, outside the customers' one (the
//    reference's list Query never sees them): one per distinct folded word of the full name,
//    {type: kNameWordType, id: "<word>#<customer id>"}, and one per phone suffix of 3 or more
//    digits, {type: kPhoneDigitsType, id: "<suffix>#<customer id>"}, each with `customerId`.
//    A Query `begins_with(id, <prefix>)` in one of those partitions answers the ids of the
//    leads with a word starting with the prefix, or with a phone containing the digits.
// Entries are candidates, never answers: a search reads the leads they name and checks each
// against the whole query, so an entry left behind (a write that failed halfway on a store
// without transactions) costs a read but never a wrong answer, while a missing one would
// lose a match. Private to store/dynamodb.

#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

namespace pcustomer::dynamodb {

inline constexpr const char* kNameWordType = "pcustomer_name_word";
inline constexpr const char* kPhoneDigitsType = "pcustomer_phone_digits";
inline constexpr std::string_view kNameKeyAttribute = "nameKey";
inline constexpr std::string_view kAgeKeyAttribute = "ageKey";
inline constexpr std::string_view kUpdatedKeyAttribute = "updatedKey";
inline constexpr std::string_view kEntryCustomerAttribute = "customerId";
// The shortest phone digit sequence a search takes (section 7).
inline constexpr size_t kMinPhoneDigits = 3;

// by_name's sort key: the `vi` collation key of the full name, a 0 byte, the id (a
// collation key has no 0 byte, so equal names sort by id).
std::string NameKey(const Customer& customer);
// by_age's sort key: the age in three digits, '#', the id ("042#CUSTOMER#...").
std::string AgeKey(const Customer& customer);
// by_updated's sort key: updatedAt, '#', the id.
std::string UpdatedKey(const Customer& customer);
// The nameKey, ageKey and updatedKey attributes of `customer`'s item. An item with an
// updatedKey is one this version of the store wrote or indexed: it is in the lead counters
// (lead_counts.hpp), where the reference's items and older ones are not until indexed.
Item SortKeys(const Customer& customer);
// SortKeys with the version and updatedAt: what a change writes besides the fields it sets.
Item SortKeysAndStamps(const Customer& customer);
// Whether the item (as read) is in the lead counters.
bool IsCounted(const Item& item);

// The keys of the entries of `customer`, name words first, each once.
std::vector<Item> EntryKeys(const Customer& customer);
// The whole entry items of `keys`, each naming `customer_id`.
std::vector<Item> EntryItems(std::vector<Item> keys, std::string_view customer_id);

// The entries a change from `before` to `after` adds and the ones it removes.
struct EntryChanges {
  std::vector<Item> added;    // keys
  std::vector<Item> removed;  // keys
};
EntryChanges ChangedEntries(const Customer& before, const Customer& after);

// The customer id an entry names; empty for an item that is not an entry.
std::string EntryCustomer(const Item& entry);

}  // namespace pcustomer::dynamodb

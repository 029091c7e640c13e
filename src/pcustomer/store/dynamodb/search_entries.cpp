#include "pcustomer/store/dynamodb/search_entries.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/util/ascii.hpp"
#include "pcustomer/validation/search_text.hpp"

namespace pcustomer::dynamodb {
namespace {

std::string EntryId(std::string_view text, std::string_view customer_id) {
  std::string id(text);
  id += '#';
  id += customer_id;
  return id;
}

// The entries of `customer` as (type, id) pairs, each once, in a fixed order.
std::vector<std::pair<std::string, std::string>> EntryNames(const Customer& customer) {
  std::vector<std::pair<std::string, std::string>> names;
  std::set<std::string> words;
  for (std::string& word : SearchWords(customer.full_name)) {
    if (words.insert(word).second) names.emplace_back(kNameWordType, EntryId(word, customer.id));
  }
  // Every suffix of at least kMinPhoneDigits digits: a digit sequence the phone contains is
  // the start of one of them.
  const std::string_view phone = customer.phone;
  if (AllAsciiDigits(phone)) {
    for (size_t from = 0; from + kMinPhoneDigits <= phone.size(); ++from) {
      names.emplace_back(kPhoneDigitsType, EntryId(phone.substr(from), customer.id));
    }
  }
  return names;
}

std::vector<Item> KeysOf(const std::vector<std::pair<std::string, std::string>>& names) {
  std::vector<Item> keys;
  keys.reserve(names.size());
  for (const auto& [type, id] : names) keys.push_back(Key(type, id));
  return keys;
}

}  // namespace

std::string NameKey(const Customer& customer) {
  std::string key = VietnameseSortKey(customer.full_name);
  key += '\0';
  key += customer.id;
  return key;
}

std::string AgeKey(const Customer& customer) {
  // Ages are 18 to 90 (validation); the reference's items may hold anything from 0 up, which
  // three digits still order, and a larger number sorts after them all.
  char digits[16];
  std::snprintf(digits, sizeof digits, "%03d", std::clamp(customer.age, 0, 999));
  return EntryId(digits, customer.id);
}

std::string UpdatedKey(const Customer& customer) {
  return EntryId(customer.updated_at, customer.id);
}

Item SortKeys(const Customer& customer) {
  return {{std::string(kNameKeyAttribute), AttributeValue::B(NameKey(customer))},
          {std::string(kAgeKeyAttribute), AttributeValue::S(AgeKey(customer))},
          {std::string(kUpdatedKeyAttribute), AttributeValue::S(UpdatedKey(customer))}};
}

Item SortKeysAndStamps(const Customer& customer) {
  Item attributes = SortKeys(customer);
  attributes[std::string(kVersionField.attribute)] = AttributeValue::N(customer.version);
  attributes[std::string(kUpdatedAtField.attribute)] = AttributeValue::S(customer.updated_at);
  return attributes;
}

bool IsCounted(const Item& item) { return item.contains(std::string(kUpdatedKeyAttribute)); }

std::vector<Item> EntryKeys(const Customer& customer) { return KeysOf(EntryNames(customer)); }

std::vector<Item> EntryItems(std::vector<Item> keys, std::string_view customer_id) {
  for (Item& key : keys)
    key[std::string(kEntryCustomerAttribute)] = AttributeValue::S(std::string(customer_id));
  return keys;
}

EntryChanges ChangedEntries(const Customer& before, const Customer& after) {
  auto old_names = EntryNames(before);
  auto new_names = EntryNames(after);
  std::sort(old_names.begin(), old_names.end());
  std::sort(new_names.begin(), new_names.end());
  std::vector<std::pair<std::string, std::string>> added;
  std::vector<std::pair<std::string, std::string>> removed;
  std::set_difference(new_names.begin(), new_names.end(), old_names.begin(), old_names.end(),
                      std::back_inserter(added));
  std::set_difference(old_names.begin(), old_names.end(), new_names.begin(), new_names.end(),
                      std::back_inserter(removed));
  return {KeysOf(added), KeysOf(removed)};
}

std::string EntryCustomer(const Item& entry) {
  return StringAttribute(entry, kEntryCustomerAttribute).value_or("");
}

}  // namespace pcustomer::dynamodb

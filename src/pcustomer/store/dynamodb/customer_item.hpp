#pragma once

// How a customer is an item of the reference application's table: the key, the attributes
// (walked through the field list of domain/customer_fields.hpp) and how items the reference
// wrote read back.

#include <string>
#include <string_view>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

namespace pcustomer::dynamodb {

inline constexpr std::string_view kTypeAttribute = kTypeField.attribute;
inline constexpr std::string_view kIdAttribute = kIdField.attribute;
inline constexpr std::string_view kPhoneAttribute = kPhoneField.attribute;

// The key of the item in partition `type` with sort key `id`.
Item Key(std::string_view type, std::string_view id);
Item CustomerKey(std::string_view id);

// The whole item of a customer.
Item CustomerItem(const Customer& customer);

// The customer an item holds. Items the reference wrote may miss attributes (its update was
// an upsert) or hold the phone as a number; they read as what is there.
Customer ReadCustomer(const Item& item);

// The SET clause of `patch` and of each attribute of `also` (not both empty), and the REMOVE
// of each optional field the patch sets to none, registering its placeholders on `request`.
std::string PatchUpdate(Request& request, const CustomerPatch& patch, const Item& also = {});

// The national form of a phone as the reference may have stored it: digits of a number
// ("912345678" -> "0912345678", "84912345678" -> "0912345678"), or text in the "84..." or
// "+84..." forms; anything else is answered unchanged.
std::string RestoreStoredPhone(std::string_view stored);

}  // namespace pcustomer::dynamodb

#include "pcustomer/api/cursor.hpp"

#include <limits>
#include <optional>
#include <utility>

#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"
#include "pcustomer/util/numbers.hpp"

namespace pcustomer {
namespace {

constexpr std::string_view kVersionPrefix = "1:";
constexpr std::string_view kSearchVersionPrefix = "2:";
constexpr std::string_view kHistoryPrefix = "3:";
constexpr std::string_view kTrashPrefix = "4:";
constexpr size_t kTagBytes = 16;  // 128 bits: forging one is out of reach
// A search cursor may carry a name of 100 characters (up to 400 bytes of UTF-8).
constexpr size_t kMaxCursorLength = 1024;

Error BadCursor() {
  return Error::BadRequest("Invalid startKey",
                           {{"startKey", "startKey is not a cursor issued by this service"}});
}

Error OtherQueryCursor() {
  return Error::BadRequest(
      "Invalid startKey",
      {{"startKey",
        "startKey belongs to another query: send the filters and sort that produced it, "
        "or start again without startKey"}});
}

}  // namespace

std::string CursorCodec::Tag(std::string_view payload) const {
  return HmacSha256(key_, payload).substr(0, kTagBytes);
}

std::string CursorCodec::Encode(std::string_view last_id) const {
  std::string payload = std::string(kVersionPrefix) + std::string(last_id);
  return Base64UrlEncode(payload) + "." + Base64UrlEncode(Tag(payload));
}

Result<std::string> CursorCodec::Verified(std::string_view cursor) const {
  if (cursor.size() > kMaxCursorLength) return BadCursor();
  size_t dot = cursor.find('.');
  if (dot == std::string_view::npos) return BadCursor();
  auto payload = Base64UrlDecode(cursor.substr(0, dot));
  auto tag = Base64UrlDecode(cursor.substr(dot + 1));
  if (!payload || !tag || !ConstantTimeEquals(*tag, Tag(*payload))) return BadCursor();
  return std::move(*payload);
}

Result<std::string> CursorCodec::Decode(std::string_view cursor) const {
  Result<std::string> payload = Verified(cursor);
  if (!payload.ok()) return payload;
  if (payload->starts_with(kSearchVersionPrefix)) return OtherQueryCursor();
  if (!payload->starts_with(kVersionPrefix)) return BadCursor();
  return payload->substr(kVersionPrefix.size());
}

// Payload: "2:" fingerprint "\n" id "\n" value, where the value is the name, the age in
// decimal, the updatedAt, or empty (createAt orders by id alone). Neither the fingerprint nor an id
// holds a line feed.
std::string CursorCodec::EncodeSearch(std::string_view fingerprint, CustomerSortField field,
                                      const Customer& last) const {
  std::string payload =
      std::string(kSearchVersionPrefix) + std::string(fingerprint) + "\n" + last.id + "\n";
  if (field == CustomerSortField::kFullName) payload += last.full_name;
  if (field == CustomerSortField::kAge) payload += std::to_string(last.age);
  if (field == CustomerSortField::kUpdatedAt) payload += last.updated_at;
  return Base64UrlEncode(payload) + "." + Base64UrlEncode(Tag(payload));
}

Result<Customer> CursorCodec::DecodeSearch(std::string_view cursor, std::string_view fingerprint,
                                           CustomerSortField field) const {
  Result<std::string> verified = Verified(cursor);
  if (!verified.ok()) return std::move(verified).error();
  std::string_view payload = *verified;
  if (payload.starts_with(kVersionPrefix)) return OtherQueryCursor();
  if (!payload.starts_with(kSearchVersionPrefix)) return BadCursor();
  payload.remove_prefix(kSearchVersionPrefix.size());
  const size_t first = payload.find('\n');
  const size_t second = first == std::string_view::npos ? first : payload.find('\n', first + 1);
  if (second == std::string_view::npos) return BadCursor();
  if (payload.substr(0, first) != fingerprint) return OtherQueryCursor();
  Customer last;
  last.id = std::string(payload.substr(first + 1, second - first - 1));
  const std::string_view value = payload.substr(second + 1);
  // Only what EncodeSearch writes for `field` is accepted: a value where none belongs, or an
  // age written another way, was not issued here.
  switch (field) {
    case CustomerSortField::kFullName:
      last.full_name = std::string(value);
      break;
    case CustomerSortField::kAge: {
      std::optional<int> age = ParseIntegerInRange(value, -1'000'000, 1'000'000);
      if (!age || std::to_string(*age) != value) return BadCursor();
      last.age = *age;
      break;
    }
    case CustomerSortField::kUpdatedAt:
      last.updated_at = std::string(value);
      break;
    case CustomerSortField::kCreateAt:
      if (!value.empty()) return BadCursor();
      break;
  }
  return last;
}

// Payload: "3:" lead id "\n" version in decimal.
std::string CursorCodec::EncodeHistory(std::string_view lead_id, int64_t version) const {
  std::string payload =
      std::string(kHistoryPrefix) + std::string(lead_id) + "\n" + std::to_string(version);
  return Base64UrlEncode(payload) + "." + Base64UrlEncode(Tag(payload));
}

Result<int64_t> CursorCodec::DecodeHistory(std::string_view cursor,
                                           std::string_view lead_id) const {
  Result<std::string> verified = Verified(cursor);
  if (!verified.ok()) return std::move(verified).error();
  std::string_view payload = *verified;
  if (!payload.starts_with(kHistoryPrefix)) return OtherQueryCursor();
  payload.remove_prefix(kHistoryPrefix.size());
  const size_t end = payload.find('\n');
  if (end == std::string_view::npos) return BadCursor();
  if (payload.substr(0, end) != lead_id) return OtherQueryCursor();
  const std::string_view digits = payload.substr(end + 1);
  std::optional<int64_t> version =
      ParseIntegerInRange<int64_t>(digits, 1, std::numeric_limits<int64_t>::max());
  if (!version || std::to_string(*version) != digits) return BadCursor();
  return *version;
}

// Payload: "4:" deletedAt "\n" id.
std::string CursorCodec::EncodeTrash(const TrashPosition& last) const {
  std::string payload = std::string(kTrashPrefix) + last.deleted_at + "\n" + last.id;
  return Base64UrlEncode(payload) + "." + Base64UrlEncode(Tag(payload));
}

Result<TrashPosition> CursorCodec::DecodeTrash(std::string_view cursor) const {
  Result<std::string> verified = Verified(cursor);
  if (!verified.ok()) return std::move(verified).error();
  std::string_view payload = *verified;
  if (!payload.starts_with(kTrashPrefix)) return OtherQueryCursor();
  payload.remove_prefix(kTrashPrefix.size());
  const size_t end = payload.find('\n');
  if (end == std::string_view::npos) return BadCursor();
  return TrashPosition{std::string(payload.substr(0, end)), std::string(payload.substr(end + 1))};
}

}  // namespace pcustomer

#pragma once

// What the answer writers share: RapidJSON's writer over a string buffer, strings from views,
// the envelope and `meta` object of every paged answer, and who made a change. Included by
// .cpp files only.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/history.hpp"

namespace pcustomer {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void WriteString(JsonWriter& json, std::string_view text) {
  json.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

inline void WriteKey(JsonWriter& json, std::string_view key) {
  json.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

// "meta": {"size", "limit", "lastKey" (the cursor or null), "total" when set}
inline void WritePageMeta(JsonWriter& json, size_t size, int limit,
                          const std::optional<std::string>& cursor,
                          std::optional<int64_t> total = std::nullopt) {
  json.Key("meta");
  json.StartObject();
  json.Key("size");
  json.Uint64(size);
  json.Key("limit");
  json.Int(limit);
  json.Key("lastKey");
  if (cursor) {
    WriteString(json, *cursor);
  } else {
    json.Null();
  }
  if (total) {
    json.Key("total");
    json.Int64(*total);
  }
  json.EndObject();
}

inline std::string Taken(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

// {"data": <write_item(json, item)>}: an answer of one object.
template <class Item, class WriteItem>
std::string ItemEnvelope(const Item& item, WriteItem write_item) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  json.Key("data");
  write_item(json, item);
  json.EndObject();
  return Taken(buffer);
}

// {"data": [<write_item(json, item) for each item>], "meta": ...}: every paged answer.
template <class Items, class WriteItem>
std::string PagedEnvelope(const Items& items, WriteItem write_item, int limit,
                          const std::optional<std::string>& cursor,
                          std::optional<int64_t> total = std::nullopt) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  json.Key("data");
  json.StartArray();
  for (const auto& item : items) write_item(json, item);
  json.EndArray();
  WritePageMeta(json, items.size(), limit, cursor, total);
  json.EndObject();
  return Taken(buffer);
}

// "by" of a history entry or a note: {"sub", "username"}.
inline void WriteActor(JsonWriter& json, const Actor& by) {
  json.Key("by");
  json.StartObject();
  json.Key("sub");
  WriteString(json, by.sub);
  json.Key("username");
  WriteString(json, by.username);
  json.EndObject();
}

}  // namespace pcustomer

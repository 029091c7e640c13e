#include "pcustomer/auth/key_manifest.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <set>

#include "pcustomer/auth/json_object.hpp"

namespace pcustomer {
namespace {

Error Corrupt(std::string_view what) {
  return Error::Internal("key manifest is corrupt: " + std::string(what));
}

// An optional time: absent or null is none; anything but an integer is an error.
bool ReadOptionalTime(const rapidjson::Value& object, const char* name,
                      std::optional<int64_t>& out) {
  auto member = object.FindMember(name);
  if (member == object.MemberEnd() || member->value.IsNull()) return true;
  if (!member->value.IsInt64()) return false;
  out = member->value.GetInt64();
  return true;
}

void WriteOptionalTime(rapidjson::Writer<rapidjson::StringBuffer>& writer, const char* name,
                       const std::optional<int64_t>& value) {
  writer.Key(name);
  if (value) {
    writer.Int64(*value);
  } else {
    writer.Null();
  }
}

}  // namespace

bool IsValidKid(std::string_view kid) {
  return !kid.empty() && kid.size() <= 64 && std::all_of(kid.begin(), kid.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

Result<std::vector<KeyRecord>> ParseKeyManifest(std::string_view json) {
  rapidjson::Document document;
  if (!ParseJsonObject(json, document)) return Corrupt("not a JSON object");
  auto keys = document.FindMember("keys");
  if (keys == document.MemberEnd() || !keys->value.IsArray()) return Corrupt("no keys array");
  std::vector<KeyRecord> records;
  std::set<std::string, std::less<>> kids;
  for (const auto& entry : keys->value.GetArray()) {
    if (!entry.IsObject()) return Corrupt("a key is not an object");
    KeyRecord record;
    auto kid = entry.FindMember("kid");
    auto created = entry.FindMember("created");
    if (kid == entry.MemberEnd() || !kid->value.IsString() || created == entry.MemberEnd() ||
        !created->value.IsInt64()) {
      return Corrupt("a key has no kid or created time");
    }
    record.kid.assign(kid->value.GetString(), kid->value.GetStringLength());
    record.created = created->value.GetInt64();
    if (!IsValidKid(record.kid) || !kids.insert(record.kid).second) {
      return Corrupt("invalid or repeated kid");
    }
    if (!ReadOptionalTime(entry, "retired", record.retired) ||
        !ReadOptionalTime(entry, "expires", record.expires) ||
        record.retired.has_value() != record.expires.has_value()) {
      return Corrupt("bad retired or expires time");
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::string KeyManifestJson(const std::vector<KeyRecord>& records) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("keys");
  writer.StartArray();
  for (const KeyRecord& record : records) {
    writer.StartObject();
    writer.Key("kid");
    writer.String(record.kid.data(), static_cast<rapidjson::SizeType>(record.kid.size()));
    writer.Key("created");
    writer.Int64(record.created);
    WriteOptionalTime(writer, "retired", record.retired);
    WriteOptionalTime(writer, "expires", record.expires);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace pcustomer

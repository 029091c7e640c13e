#include "pcustomer/api/sent_body.hpp"

#include <rapidjson/document.h>

#include <string>

#include "pcustomer/api/json_body.hpp"

namespace pcustomer {
namespace {

SentValue ToSentValue(const rapidjson::Value& value) {
  SentValue sent;
  if (value.IsString()) {
    sent.kind = SentValue::Kind::kString;
    sent.text.assign(value.GetString(), value.GetStringLength());
  } else if (value.IsInt64()) {
    sent.kind = SentValue::Kind::kInteger;
    sent.integer = value.GetInt64();
  } else if (value.IsUint64()) {
    sent.kind = SentValue::Kind::kHugeInteger;
  } else if (value.IsDouble()) {
    sent.kind = SentValue::Kind::kFraction;
    sent.number = value.GetDouble();
  } else if (value.IsNull()) {
    sent.kind = SentValue::Kind::kNull;
  }
  return sent;
}

SentBody ToSentBody(const rapidjson::Value& value) {
  SentBody sent;
  sent.is_object = value.IsObject();
  if (!sent.is_object) return sent;
  sent.members.reserve(value.MemberCount());
  for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
    sent.members.emplace_back(std::string(member->name.GetString(), member->name.GetStringLength()),
                              ToSentValue(member->value));
  }
  return sent;
}

Error BadBatch(std::string source, std::string desc) {
  return Error::BadRequest("Invalid batch", {{std::move(source), std::move(desc)}});
}

}  // namespace

Result<SentBody> ReadSentBody(std::string_view body) {
  rapidjson::Document document;
  if (Status parsed = ParseJsonBody(body, document); !parsed) return parsed.error();
  return ToSentBody(document);
}

Result<SentBatch> ReadSentBatch(std::string_view body) {
  rapidjson::Document document;
  if (Status parsed = ParseJsonBody(body, document); !parsed) return parsed.error();
  if (!document.IsObject()) return BadBatch("body", std::string(kNotObjectMessage));
  SentBatch batch;
  const rapidjson::Value* items = nullptr;
  bool mode_seen = false;
  for (auto member = document.MemberBegin(); member != document.MemberEnd(); ++member) {
    const std::string_view name(member->name.GetString(), member->name.GetStringLength());
    if (name == "items" && items == nullptr) {
      items = &member->value;
    } else if (name == "mode" && !mode_seen) {
      mode_seen = true;
      const std::string_view mode =
          member->value.IsString()
              ? std::string_view(member->value.GetString(), member->value.GetStringLength())
              : std::string_view();
      if (mode == "create") {
        batch.mode = BatchMode::kCreate;
      } else if (mode == "upsert") {
        batch.mode = BatchMode::kUpsert;
      } else {
        return BadBatch("mode", "mode must be \"create\" or \"upsert\"");
      }
    } else {
      const std::string shown =
          name.size() <= 64 ? std::string(name) : std::string(name.substr(0, 64)) + "...";
      return BadBatch(shown, "\"" + shown + "\" is not allowed");
    }
  }
  if (items == nullptr || !items->IsArray()) {
    return BadBatch("items", "items must be an array of 1 to 100 potential customers");
  }
  if (items->Empty()) return BadBatch("items", "items must hold at least one potential customer");
  if (items->Size() > kMaxBatchItems) {
    return Error{ErrorCode::kPayloadTooLarge,
                 "A batch holds at most " + std::to_string(kMaxBatchItems) + " items",
                 {{"items", "at most " + std::to_string(kMaxBatchItems) + " items"}}};
  }
  batch.items.reserve(items->Size());
  for (const rapidjson::Value& item : items->GetArray()) batch.items.push_back(ToSentBody(item));
  return batch;
}

}  // namespace pcustomer

#include "pcustomer/api/sent_body.hpp"

#include <rapidjson/document.h>

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
  }
  return sent;
}

}  // namespace

Result<SentBody> ReadSentBody(std::string_view body) {
  rapidjson::Document document;
  if (Status parsed = ParseJsonBody(body, document); !parsed) return parsed.error();
  SentBody sent;
  sent.is_object = document.IsObject();
  if (!sent.is_object) return sent;
  sent.members.reserve(document.MemberCount());
  for (auto member = document.MemberBegin(); member != document.MemberEnd(); ++member) {
    sent.members.emplace_back(std::string(member->name.GetString(), member->name.GetStringLength()),
                              ToSentValue(member->value));
  }
  return sent;
}

}  // namespace pcustomer

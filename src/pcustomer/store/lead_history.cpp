#include "pcustomer/store/lead_history.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>

#include "pcustomer/domain/customer_fields.hpp"

namespace pcustomer {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteValue(JsonWriter& writer, const std::string& value) {
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void WriteValue(JsonWriter& writer, int value) { writer.Int(value); }
void WriteValue(JsonWriter& writer, const std::optional<std::string>& value) {
  if (value) {
    WriteValue(writer, *value);
  } else {
    writer.Null();
  }
}

// An optional field without a value: a create that leaves it so has nothing to record.
bool IsNone(const std::optional<std::string>& value) { return !value; }
bool IsNone(const auto&) { return false; }

std::string ChangesJson(const Customer* before, const Customer& after) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  ForEachCustomerField([&](const auto& field) {
    if (before != nullptr && before->*field.stored == after.*field.stored) return;
    if (before == nullptr && IsNone(after.*field.stored)) return;
    writer.Key(field.json.data(), static_cast<rapidjson::SizeType>(field.json.size()));
    writer.StartObject();
    writer.Key("from");
    if (before == nullptr) {
      writer.Null();
    } else {
      WriteValue(writer, before->*field.stored);
    }
    writer.Key("to");
    WriteValue(writer, after.*field.stored);
    writer.EndObject();
  });
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

HistoryEntry NoteEntryOf(const Actor& by, const Customer& after, const std::string& text) {
  HistoryEntry entry = HistoryEntryOf(HistoryAction::kNoted, by, &after, after);
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key(kNoteChange.data(), static_cast<rapidjson::SizeType>(kNoteChange.size()));
  writer.StartObject();
  writer.Key("from");
  writer.Null();
  writer.Key("to");
  WriteValue(writer, text);
  writer.EndObject();
  writer.EndObject();
  entry.changes.assign(buffer.GetString(), buffer.GetSize());
  return entry;
}

HistoryEntry HistoryEntryOf(HistoryAction action, const Actor& by, const Customer* before,
                            const Customer& after) {
  HistoryEntry entry;
  entry.lead_id = after.id;
  entry.version = after.version;
  entry.at = after.updated_at;
  entry.by = by;
  entry.action = action;
  // An update that only gives the lead another owner is an assignment.
  if (action == HistoryAction::kUpdated && before != nullptr &&
      before->owner_id != after.owner_id) {
    Customer reassigned = *before;
    reassigned.owner_id = after.owner_id;
    reassigned.version = after.version;
    reassigned.updated_at = after.updated_at;
    if (reassigned == after) entry.action = HistoryAction::kAssigned;
  }
  entry.changes = ChangesJson(before, after);
  return entry;
}

}  // namespace pcustomer

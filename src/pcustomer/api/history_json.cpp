#include "pcustomer/api/history_json.hpp"

#include "pcustomer/api/json_writing.hpp"

namespace pcustomer {
namespace {

void WriteEntry(JsonWriter& json, const HistoryEntry& entry) {
  json.StartObject();
  json.Key("version");
  json.Int64(entry.version);
  json.Key("at");
  WriteString(json, entry.at);
  WriteActor(json, entry.by);
  json.Key("action");
  WriteString(json, HistoryActionName(entry.action));
  json.Key("changes");
  // Written by the store as a JSON object (store/lead_history.hpp).
  json.RawValue(entry.changes.data(), entry.changes.size(), rapidjson::kObjectType);
  json.EndObject();
}

}  // namespace

std::string HistoryEnvelope(const HistoryPage& page, int limit,
                            const std::optional<std::string>& cursor) {
  return PagedEnvelope(page.items, WriteEntry, limit, cursor);
}

}  // namespace pcustomer

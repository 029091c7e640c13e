#include "pcustomer/api/lead_work_json.hpp"

#include <rapidjson/document.h>

#include <algorithm>

#include "pcustomer/api/json_writing.hpp"
#include "pcustomer/domain/lead_workflow.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

constexpr int64_t kMillisPerDay = 24LL * 60 * 60 * 1000;

// The text the store recorded as the note's change (store/lead_history.hpp NoteEntryOf).
std::string NoteText(const HistoryEntry& note) {
  rapidjson::Document changes;
  changes.Parse(note.changes.data(), note.changes.size());
  if (!changes.IsObject()) return {};
  const auto change = changes.FindMember(kNoteChange.data());
  if (change == changes.MemberEnd() || !change->value.IsObject()) return {};
  const auto to = change->value.FindMember("to");
  if (to == change->value.MemberEnd() || !to->value.IsString()) return {};
  return std::string(to->value.GetString(), to->value.GetStringLength());
}

void WriteNote(JsonWriter& json, const HistoryEntry& note) {
  json.StartObject();
  json.Key("id");
  WriteString(json, std::to_string(note.version));
  json.Key("at");
  WriteString(json, note.at);
  WriteActor(json, note.by);
  json.Key("text");
  WriteString(json, NoteText(note));
  json.EndObject();
}

template <size_t N>
void WriteAllCounts(JsonWriter& json, const std::array<std::string_view, N>& names,
                    const std::map<std::string, int64_t>& counts) {
  json.StartObject();
  for (std::string_view name : names) {
    const auto found = counts.find(std::string(name));
    WriteKey(json, name);
    json.Int64(found == counts.end() ? 0 : found->second);
  }
  json.EndObject();
}

}  // namespace

std::string NoteEnvelope(const HistoryEntry& note) { return ItemEnvelope(note, WriteNote); }

std::string NotePageEnvelope(const HistoryPage& page, int limit,
                             const std::optional<std::string>& cursor) {
  return PagedEnvelope(page.items, WriteNote, limit, cursor);
}

std::vector<std::string> LastUtcDays(int64_t now_millis, int days) {
  std::vector<std::string> dates;
  dates.reserve(static_cast<size_t>(std::max(days, 0)));
  for (int back = days - 1; back >= 0; --back) {
    dates.push_back(FormatIsoMillis(now_millis - back * kMillisPerDay).substr(0, 10));
  }
  return dates;
}

std::string StatsEnvelope(const LeadCounts& counts, const std::vector<std::string>& days) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  json.Key("data");
  json.StartObject();
  json.Key("total");
  json.Int64(counts.total);
  json.Key("byStatus");
  WriteAllCounts(json, kLeadStatuses, counts.by_status);
  json.Key("bySource");
  WriteAllCounts(json, kLeadSources, counts.by_source);
  json.Key("byProductCode");
  json.StartObject();
  for (const auto& [code, count] : counts.by_product_code) {
    if (count == 0) continue;
    WriteKey(json, code);
    json.Int64(count);
  }
  json.EndObject();
  json.Key("createdPerDay");
  json.StartArray();
  for (const std::string& date : days) {
    const auto found = counts.created_per_day.find(date);
    json.StartObject();
    json.Key("date");
    WriteString(json, date);
    json.Key("count");
    json.Int64(found == counts.created_per_day.end() ? 0 : found->second);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  json.EndObject();
  return Taken(buffer);
}

}  // namespace pcustomer

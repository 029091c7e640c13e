#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pcustomer {

// Who made a change, as a lead's history records it (CONTRACT.md section 8): the identity
// provider's stable id of the user and the name shown.
struct Actor {
  std::string sub;
  std::string username;
  bool operator==(const Actor&) const = default;
};

enum class HistoryAction { kCreated, kUpdated, kTrashed, kRestored, kImported, kAssigned, kNoted };

inline constexpr std::string_view HistoryActionName(HistoryAction action) {
  switch (action) {
    case HistoryAction::kCreated:
      return "created";
    case HistoryAction::kUpdated:
      return "updated";
    case HistoryAction::kTrashed:
      return "trashed";
    case HistoryAction::kRestored:
      return "restored";
    case HistoryAction::kImported:
      return "imported";
    case HistoryAction::kAssigned:
      return "assigned";
    case HistoryAction::kNoted:
      return "noted";
  }
  return "updated";
}

inline std::optional<HistoryAction> HistoryActionNamed(std::string_view name) {
  for (HistoryAction action :
       {HistoryAction::kCreated, HistoryAction::kUpdated, HistoryAction::kTrashed,
        HistoryAction::kRestored, HistoryAction::kImported, HistoryAction::kAssigned,
        HistoryAction::kNoted}) {
    if (HistoryActionName(action) == name) return action;
  }
  return std::nullopt;
}

// One entry of a lead's history: the change that brought the lead to `version`. Every change
// moves the version by one, so the version orders a lead's entries and names each one.
struct HistoryEntry {
  std::string lead_id;
  int64_t version = 1;
  std::string at;  // ISO 8601 UTC with milliseconds, the lead's updatedAt after the change
  Actor by;
  HistoryAction action = HistoryAction::kUpdated;
  // A JSON object {"<field>": {"from": <value or null>, "to": <value or null>}} of the
  // fields the change set to another value; {} for a change of state (trash, restore).
  std::string changes = "{}";
  bool operator==(const HistoryEntry&) const = default;
};

// A page of a lead's history, newest first: entries below `before_version` (all when unset).
struct HistoryRequest {
  std::string lead_id;
  std::optional<int64_t> before_version;
  int limit = 10;                       // 1..100, checked by the caller
  std::optional<HistoryAction> action;  // only entries of this action (the notes: kNoted)
};

// A note's entry records its text as the change of "note", from nothing.
inline constexpr std::string_view kNoteChange = "note";

struct HistoryPage {
  std::vector<HistoryEntry> items;
  bool more = false;  // another page follows the last item
};

}  // namespace pcustomer

#include "pcustomer/api/lead_work_routes.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/history_pages.hpp"
#include "pcustomer/api/lead_work_json.hpp"
#include "pcustomer/api/sent_body.hpp"
#include "pcustomer/validation/customer_validation.hpp"
#include "pcustomer/validation/workflow_rules.hpp"

namespace pcustomer {
namespace {

// /stats counts the creations of the last 30 UTC days (CONTRACT.md section 9).
constexpr int kStatsDays = 30;
constexpr const char* kNoteTextRule = "text must be a string of 1 to 2000 characters";

// The text of a note body: exactly {"text": "<1 to 2,000 characters>"}.
Result<std::string> NoteTextOf(const SentBody& body) {
  if (!body.is_object) return Error::BadRequest(std::string(kNotObjectMessage));
  std::optional<std::string> text;
  std::vector<Reason> reasons;
  bool seen = false;
  for (const auto& [key, value] : body.members) {
    if (key != "text") {
      reasons.push_back({key, "\"" + key + "\" is not allowed"});
    } else if (seen) {
      reasons.push_back({"text", "\"text\" is duplicated"});
    } else {
      seen = true;
      if (value.kind == SentValue::Kind::kString) text = NormalizeNoteText(value.text);
      if (!text) reasons.push_back({"text", kNoteTextRule});
    }
  }
  if (!seen) reasons.insert(reasons.begin(), {"text", "text is required"});
  if (!reasons.empty()) return Error::Validation(std::move(reasons));
  return std::move(*text);
}

}  // namespace

void LeadWorkRoutes::Register(Router& router) {
  router.Add({"POST", "/pcustomers/{id}/notes", Permission::kWriteCustomers, true,
              [this](Request request, Principal caller, Reply reply) {
                AddNote(std::move(request), std::move(caller), std::move(reply));
              },
              true});
  router.Add({"GET", "/pcustomers/{id}/notes", Permission::kReadCustomers, false,
              [this](Request request, Principal, Reply reply) {
                ListNotes(std::move(request), std::move(reply));
              }});
  router.Add({"GET", "/stats", Permission::kReadCustomers, false,
              [this](Request request, Principal, Reply reply) {
                Stats(std::move(request), std::move(reply));
              }});
}

void LeadWorkRoutes::AddNote(Request request, Principal caller, Reply reply) {
  Result<SentBody> body = ReadSentBody(request.body);
  if (!body) return reply(ErrorResponse(body.error()));
  Result<std::string> text = NoteTextOf(*body);
  if (!text) return reply(ErrorResponse(text.error()));
  store_.AddNote(std::move(request.path_params[0]), std::move(*text), ActorOf(caller),
                 [reply = std::move(reply)](Result<HistoryEntry> note) {
                   if (!note) return reply(ErrorResponse(note.error()));
                   reply(JsonResponse(NoteEnvelope(*note), 201));
                 });
}

void LeadWorkRoutes::ListNotes(Request request, Reply reply) {
  ReplyHistoryPage(store_, cursors_, std::move(request), "GET /pcustomers/{id}/notes",
                   HistoryAction::kNoted, NotePageEnvelope, std::move(reply));
}

void LeadWorkRoutes::Stats(Request request, Reply reply) {
  if (!request.query.empty()) {
    return reply(ErrorResponse(
        Error::BadRequest("Invalid query", {{"query", "GET /stats takes no query parameters"}})));
  }
  std::vector<std::string> days = LastUtcDays(now_(), kStatsDays);
  std::string first_day = days.front();
  store_.Counts(std::move(first_day),
                [days = std::move(days), reply = std::move(reply)](Result<LeadCounts> counts) {
                  if (!counts) return reply(ErrorResponse(counts.error()));
                  reply(JsonResponse(StatsEnvelope(*counts, days)));
                });
}

}  // namespace pcustomer

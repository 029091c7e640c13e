#include "pcustomer/api/lead_work_routes.hpp"

#include <optional>
#include <string>
#include <utility>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/lead_work_json.hpp"
#include "pcustomer/api/page_query.hpp"
#include "pcustomer/api/sent_body.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/validation/workflow_rules.hpp"

namespace pcustomer {
namespace {

// /stats counts the creations of the last 30 UTC days (CONTRACT.md section 9).
constexpr int kStatsDays = 30;
constexpr int64_t kMillisPerDay = 24LL * 60 * 60 * 1000;

Error NoteTextError() {
  return Error::Validation({{"text", "text must be a string of 1 to 2000 characters"}});
}

// The text of a note body: exactly {"text": "<1 to 2,000 characters>"}.
Result<std::string> NoteTextOf(const SentBody& body) {
  if (!body.is_object) return Error::BadRequest("Request body must be a JSON object");
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
      if (!text) reasons.push_back(NoteTextError().reasons.front());
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
  Result<PageQuery> query = ParsePageQuery(request.query, "GET /pcustomers/{id}/notes");
  if (!query) return reply(ErrorResponse(query.error()));
  HistoryRequest notes;
  notes.lead_id = std::move(request.path_params[0]);
  notes.limit = query->limit;
  notes.action = HistoryAction::kNoted;
  if (!query->start_key.empty()) {
    Result<int64_t> before = cursors_.DecodeHistory(query->start_key, notes.lead_id);
    if (!before) return reply(ErrorResponse(before.error()));
    notes.before_version = *before;
  }
  const int limit = notes.limit;
  std::string lead_id = notes.lead_id;
  store_.History(std::move(notes), [this, limit, lead_id = std::move(lead_id),
                                    reply = std::move(reply)](Result<HistoryPage> page) {
    if (!page) return reply(ErrorResponse(page.error()));
    std::optional<std::string> cursor;
    if (page->more && !page->items.empty())
      cursor = cursors_.EncodeHistory(lead_id, page->items.back().version);
    reply(JsonResponse(NotePageEnvelope(*page, limit, cursor)));
  });
}

void LeadWorkRoutes::Stats(Request request, Reply reply) {
  if (!request.query.empty()) {
    return reply(ErrorResponse(
        Error::BadRequest("Invalid query", {{"query", "GET /stats takes no query parameters"}})));
  }
  const int64_t now = now_();
  const std::string first_day =
      FormatIsoMillis(now - (kStatsDays - 1) * kMillisPerDay).substr(0, 10);
  store_.Counts(first_day, [now, reply = std::move(reply)](Result<LeadCounts> counts) {
    if (!counts) return reply(ErrorResponse(counts.error()));
    reply(JsonResponse(StatsEnvelope(*counts, now, kStatsDays)));
  });
}

}  // namespace pcustomer

#include "pcustomer/store/sqlite/search_index.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/validation/search_text.hpp"

namespace pcustomer::sqlite {
namespace {

constexpr size_t kShortGram = kMinPhoneSearchDigits;
constexpr size_t kLongGram = 6;
// The longest prefix (in bytes) the prefix indexes of customer_name_search answer: their
// lengths count characters, so this many bytes are at most this many characters.
constexpr size_t kIndexedPrefixBytes = 3;
// Beyond this many words for one prefix, FTS5's own prefix query is as good as a list.
constexpr int kMaxWordsPerPrefix = 64;

// `text` as an FTS5 string: in double quotes, each double quote doubled.
std::string QuotedString(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

// The MATCH term for words starting with `prefix`: the prefix query itself when an index of
// prefixes answers it, else the words of the vocabulary that it starts, ORed.
Result<std::string> PrefixTerm(Connection& db, const std::string& prefix) {
  const std::string prefix_query = QuotedString(prefix) + "*";
  if (prefix.size() <= kIndexedPrefixBytes) return prefix_query;
  Result<Query> query = db.Prepare(
      "SELECT word FROM customer_name_vocabulary WHERE word >= ?1 AND word < ?2 LIMIT ?3");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, prefix);
  query->Bind(2, prefix + '\xff');  // 0xFF never occurs in UTF-8: past every continuation
  query->Bind(3, int64_t{kMaxWordsPerPrefix} + 1);
  std::vector<std::string> words;
  int rc = SQLITE_OK;
  while ((rc = query->Step()) == SQLITE_ROW) words.push_back(query->Text(0));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  if (words.size() > static_cast<size_t>(kMaxWordsPerPrefix)) return prefix_query;
  // No word starts so: the prefix as a whole word matches nothing either.
  if (words.empty()) return QuotedString(prefix);
  std::string term = "(";
  for (const std::string& word : words) {
    if (term.size() > 1) term += " OR ";
    term += QuotedString(word);
  }
  return term + ")";
}

// A name's words once each: "Nguyễn Nguyên" indexes "nguyen" once.
std::vector<std::string> DistinctWords(const std::string& full_name) {
  std::vector<std::string> words = SearchWords(full_name);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

std::string SpaceSeparated(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

void AddGrams(std::string_view phone, char tag, size_t length, std::string& text) {
  for (size_t start = 0; start + length <= phone.size(); ++start) {
    if (!text.empty()) text += ' ';
    text += tag;
    text.append(phone.substr(start, length));
  }
}

std::string PhoneText(const std::string& phone) {
  std::string text;
  AddGrams(phone, 't', kShortGram, text);
  AddGrams(phone, 's', kLongGram, text);
  return text;
}

// Runs `name_sql` and `phone_sql` with the lead's rowid as parameter 1 and as 2 the text of
// its name `words` and of its phone.
Status WriteSearchRows(Connection& db, const Customer& customer,
                       const std::vector<std::string>& words, const char* name_sql,
                       const char* phone_sql) {
  Result<int64_t> rowid = SearchRowId(customer.id);
  if (!rowid.ok()) return std::move(rowid).error();
  const std::pair<const char*, std::string> rows[] = {{name_sql, SpaceSeparated(words)},
                                                      {phone_sql, PhoneText(customer.phone)}};
  for (const auto& [sql, text] : rows) {
    Result<Query> query = db.Prepare(sql);
    if (!query.ok()) return std::move(query).error();
    query->Bind(1, *rowid);
    query->Bind(2, text);
    if (int rc = query->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  }
  return Ok{};
}

// Reads id, full_name and phone of the leads `sql` selects, then runs `each` on them.
template <class Each>
Status ForEachLead(Connection& db, const char* sql, Each each) {
  std::vector<Customer> leads;
  {
    Result<Query> query = db.Prepare(sql);
    if (!query.ok()) return std::move(query).error();
    int rc = SQLITE_OK;
    while ((rc = query->Step()) == SQLITE_ROW) {
      Customer lead;
      lead.id = query->Text(0);
      lead.full_name = query->Text(1);
      lead.phone = query->Text(2);
      leads.push_back(std::move(lead));
    }
    if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  }
  for (const Customer& lead : leads) {
    if (Status done = each(lead); !done.ok()) return done;
  }
  return Ok{};
}

}  // namespace

Result<int64_t> SearchRowId(const std::string& id) {
  const std::optional<int64_t> value = CustomerIdValue(id);
  if (!value) return Error::Internal("a stored customer id is not numeric: " + id);
  return *value;
}

Result<std::string> NameMatch(Connection& db, const std::vector<std::string>& prefixes) {
  // Every term must match (FTS5 wants AND spelled out next to a bracketed OR).
  std::string match;
  for (const std::string& prefix : prefixes) {
    Result<std::string> term = PrefixTerm(db, prefix);
    if (!term.ok()) return term;
    if (!match.empty()) match += " AND ";
    match += *term;
  }
  return match;
}

std::string PhoneMatch(const std::string& digits) {
  const size_t gram = digits.size() >= kLongGram ? kLongGram : kShortGram;
  const char tag = gram == kLongGram ? 's' : 't';
  std::string match = tag + digits.substr(0, gram);
  if (digits.size() > gram) match += std::string(" ") + tag + digits.substr(digits.size() - gram);
  return match;
}

Status IndexCustomer(Connection& db, const Customer& customer) {
  const std::vector<std::string> words = DistinctWords(customer.full_name);
  for (const std::string& word : words) {
    Result<Query> query =
        db.Prepare("INSERT OR IGNORE INTO customer_name_vocabulary (word) VALUES (?1)");
    if (!query.ok()) return std::move(query).error();
    query->Bind(1, word);
    if (int rc = query->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  }
  return WriteSearchRows(db, customer, words,
                         "INSERT INTO customer_name_search (rowid, words) VALUES (?1, ?2)",
                         "INSERT INTO customer_phone_search (rowid, grams) VALUES (?1, ?2)");
}

Status UnindexCustomer(Connection& db, const Customer& customer) {
  return WriteSearchRows(db, customer, DistinctWords(customer.full_name),
                         "INSERT INTO customer_name_search (customer_name_search, rowid, words) "
                         "VALUES ('delete', ?1, ?2)",
                         "INSERT INTO customer_phone_search (customer_phone_search, rowid, grams) "
                         "VALUES ('delete', ?1, ?2)");
}

Status FillMissingNameKeys(Connection& db) {
  return ForEachLead(db, "SELECT id, full_name, phone FROM customers WHERE name_key IS NULL",
                     [&](const Customer& lead) -> Status {
                       Result<Query> query =
                           db.Prepare("UPDATE customers SET name_key = ?2 WHERE id = ?1");
                       if (!query.ok()) return std::move(query).error();
                       query->Bind(1, lead.id);
                       query->BindBlob(2, VietnameseSortKey(lead.full_name));
                       if (int rc = query->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
                       return Ok{};
                     });
}

Status IndexAllCustomers(Connection& db) {
  return ForEachLead(db, "SELECT id, full_name, phone FROM customers",
                     [&](const Customer& lead) { return IndexCustomer(db, lead); });
}

}  // namespace pcustomer::sqlite

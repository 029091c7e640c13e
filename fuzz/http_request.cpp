// The HTTP request reader: bytes from a socket through Beast's parser and the framing rules
// the session applies (empty lines before the request line, Transfer-Encoding, Host,
// absolute-form targets), as src/pcustomer/http/session.cpp reads them.
// fuzz-link: pc_http
//
// The first input byte sets how the rest arrives (1 to 64 bytes a read), since a header
// split at an odd place is where incremental parsers go wrong. Any number of pipelined
// requests are read until the input ends or a request is refused.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <string>

#include "fuzz_support.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/http/request_framing.hpp"

namespace {

namespace http = boost::beast::http;

constexpr size_t kHeaderLimit = 8 * 1024;
constexpr size_t kBodyLimit = 16 * 1024;

void CheckRefusal(const pcustomer::Error& error) {
  FUZZ_CHECK(error.code == pcustomer::ErrorCode::kBadRequest);
  FUZZ_CHECK(pcustomer::fuzz::IsStrictUtf8(pcustomer::ErrorResponse(error).body));
}

// Reads one request from `input` (advancing it). False when the stream cannot go on.
bool ReadOne(std::string_view& input, size_t piece) {
  size_t skipped = pcustomer::LeadingEmptyLineBytes(input);
  FUZZ_CHECK(skipped <= input.size());
  input.remove_prefix(skipped);
  if (input.empty()) return false;

  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(kHeaderLimit));
  parser.body_limit(kBodyLimit);
  boost::beast::error_code ec;
  size_t arrived = 0;  // bytes of `input` the parser may see so far
  bool checked = false;
  while (!parser.is_done()) {
    // As from a socket: at most `piece` more bytes each round.
    arrived = std::min(input.size(), arrived + piece);
    size_t used = parser.put(boost::asio::buffer(input.data(), arrived), ec);
    FUZZ_CHECK(used <= arrived);
    input.remove_prefix(used);
    arrived -= used;
    if (ec == http::error::need_more) {
      ec = {};
    } else if (ec) {
      return false;
    }
    if (parser.is_header_done() && !checked) {
      checked = true;
      if (auto refusal = pcustomer::CheckFraming(parser.get().base())) {
        CheckRefusal(*refusal);
        return false;
      }
      std::string origin = pcustomer::OriginForm(parser.get().target());
      FUZZ_CHECK(origin.size() <= parser.get().target().size() + 1);
    }
    // Everything offered and nothing taken: the request needs more than the input holds
    // (a socket would wait for it here).
    if (used == 0 && arrived == input.size() && !parser.is_done()) return false;
  }
  FUZZ_CHECK(parser.get().body().size() <= kBodyLimit);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + (data[0] % 64);
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (int requests = 0; requests < 64 && ReadOne(input, piece); ++requests) {
  }
  return 0;
}

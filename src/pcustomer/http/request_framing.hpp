#pragma once

// Internal to the http layer: the parts of RFC 9112 that Beast's parser leaves to the
// server. Pure functions over bytes and parsed headers, so the fuzz target and the unit
// tests reach them without a socket.

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/error.hpp"

namespace pcustomer {

// A request whose header is refused by CheckFraming must not be read any further: its
// body's length is unknown, so the bytes after it cannot be trusted as a next request.
// - Transfer-Encoding other than exactly "chunked" (section 6.3: a last coding that is not
//   chunked leaves the length unknown; and no other coding is understood here), or next to
//   Content-Length (section 6.1: a smuggling pattern).
// - HTTP/1.1 without Host, or any request with more than one (section 3.2).
std::optional<Error> CheckFraming(const boost::beast::http::request_header<>& header);

// Bytes of empty lines (CRLF or a bare LF) at the start of `data`, which section 2.2 says a
// server should skip before a request line. A lone trailing CR is not counted yet: its LF
// may still arrive.
size_t LeadingEmptyLineBytes(std::string_view data);

// The origin-form of an absolute-form target: "http://host:80/a?b" -> "/a?b" (section
// 3.2.2). Other targets come back unchanged.
std::string OriginForm(std::string_view target);

}  // namespace pcustomer

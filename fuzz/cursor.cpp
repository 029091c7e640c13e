// List and search cursors (startKey): any client text goes to CursorCodec::Decode and
// DecodeSearch.
// fuzz-link: pc_api
//
// A forged tag is out of the fuzzer's reach, so the tag check would hide everything behind it.
// The first input byte therefore picks what the rest is:
//   0: a cursor as a client sends it;
//   1: a last id, encoded and decoded again (must round-trip);
//   2: a payload signed with the codec's key, so the checks after the tag run on any bytes;
//   3: the same for a search cursor (DecodeSearch, every sort);
//   4: a search position (id and name from the input), encoded and decoded again.

#include "pcustomer/api/cursor.hpp"

#include <string>

#include "fuzz_support.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace {

const std::string kKey(32, 'k');
// The longest cursor Decode reads (kMaxCursorLength in src/pcustomer/api/cursor.cpp).
constexpr size_t kMaxCursorLength = 1024;

template <class T>
void CheckRefusal(const pcustomer::Result<T>& decoded) {
  FUZZ_CHECK(decoded.error().code == pcustomer::ErrorCode::kBadRequest);
  const pcustomer::Response response = pcustomer::ErrorResponse(decoded.error());
  FUZZ_CHECK(response.status == 400);
  FUZZ_CHECK(pcustomer::fuzz::IsStrictUtf8(response.body));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const pcustomer::CursorCodec codec(kKey);
  const std::string_view rest = pcustomer::fuzz::AsText(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto decoded = codec.Decode(rest);
      if (decoded) {
        // Accepted only if it is exactly what this codec issues for that id.
        FUZZ_CHECK(codec.Encode(*decoded) == rest);
      } else {
        CheckRefusal(decoded);
      }
      break;
    }
    case 1: {
      const std::string cursor = codec.Encode(rest);
      auto decoded = codec.Decode(cursor);
      // Cursors longer than the limit are refused, whoever made them.
      if (cursor.size() <= kMaxCursorLength) {
        FUZZ_CHECK(decoded.ok() && *decoded == rest);
      } else {
        CheckRefusal(decoded);
      }
      break;
    }
    case 2: {
      const std::string tag = pcustomer::HmacSha256(kKey, rest).substr(0, 16);
      const std::string cursor =
          pcustomer::Base64UrlEncode(rest) + "." + pcustomer::Base64UrlEncode(tag);
      auto decoded = codec.Decode(cursor);
      const bool version_one = rest.substr(0, 2) == "1:";
      if (decoded) {
        FUZZ_CHECK(version_one && *decoded == rest.substr(2));
      } else {
        // A correctly signed version-1 payload within the length limit is always accepted.
        FUZZ_CHECK(!version_one || cursor.size() > kMaxCursorLength);
        CheckRefusal(decoded);
      }
      break;
    }
    case 3: {
      const std::string tag = pcustomer::HmacSha256(kKey, rest).substr(0, 16);
      const std::string cursor =
          pcustomer::Base64UrlEncode(rest) + "." + pcustomer::Base64UrlEncode(tag);
      for (auto field :
           {pcustomer::CustomerSortField::kCreateAt, pcustomer::CustomerSortField::kFullName,
            pcustomer::CustomerSortField::kAge}) {
        auto decoded = codec.DecodeSearch(cursor, "fp", field);
        if (decoded) {
          // Accepted only if it re-encodes to the very payload that was signed.
          FUZZ_CHECK(codec.EncodeSearch("fp", field, *decoded) == cursor);
        } else {
          CheckRefusal(decoded);
        }
      }
      break;
    }
    case 4: {
      // The id ends at the first line feed (ids never hold one); the name is the rest.
      const size_t split = rest.find('\n');
      pcustomer::Customer last;
      last.id = std::string(rest.substr(0, split));
      if (split != std::string_view::npos) last.full_name = std::string(rest.substr(split + 1));
      const std::string cursor =
          codec.EncodeSearch("fp", pcustomer::CustomerSortField::kFullName, last);
      auto decoded = codec.DecodeSearch(cursor, "fp", pcustomer::CustomerSortField::kFullName);
      if (cursor.size() <= kMaxCursorLength) {
        FUZZ_CHECK(decoded.ok() && decoded->id == last.id && decoded->full_name == last.full_name);
      } else {
        CheckRefusal(decoded);
      }
      break;
    }
  }
  return 0;
}

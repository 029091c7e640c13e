#include "pcustomer/http/request_framing.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/string_body.hpp>

namespace pcustomer {
namespace {

namespace http = boost::beast::http;

http::request_header<> Header(std::initializer_list<std::pair<std::string, std::string>> fields,
                              unsigned version = 11) {
  http::request_header<> header;
  header.method(http::verb::post);
  header.target("/pcustomers");
  header.version(version);
  for (const auto& [name, value] : fields) header.insert(name, value);
  return header;
}

TEST(RequestFraming, RegressionTransferEncodingOtherThanChunkedWasReadAsNoBody) {
  for (const char* coding : {"gzip", "identity", "xchunked", "chunked, identity", "chunked, gzip",
                             "gzip, chunked", "chunked, chunked", "", " , "}) {
    auto error = CheckFraming(Header({{"Host", "a"}, {"Transfer-Encoding", coding}}));
    ASSERT_TRUE(error.has_value()) << "'" << coding << "'";
    EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  }
  // Split over two lines, the codings still add up to "chunked, gzip".
  EXPECT_TRUE(CheckFraming(
      Header({{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}})));
}

TEST(RequestFraming, PlainChunkedIsFineInAnyCase) {
  EXPECT_FALSE(CheckFraming(Header({{"Host", "a"}, {"Transfer-Encoding", "chunked"}})));
  EXPECT_FALSE(CheckFraming(Header({{"Host", "a"}, {"Transfer-Encoding", " Chunked "}})));
}

TEST(RequestFraming, ChunkedWithContentLengthIsRefused) {
  EXPECT_TRUE(CheckFraming(
      Header({{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}})));
}

TEST(RequestFraming, HostMustBeThereOnceInHttp11) {
  EXPECT_TRUE(CheckFraming(Header({})));
  EXPECT_TRUE(CheckFraming(Header({{"Host", "a"}, {"Host", "b"}})));
  EXPECT_TRUE(CheckFraming(Header({{"Host", "a"}, {"Host", "a"}}, 10)));
  EXPECT_FALSE(CheckFraming(Header({{"Host", "a"}})));
  EXPECT_FALSE(CheckFraming(Header({}, 10))) << "HTTP/1.0 predates Host";
}

TEST(RequestFraming, SkipsEmptyLinesBeforeTheRequestLine) {
  EXPECT_EQ(LeadingEmptyLineBytes("GET / HTTP/1.1\r\n"), 0u);
  EXPECT_EQ(LeadingEmptyLineBytes("\r\n\r\nGET /"), 4u);
  EXPECT_EQ(LeadingEmptyLineBytes("\n\r\nGET /"), 3u);
  EXPECT_EQ(LeadingEmptyLineBytes("\r\n\r"), 2u) << "the last CR waits for its LF";
  EXPECT_EQ(LeadingEmptyLineBytes("\rX"), 0u);
  EXPECT_EQ(LeadingEmptyLineBytes(""), 0u);
}

TEST(RequestFraming, AbsoluteFormBecomesOriginForm) {
  EXPECT_EQ(OriginForm("http://127.0.0.1:7800/pcustomers?limit=2"), "/pcustomers?limit=2");
  EXPECT_EQ(OriginForm("HTTPS://example.com/a"), "/a");
  EXPECT_EQ(OriginForm("http://example.com"), "/");
  EXPECT_EQ(OriginForm("http://example.com?x=1"), "/?x=1");
  EXPECT_EQ(OriginForm("/pcustomers"), "/pcustomers");
  EXPECT_EQ(OriginForm("*"), "*");
  EXPECT_EQ(OriginForm("ftp://x/y"), "ftp://x/y");
}

}  // namespace
}  // namespace pcustomer

#include "pcustomer/aws/http_url.hpp"

#include <gtest/gtest.h>

#include "pcustomer/aws/http_message.hpp"

namespace pcustomer {
namespace {

TEST(HttpUrlTest, ParsesSchemesHostsPortsAndTargets) {
  struct Case {
    const char* url;
    bool tls;
    const char* host;
    uint16_t port;
    const char* target;
    const char* authority;
  };
  const Case cases[] = {
      {"https://cognito-idp.eu-west-1.amazonaws.com", true, "cognito-idp.eu-west-1.amazonaws.com",
       443, "/", "cognito-idp.eu-west-1.amazonaws.com"},
      {"http://127.0.0.1:9229/", false, "127.0.0.1", 9229, "/", "127.0.0.1:9229"},
      {"HTTP://Example.com:80/a/b?c=d#frag", false, "Example.com", 80, "/a/b?c=d", "Example.com"},
      {"https://h:8443?x=1", true, "h", 8443, "/?x=1", "h:8443"},
      {"http://[::1]:8000/p", false, "::1", 8000, "/p", "[::1]:8000"},
      {"https://[::1]/", true, "::1", 443, "/", "[::1]"},
  };
  for (const Case& c : cases) {
    std::optional<HttpUrl> url = ParseHttpUrl(c.url);
    ASSERT_TRUE(url.has_value()) << c.url;
    EXPECT_EQ(url->tls, c.tls) << c.url;
    EXPECT_EQ(url->host, c.host) << c.url;
    EXPECT_EQ(url->port, c.port) << c.url;
    EXPECT_EQ(url->target, c.target) << c.url;
    EXPECT_EQ(url->Authority(), c.authority) << c.url;
  }
}

TEST(HttpUrlTest, RejectsWhatIsNotAnHttpUrl) {
  for (const char* url :
       {"", "localhost:8000", "ftp://h/", "http://", "http:///path", "http://h:/", "http://h:0/",
        "http://h:65536/", "http://h:12x/", "http://user:pw@h/", "http://h/a b", "http://h/\r\n",
        "http://[::1/", "http://[::1]x/", "http://::1/"}) {
    EXPECT_FALSE(ParseHttpUrl(url).has_value()) << url;
  }
}

TEST(HttpHeadersTest, FindsCaseInsensitivelyAndSetReplaces) {
  HttpHeaders headers;
  headers.Add("Content-Type", "a");
  headers.Add("X-One", "1");
  headers.Add("x-one", "2");
  EXPECT_EQ(headers.Find("content-type"), "a");
  EXPECT_EQ(headers.Find("X-ONE"), "1");
  EXPECT_FALSE(headers.Find("missing").has_value());
  headers.Set("X-One", "3");
  EXPECT_EQ(headers.Find("x-one"), "3");
  EXPECT_EQ(headers.fields().size(), 2u);
}

TEST(HttpHeadersTest, IdempotentByMethodUnlessSaid) {
  HttpRequest request;
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
    request.method = method;
    EXPECT_TRUE(IsIdempotent(request)) << method;
  }
  request.method = "POST";
  EXPECT_FALSE(IsIdempotent(request));
  request.idempotent = true;
  EXPECT_TRUE(IsIdempotent(request));
  request.method = "GET";
  request.idempotent = false;
  EXPECT_FALSE(IsIdempotent(request));
}

}  // namespace
}  // namespace pcustomer

// The size limits of a session as a client meets them: a real Server on a loopback port
// with non-default limits, spoken to over a plain socket. The 413 and 431 answers must name
// the limit in force, not the default one.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>
#include <string>
#include <thread>
#include <utility>

#include "pcustomer/api/authorizer.hpp"
#include "pcustomer/api/router.hpp"
#include "pcustomer/http/server.hpp"

namespace pcustomer {
namespace {

// A reader that waits this long for the server is taken as hung: only a bug waits this long.
constexpr int kHungSeconds = 30;

// A server with one loop and two routes, POST /echo and POST /bulk (a bulk body), which
// answer the size of the body they got.
class LimitedServer {
 public:
  LimitedServer(size_t header_limit, size_t body_limit)
      : router_(authorizer_), server_(Options(header_limit, body_limit), router_) {
    // The server reads the routes only when requests arrive, so they may follow it.
    auto echo = [](Request request, Principal, Reply reply) {
      reply(JsonResponse("{\"size\":" + std::to_string(request.body.size()) + "}"));
    };
    router_.Add({"POST", "/echo", Permission::kPublic, false, echo});
    router_.Add({"POST", "/bulk", Permission::kPublic, false, echo, false, true});
    Status listening = server_.Listen();
    EXPECT_TRUE(listening.ok()) << listening.error().Described();
    thread_ = std::thread([this] { server_.Run(); });
  }
  ~LimitedServer() {
    server_.Stop();
    thread_.join();
  }
  LimitedServer(const LimitedServer&) = delete;
  LimitedServer& operator=(const LimitedServer&) = delete;

  uint16_t port() const { return server_.port(); }

 private:
  static ServerOptions Options(size_t header_limit, size_t body_limit) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 1;
    options.header_limit = header_limit;
    options.body_limit = body_limit;
    return options;
  }

  OpenAccess authorizer_;
  Router router_;
  Server server_;
  std::thread thread_;
};

struct Answer {
  int status = 0;
  std::string body;
};

// Sends `request` on a new connection and reads until the server closes it.
Answer Exchange(uint16_t port, const std::string& request) {
  Answer answer;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0) << std::strerror(errno);
  if (fd < 0) return answer;
  timeval timeout{kHungSeconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ADD_FAILURE() << "connect: " << std::strerror(errno);
    ::close(fd);
    return answer;
  }
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    // The server may answer and stop reading before the whole request is out.
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string received;
  char chunk[4096];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n == 0) break;
    if (n < 0) {
      ADD_FAILURE() << "recv: " << std::strerror(errno) << " after " << received.size() << " bytes";
      break;
    }
    received.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  const size_t header_end = received.find("\r\n\r\n");
  EXPECT_NE(header_end, std::string::npos) << received;
  if (header_end == std::string::npos || received.compare(0, 9, "HTTP/1.1 ") != 0) return answer;
  answer.status = std::stoi(received.substr(9, 3));
  answer.body = received.substr(header_end + 4);
  return answer;
}

std::string Post(size_t body_size, const std::string& target = "/echo") {
  return "POST " + target +
         " HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: "
         "application/json\r\n"
         "Content-Length: " +
         std::to_string(body_size) + "\r\n\r\n" + std::string(body_size, 'x');
}

// A GET whose header block (request line to the blank line) is `header_size` bytes long.
std::string GetWithHeaderOf(size_t header_size) {
  const std::string start = "GET /echo HTTP/1.1\r\nHost: test\r\nConnection: close\r\nX-Padding: ";
  const std::string end = "\r\n\r\n";
  return start + std::string(header_size - start.size() - end.size(), 'p') + end;
}

// The code and message of an error envelope.
std::pair<std::string, std::string> ErrorOf(const Answer& answer) {
  rapidjson::Document document;
  document.Parse(answer.body.data(), answer.body.size());
  if (document.HasParseError() || !document.IsObject() || !document.HasMember("error")) {
    ADD_FAILURE() << "not an error envelope: " << answer.body;
    return {};
  }
  return {document["error"]["code"].GetString(), document["error"]["message"].GetString()};
}

struct LimitsCase {
  size_t header_limit;
  size_t body_limit;
  const char* header_message;
  const char* body_message;
};

void PrintTo(const LimitsCase& c, std::ostream* os) {
  *os << "headers " << c.header_limit << ", body " << c.body_limit;
}

class SessionLimits : public ::testing::TestWithParam<LimitsCase> {};

TEST_P(SessionLimits, ABodyOverTheLimitIs413NamingIt) {
  const LimitsCase& c = GetParam();
  LimitedServer server(c.header_limit, c.body_limit);
  Answer at_limit = Exchange(server.port(), Post(c.body_limit));
  EXPECT_EQ(at_limit.status, 200) << at_limit.body;
  EXPECT_EQ(at_limit.body, "{\"size\":" + std::to_string(c.body_limit) + "}");
  Answer over = Exchange(server.port(), Post(c.body_limit + 1));
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(ErrorOf(over),
            std::make_pair(std::string("PAYLOAD_TOO_LARGE"), std::string(c.body_message)));
}

TEST_P(SessionLimits, HeadersOverTheLimitAre431NamingIt) {
  const LimitsCase& c = GetParam();
  LimitedServer server(c.header_limit, c.body_limit);
  Answer over = Exchange(server.port(), GetWithHeaderOf(c.header_limit + 1));
  EXPECT_EQ(over.status, 431);
  EXPECT_EQ(ErrorOf(over), std::make_pair(std::string("REQUEST_HEADER_FIELDS_TOO_LARGE"),
                                          std::string(c.header_message)));
  // At the limit the request goes through to the router (which has no GET /echo).
  EXPECT_EQ(Exchange(server.port(), GetWithHeaderOf(c.header_limit)).status, 405);
}

TEST(SessionBulkLimit, ABulkRouteTakesBodiesUpToTheBulkLimit) {
  LimitedServer server(8 * 1024, 1024);
  const size_t bulk = ServerOptions{}.bulk_body_limit;
  EXPECT_EQ(Exchange(server.port(), Post(bulk, "/bulk?x=1")).body,
            "{\"size\":" + std::to_string(bulk) + "}");
  Answer over = Exchange(server.port(), Post(bulk + 1, "/bulk"));
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(ErrorOf(over), std::make_pair(std::string("PAYLOAD_TOO_LARGE"),
                                          std::string("Request body is larger than 256 KiB")));
  // Every other route keeps the small limit.
  EXPECT_EQ(Exchange(server.port(), Post(1025)).status, 413);
}

INSTANTIATE_TEST_SUITE_P(
    ConfiguredLimits, SessionLimits,
    ::testing::Values(
        // The defaults.
        LimitsCase{8 * 1024, 16 * 1024, "Request headers are larger than 8 KiB",
                   "Request body is larger than 16 KiB"},
        // Other whole KiB.
        LimitsCase{2 * 1024, 3 * 1024, "Request headers are larger than 2 KiB",
                   "Request body is larger than 3 KiB"},
        // Not whole KiB, and below one: in KiB they would read "1 KiB" and "0 KiB".
        LimitsCase{1500, 1000, "Request headers are larger than 1500 bytes",
                   "Request body is larger than 1000 bytes"}));

}  // namespace
}  // namespace pcustomer

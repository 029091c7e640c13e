#include "pcustomer/api/system_routes.hpp"

#include "pcustomer/api/error_response.hpp"

namespace pcustomer {
namespace {

Response JsonOk(std::string body) {
  Response response;
  response.body = std::move(body);
  return response;
}

}  // namespace

void RegisterSystemRoutes(Router& router, CustomerStore& store) {
  router.Add({"GET", "/", Permission::kPublic, false, [](Request, Principal, Reply reply) {
                reply(JsonOk(R"({"data":{"message":"Welcome to the potential customer management API"}})"));
              }});
  router.Add({"GET", "/healthz", Permission::kPublic, false, [](Request, Principal, Reply reply) {
                reply(JsonOk(R"({"data":{"status":"ok"}})"));
              }});
  router.Add({"GET", "/readyz", Permission::kPublic, false,
              [&store](Request, Principal, Reply reply) {
                store.CheckReady([reply = std::move(reply)](Status ready) {
                  if (!ready) return reply(ErrorResponse(ready.error()));
                  reply(JsonOk(R"({"data":{"status":"ready"}})"));
                });
              }});
}

}  // namespace pcustomer

#include "pcustomer/api/system_routes.hpp"

#include "pcustomer/api/error_response.hpp"

namespace pcustomer {
void RegisterSystemRoutes(Router& router, CustomerStore& store) {
  router.Add({"GET", "/", Permission::kPublic, false, [](Request, Principal, Reply reply) {
                reply(JsonResponse(
                    R"({"data":{"message":"Welcome to the potential customer management API"}})"));
              }});
  router.Add({"GET", "/healthz", Permission::kPublic, false, [](Request, Principal, Reply reply) {
                reply(JsonResponse(R"({"data":{"status":"ok"}})"));
              }});
  router.Add(
      {"GET", "/readyz", Permission::kPublic, false, [&store](Request, Principal, Reply reply) {
         store.CheckReady([reply = std::move(reply)](Status ready) {
           if (!ready) return reply(ErrorResponse(ready.error()));
           reply(JsonResponse(R"({"data":{"status":"ready"}})"));
         });
       }});
}

}  // namespace pcustomer

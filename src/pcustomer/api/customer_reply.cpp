#include "pcustomer/api/customer_reply.hpp"

#include <utility>

#include "pcustomer/api/customer_json.hpp"
#include "pcustomer/api/entity_tags.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/url.hpp"

namespace pcustomer {

Done<Customer> ReplyCustomer(Reply reply, int status) {
  return [reply = std::move(reply), status](Result<Customer> customer) {
    if (!customer) return reply(ErrorResponse(customer.error()));
    Response response = JsonResponse(CustomerEnvelope(*customer), status);
    response.headers.emplace_back("ETag", EntityTag(customer->version));
    if (status == 201) {
      response.headers.emplace_back("Location",
                                    "/pcustomers/" + PercentEncodePathSegment(customer->id));
    }
    reply(std::move(response));
  };
}

}  // namespace pcustomer

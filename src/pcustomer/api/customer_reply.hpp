#pragma once

#include "pcustomer/api/router.hpp"
#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// The store's answer for one lead as the client gets it: {"data": <customer>} with `status`
// and its ETag (and Location for a 201), or the error envelope.
Done<Customer> ReplyCustomer(Reply reply, int status = 200);

}  // namespace pcustomer

#pragma once

#include "pcustomer/api/router.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// GET / (welcome, as the reference), /healthz (the process answers) and /readyz (the
// store answers).
void RegisterSystemRoutes(Router& router, CustomerStore& store);

}  // namespace pcustomer

#pragma once

// Searching leads on DynamoDB (CONTRACT.md section 7), and writing the search index of leads
// the reference wrote. Private to store/dynamodb.
//  - A `q` search reads index entries (search_entries.hpp), never the table: the entries of
//    the phone digits and of each name word prefix; the leads in all of them are the
//    candidates, which a BatchGetItem reads; each is checked against the whole query and the
//    matches are sorted and paged in memory (store/customer_search.hpp, the stores' one
//    oracle).
//  - Any other search walks the leads in the order asked for, from the page's cursor: the
//    customers' partition for createAt (consistent), the by_name or by_age index for
//    fullName and age (eventually consistent, as every global secondary index is), checking
//    the filters on each lead and stopping one match past the page. With withTotal it reads
//    the whole order once, to count every match.

#include "pcustomer/domain/customer_search.hpp"
#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"

namespace pcustomer::dynamodb {

Task<SearchPage> SearchLeads(ContextPtr context, SearchRequest request);

}  // namespace pcustomer::dynamodb

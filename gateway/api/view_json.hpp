// A supplier view's JSON, written without building it on every read (issue 16 item 4).
//
// GET /v1/suppliers/{id} is the portal's most frequent call. Of a view's JSON only a few fields
// move while the view stays cached: each fact's age and freshness, and whether its source is down
// now (the breakers). So the rest is serialized once, when the view is read from the database
// (render_view), and each read copies those pieces and writes in only the moving fields
// (write_view): no JSON object is built and no fact's value copied per request. The document is
// the one view_to_json builds (view_json_test holds them equal).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"
#include "gateway/api/view_cache.hpp"

namespace tekser::api {

// Source systems whose facts are served stale now, with the reason (resilience_view.hpp).
using StaleSources = std::map<std::string, std::string>;

// {"supplier", "facts", "sources"}: each fact with its freshness at `now` and its stale mark.
boost::json::object view_to_json(const SupplierView& view, xsd_time::TimePoint now,
                                 const StaleSources& stale);

// The parts of a view's JSON that do not depend on the moment of reading.
struct RenderedView {
  struct Fact {
    std::string system;
    std::string head;  // the fact's object up to its moving members: no closing brace
    xsd_time::TimePoint retrieved_at{};
    xsd_time::TimePoint valid_until{};
  };
  std::string supplier;  // the "supplier" object
  std::vector<Fact> facts;
  std::string sources;         // the "sources" array
  std::size_t fixed_size = 0;  // bytes of all the pieces, to size a read's buffer once
};

RenderedView render_view(const SupplierView& view);
// The same document as view_to_json(view, now, stale), as text.
std::string write_view(const RenderedView& rendered, xsd_time::TimePoint now,
                       const StaleSources& stale);

}  // namespace tekser::api

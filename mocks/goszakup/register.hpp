// Mock goszakup OWS v3 register of unreliable suppliers (РНУ): GET /v3/rnu in the shape of the
// public API — bearer token, `limit` ≤ 200, cursor paging by id (`after`, also spelled
// `search_after` as in OWS's own next_page links), a per-supplier filter `supplier_biin`, replies
// {"total", "limit", "next_page", "items"}. The rows are the explicit fixture entries
// (fixtures/goszakup.json) plus a deterministic synthetic filler (valid BINs/IINs) so that the
// whole-register mirror sees a realistic ~20 000 rows. See mocks/README.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "mocks/shep_server/http_server.hpp"
#include "mocks/state/world.hpp"

namespace tekser::mocks::goszakup {

inline constexpr std::string_view kRnuPath = "/v3/rnu";
inline constexpr std::int64_t kMaxLimit = 200;
inline constexpr std::int64_t kDefaultLimit = 50;
inline constexpr std::size_t kDefaultSynthetic = 20000;

// The synthetic filler: `n` rows with ids from 100000 up (step 3, skipping `taken_ids`), valid
// BINs (≈75 %) and IINs of suppliers outside `excluded` identifiers. Deterministic: a fixed-seed
// generator of its own, so the same n gives the same rows on every platform.
std::vector<boost::json::object> synthetic_rows(std::size_t n,
                                                const std::set<std::int64_t>& taken_ids,
                                                const std::set<std::string>& excluded);

class RnuRegister {
 public:
  // Reads the fixture file ({"entries": [{"name", "description", "item"}], "never_listed": [...]})
  // and adds `synthetic` rows. A broken entry throws fixtures::FixtureError naming it and the
  // field.
  static RnuRegister load(const std::filesystem::path& fixtures, std::size_t synthetic);

  // All rows in id order.
  const std::vector<boost::json::object>& items() const { return items_; }
  std::size_t fixture_count() const { return fixture_count_; }
  // Identifiers the fixture file promises are in no row.
  const std::set<std::string>& never_listed() const { return never_listed_; }

  // One supplier's rows, in id order.
  std::vector<const boost::json::object*> rows_of(std::string_view supplier) const;
  // The rows with an id above `after` (one supplier's when given), at most `limit`.
  state::RowPage page(const std::optional<std::string>& supplier, std::int64_t after,
                      std::size_t limit) const;

  // GET /v3/rnu over these rows alone. Thread-safe (the register never changes once loaded).
  HttpResponse handle(const HttpRequest& request) const;
  // GET /v3/rnu over what the world says now: these rows, the synthetic population's and the
  // admin API's changes (state::World::rnu).
  HttpResponse handle(const HttpRequest& request, const state::World& world) const;

 private:
  HttpResponse serve(const HttpRequest& request, const state::World* world) const;

  std::vector<boost::json::object> items_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_supplier_;  // indexes into items_
  std::size_t fixture_count_ = 0;
  std::set<std::string> never_listed_;
};

}  // namespace tekser::mocks::goszakup

// Mock of the Samruk-Kazyna list of unreliable potential suppliers and the register of unreliable
// participants of quasi-public-sector procurement. ASSUMED contract (no public schema; see
// contracts/assumed/samruk/README.md): GET /api/unreliable-suppliers with a bearer token,
// `list` = samruk | quasi_public | all, `bin_iin`, page-number paging (`page` from 1,
// `page_size` ≤ 100) and replies {"count", "next", "previous", "results"}; items
// {list, bin_iin, name_ru, full_name_ru, reason_ru, created_date, start_date, end_date}.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "mocks/shep_server/http_server.hpp"
#include "mocks/state/world.hpp"

namespace tekser::mocks::samruk {

inline constexpr std::string_view kPath = "/api/unreliable-suppliers";
inline constexpr std::int64_t kMaxPageSize = 100;
inline constexpr std::int64_t kDefaultPageSize = 20;

class UnreliableRegister {
 public:
  // Reads fixtures/samruk.json ({"entries": [{"name", "description", "item"}], "never_listed"}).
  // A broken entry throws fixtures::FixtureError naming it and the field.
  static UnreliableRegister load(const std::filesystem::path& fixtures);

  const std::vector<boost::json::object>& items() const { return items_; }
  const std::set<std::string>& never_listed() const { return never_listed_; }

  // The rows of `list` ("samruk", "quasi_public" or "all"), one supplier's when given, from
  // `offset`, at most `limit`.
  state::RowPage page(std::string_view list, const std::optional<std::string>& supplier,
                      std::size_t offset, std::size_t limit) const;

  // GET /api/unreliable-suppliers over these rows alone. Thread-safe (never changes once loaded).
  HttpResponse handle(const HttpRequest& request) const;
  // The same over what the world says now (state::World::unreliable).
  HttpResponse handle(const HttpRequest& request, const state::World& world) const;

 private:
  HttpResponse serve(const HttpRequest& request, const state::World* world) const;

  std::vector<boost::json::object> items_;  // in file order: samruk list, then the quasi one
  std::set<std::string> never_listed_;
};

}  // namespace tekser::mocks::samruk

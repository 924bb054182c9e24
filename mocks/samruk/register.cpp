#include "mocks/samruk/register.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "common/time/xsd_time.hpp"
#include "mocks/fixtures/fixtures.hpp"
#include "mocks/rest/rest.hpp"

namespace tekser::mocks::samruk {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

bool is_date(const json::value& value, bool nullable) {
  if (value.is_null()) return nullable;
  return value.is_string() && value.as_string().size() == 10 &&
         xsd_time::normalize_date(value.as_string()).has_value();
}

void check_item(const json::object& item, const std::function<void(std::string)>& fail) {
  const auto* list = item.if_contains("list");
  if (!list || !list->is_string() ||
      (list->as_string() != "samruk" && list->as_string() != "quasi_public"))
    fail("field \"list\": \"samruk\" or \"quasi_public\" is required");
  const auto* id = item.if_contains("bin_iin");
  if (!id || !id->is_string()) fail("field \"bin_iin\": a string is required");
  if (auto parsed = identity::parse(id->as_string()); !parsed)
    fail("field \"bin_iin\": " + parsed.error);
  for (const auto* key : {"name_ru", "full_name_ru", "reason_ru"}) {
    const auto* value = item.if_contains(key);
    if (!value || !value->is_string())
      fail(std::string("field \"") + key + "\": a string is required");
  }
  const auto* created = item.if_contains("created_date");
  if (!created || !created->is_string() || !xsd_time::parse_datetime(created->as_string()))
    fail("field \"created_date\": an xsd:dateTime with an offset is required");
  if (const auto* start = item.if_contains("start_date"); !start || !is_date(*start, false))
    fail("field \"start_date\": a YYYY-MM-DD date is required");
  if (const auto* end = item.if_contains("end_date"); !end || !is_date(*end, true))
    fail("field \"end_date\": null or a YYYY-MM-DD date is required");
}

}  // namespace

UnreliableRegister UnreliableRegister::load(const std::filesystem::path& file) {
  const auto root = rest::load_json(file);
  if (!root.is_object()) throw fixtures::FixtureError(file.string() + ": not a JSON object");
  const auto& object = root.as_object();
  UnreliableRegister reg;
  if (const auto* never = object.if_contains("never_listed"); never && never->is_array()) {
    for (const auto& id : never->as_array()) {
      if (!id.is_string() || !identity::parse(id.as_string()))
        throw fixtures::FixtureError(file.string() +
                                     ": never_listed: not an IIN/BIN: " + json::serialize(id));
      reg.never_listed_.insert(std::string(id.as_string()));
    }
  }
  const auto* entries = object.if_contains("entries");
  if (!entries || !entries->is_array())
    throw fixtures::FixtureError(file.string() + ": an \"entries\" array is required");
  for (std::size_t i = 0; i < entries->as_array().size(); ++i) {
    const auto& entry = entries->as_array()[i];
    const auto* name = entry.is_object() ? entry.as_object().if_contains("name") : nullptr;
    const std::string entry_name = name && name->is_string() ? std::string(name->as_string()) : "";
    const auto fail = [&](std::string problem) {
      throw fixtures::FixtureError(file.string() + ": entries[" + std::to_string(i) + "] (name \"" +
                                   entry_name + "\"): " + problem);
    };
    const auto* item = entry.is_object() ? entry.as_object().if_contains("item") : nullptr;
    if (!item || !item->is_object()) fail("an \"item\" object is required");
    check_item(item->as_object(), fail);
    if (reg.never_listed_.count(std::string(item->as_object().at("bin_iin").as_string())))
      fail("its bin_iin is also in never_listed");
    reg.items_.push_back(item->as_object());
  }
  return reg;
}

state::RowPage UnreliableRegister::page(std::string_view list,
                                        const std::optional<std::string>& supplier,
                                        std::size_t offset, std::size_t limit) const {
  state::RowPage out;
  for (const auto& item : items_) {
    if (list != "all" && item.at("list").as_string() != list) continue;
    if (supplier && item.at("bin_iin").as_string() != *supplier) continue;
    if (out.total >= offset && out.items.size() < limit) out.items.push_back(item);
    ++out.total;
  }
  out.more = offset + out.items.size() < out.total;
  return out;
}

HttpResponse UnreliableRegister::handle(const HttpRequest& request) const {
  return serve(request, nullptr);
}

HttpResponse UnreliableRegister::handle(const HttpRequest& request,
                                        const state::World& world) const {
  return serve(request, &world);
}

HttpResponse UnreliableRegister::serve(const HttpRequest& request,
                                       const state::World* world) const {
  const unsigned version = request.version();
  auto target = rest::parse_target(request.target());
  if (!target)
    return rest::json_error(http::status::bad_request, version, "bad_request",
                            "malformed request target");
  if (target->path != kPath)
    return rest::json_error(http::status::not_found, version, "not_found",
                            "no such endpoint: " + target->path);
  if (request.method() != http::verb::get)
    return rest::json_error(http::status::method_not_allowed, version, "method_not_allowed",
                            "use GET");
  if (auto refused = rest::require_bearer(request)) return std::move(*refused);

  std::string list = "all";
  std::optional<std::string> subject;
  std::int64_t page = 1;
  std::int64_t page_size = kDefaultPageSize;
  auto bad = [&](const std::string& param, const std::string& rule) {
    return rest::json_error(http::status::bad_request, version, "bad_request",
                            "parameter '" + param + "' " + rule);
  };
  for (const auto& [key, value] : target->params) {
    if (key == "list") {
      if (value != "samruk" && value != "quasi_public" && value != "all")
        return bad(key, "must be samruk, quasi_public or all");
      list = value;
    } else if (key == "bin_iin") {
      if (!identity::parse(value)) return bad(key, "must be a valid 12-digit BIN or IIN");
      subject = value;
    } else if (key == "page") {
      auto parsed = rest::read_int(value, 1, 1'000'000);
      if (!parsed) return bad(key, "must be an integer from 1");
      page = *parsed;
    } else if (key == "page_size") {
      auto parsed = rest::read_int(value, 1, kMaxPageSize);
      if (!parsed) return bad(key, "must be an integer 1.." + std::to_string(kMaxPageSize));
      page_size = *parsed;
    } else {
      return bad(key, "is not supported (list, bin_iin, page, page_size)");
    }
  }

  const auto first = static_cast<std::size_t>((page - 1) * page_size);
  auto rows = world ? world->unreliable(list, subject, first, static_cast<std::size_t>(page_size))
                    : this->page(list, subject, first, static_cast<std::size_t>(page_size));
  const auto count = static_cast<std::int64_t>(rows.total);
  if (rows.items.empty() && page > 1)
    return rest::json_error(http::status::not_found, version, "not_found",
                            "parameter 'page' " + std::to_string(page) + " is past the last page");
  json::array results;
  for (auto& row : rows.items) results.emplace_back(std::move(row));
  const auto link = [&](std::int64_t to) -> json::value {
    std::string out = std::string(kPath) + "?list=" + list + "&page=" + std::to_string(to) +
                      "&page_size=" + std::to_string(page_size);
    if (subject) out += "&bin_iin=" + *subject;
    return json::value(out);
  };
  return rest::json_response(
      http::status::ok, version,
      json::object{{"count", count},
                   {"next", rows.more ? link(page + 1) : json::value(nullptr)},
                   {"previous", page > 1 ? link(page - 1) : json::value(nullptr)},
                   {"results", std::move(results)}});
}

}  // namespace tekser::mocks::samruk

#include "mocks/goszakup/register.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <limits>
#include <optional>
#include <utility>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "common/time/xsd_time.hpp"
#include "mocks/fixtures/fixtures.hpp"
#include "mocks/rest/rest.hpp"

namespace tekser::mocks::goszakup {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// splitmix64: tiny, and the same sequence everywhere (std distributions are not portable).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

 private:
  std::uint64_t state_;
};

std::string two(int n) {
  return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
}

// 11 digits + the official check digit, or nullopt where such a number is never issued.
std::optional<std::string> with_check_digit(std::string first_eleven) {
  const auto digit = identity::check_digit(first_eleven);
  if (!digit) return std::nullopt;
  return first_eleven + static_cast<char>('0' + *digit);
}

std::string random_digits(Rng& rng, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += static_cast<char>('0' + rng.below(10));
  return out;
}

// A BIN: YYMM of registration (2000..2024), entity type (mostly resident), unit, serial.
std::optional<std::string> random_bin(Rng& rng) {
  const int type_roll = rng.below(20);
  const char type = type_roll < 18 ? '4' : (type_roll == 18 ? '5' : '6');
  const int unit_roll = rng.below(20);
  const char unit = unit_roll < 16 ? '0' : static_cast<char>('1' + unit_roll % 3);
  return with_check_digit(two(rng.below(25)) + two(1 + rng.below(12)) + type + unit +
                          random_digits(rng, 5));
}

// An IIN of an individual entrepreneur born 1960..2002.
std::optional<std::string> random_iin(Rng& rng) {
  const int year = 1960 + rng.below(43);
  const bool female = rng.below(2) == 1;
  const char century = year < 2000 ? (female ? '4' : '3') : (female ? '6' : '5');
  return with_check_digit(two(year % 100) + two(1 + rng.below(12)) + two(1 + rng.below(28)) +
                          century + random_digits(rng, 4));
}

constexpr std::array<const char*, 6> kReasons = {
    "Уклонение от заключения договора о государственных закупках",
    "Неисполнение обязательств по договору о государственных закупках",
    "Ненадлежащее исполнение обязательств по договору о государственных закупках",
    "Представление недостоверной информации по квалификационным требованиям",
    "Непредставление обеспечения исполнения договора",
    "Решение суда о признании поставщика недобросовестным участником государственных закупок",
};

constexpr std::array<const char*, 8> kNameStems = {"Жарық", "Береке", "Самал", "Нұр",
                                                   "Алтын", "Шұғыла", "Дала",  "Қайнар"};

// Days after 1970-01-01 -> "YYYY-MM-DD".
std::string date_of(int days) {
  const std::chrono::sys_days day{std::chrono::days(days)};
  const std::chrono::year_month_day ymd{day};
  return std::to_string(static_cast<int>(ymd.year())) + "-" +
         two(static_cast<int>(static_cast<unsigned>(ymd.month()))) + "-" +
         two(static_cast<int>(static_cast<unsigned>(ymd.day())));
}

int days_of(int y, unsigned m, unsigned d) {
  return static_cast<int>(
      std::chrono::sys_days(std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d})
          .time_since_epoch()
          .count());
}

fixtures::FixtureError entry_error(const std::filesystem::path& file, std::size_t index,
                                   const std::string& name, const std::string& problem) {
  return fixtures::FixtureError(file.string() + ": entries[" + std::to_string(index) +
                                "] (name \"" + name + "\"): " + problem);
}

// A date field as OWS sends it: "YYYY-MM-DD" optionally followed by " HH:MM:SS".
bool is_register_date(const json::value& value, bool nullable) {
  if (value.is_null()) return nullable;
  if (!value.is_string()) return false;
  const std::string_view text = value.as_string();
  if (text.size() != 10 && (text.size() != 19 || text[10] != ' ')) return false;
  return xsd_time::normalize_date(text.substr(0, 10)).has_value();
}

void check_item(const json::object& item, const std::function<void(std::string)>& fail) {
  const auto* id = item.if_contains("id");
  if (!id || !id->is_int64() || id->as_int64() < 1)
    fail("field \"id\": a positive integer is required");
  const auto* biin = item.if_contains("supplier_biin");
  if (!biin || !biin->is_string()) fail("field \"supplier_biin\": a string is required");
  if (auto parsed = identity::parse(biin->as_string()); !parsed)
    fail("field \"supplier_biin\": " + parsed.error);
  for (const auto* key : {"supplier_name_ru", "supplier_name_kz", "reason_ru"}) {
    const auto* value = item.if_contains(key);
    if (!value || !value->is_string())
      fail(std::string("field \"") + key + "\": a string is required");
  }
  for (const auto& [key, nullable] :
       {std::pair{"index_date", false}, std::pair{"start_date", false},
        std::pair{"end_date", true}}) {
    const auto* value = item.if_contains(key);
    if (!value || !is_register_date(*value, nullable))
      fail(std::string("field \"") + key + "\": " + (nullable ? "null or a date" : "a date") +
           " (YYYY-MM-DD[ HH:MM:SS]) is required");
  }
}

}  // namespace

std::vector<json::object> synthetic_rows(std::size_t n, const std::set<std::int64_t>& taken_ids,
                                         const std::set<std::string>& excluded) {
  Rng rng(0x7E4E5E52'20000ull);
  std::vector<json::object> rows;
  rows.reserve(n);
  std::int64_t next_id = 100000;
  const int first_day = days_of(2016, 1, 1);
  const int last_day = days_of(2025, 10, 31);
  while (rows.size() < n) {
    const bool individual = rng.below(4) == 0;
    auto id_text = individual ? random_iin(rng) : random_bin(rng);
    if (!id_text || excluded.count(*id_text)) continue;  // never issued, or reserved by fixtures
    while (taken_ids.count(next_id)) next_id += 3;
    const auto serial = rows.size() + 1;
    const std::string stem = kNameStems[static_cast<std::size_t>(rng.below(kNameStems.size()))];
    const int start = first_day + rng.below(last_day - first_day);
    const int index_lag = rng.below(15);  // entered in the register a few days after the decision
    // Most bans run 24 months; a few have no end date yet.
    const bool open_ended = rng.below(40) == 0;
    json::object row;
    row["id"] = next_id;
    row["supplier_biin"] = *id_text;
    row["supplier_innunp"] = nullptr;
    if (individual) {
      row["supplier_name_ru"] = "ИП «" + stem + "-" + std::to_string(serial) + "»";
      row["supplier_name_kz"] = "ЖК «" + stem + "-" + std::to_string(serial) + "»";
    } else {
      row["supplier_name_ru"] = "ТОО «" + stem + " Снаб-" + std::to_string(serial) + "»";
      row["supplier_name_kz"] = "«" + stem + " Снаб-" + std::to_string(serial) + "» ЖШС";
    }
    row["index_date"] = date_of(start + index_lag) + " " + two(9 + rng.below(9)) + ":" +
                        two(rng.below(60)) + ":" + two(rng.below(60));
    row["start_date"] = date_of(start);
    if (open_ended) {
      row["end_date"] = nullptr;
    } else {
      const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(start))};
      const auto end_ymd = ymd + std::chrono::years(2);
      row["end_date"] = date_of(static_cast<int>(
          std::chrono::sys_days(end_ymd.ok() ? end_ymd
                                             : end_ymd.year() / end_ymd.month() / std::chrono::last)
              .time_since_epoch()
              .count()));
    }
    const auto reason = static_cast<std::size_t>(rng.below(kReasons.size()));
    row["ref_reason_id"] = static_cast<std::int64_t>(reason + 1);
    row["reason_ru"] = kReasons[reason];
    row["court_decision"] = reason == kReasons.size() - 1
                                ? json::value("2-" + std::to_string(1000 + serial % 9000))
                                : json::value(nullptr);
    row["system_id"] = 3;
    rows.push_back(std::move(row));
    next_id += 3;
  }
  return rows;
}

RnuRegister RnuRegister::load(const std::filesystem::path& file, std::size_t synthetic) {
  const auto root = rest::load_json(file);
  if (!root.is_object()) throw fixtures::FixtureError(file.string() + ": not a JSON object");
  const auto& object = root.as_object();
  RnuRegister reg;
  const auto* never = object.if_contains("never_listed");
  if (never && never->is_array()) {
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
  std::set<std::int64_t> ids;
  std::set<std::string> excluded = reg.never_listed_;
  for (std::size_t i = 0; i < entries->as_array().size(); ++i) {
    const auto& entry = entries->as_array()[i];
    const auto* name = entry.is_object() ? entry.as_object().if_contains("name") : nullptr;
    const std::string entry_name = name && name->is_string() ? std::string(name->as_string()) : "";
    const auto fail = [&](std::string problem) { throw entry_error(file, i, entry_name, problem); };
    const auto* item = entry.is_object() ? entry.as_object().if_contains("item") : nullptr;
    if (!item || !item->is_object()) fail("an \"item\" object is required");
    check_item(item->as_object(), fail);
    const auto id = item->as_object().at("id").as_int64();
    if (!ids.insert(id).second) fail("id " + std::to_string(id) + " is used twice");
    const std::string biin(item->as_object().at("supplier_biin").as_string());
    if (reg.never_listed_.count(biin)) fail("supplier " + biin + " is also in never_listed");
    excluded.insert(biin);
    reg.items_.push_back(item->as_object());
  }
  reg.fixture_count_ = reg.items_.size();
  for (auto& row : synthetic_rows(synthetic, ids, excluded)) reg.items_.push_back(std::move(row));
  std::sort(reg.items_.begin(), reg.items_.end(), [](const json::object& a, const json::object& b) {
    return a.at("id").as_int64() < b.at("id").as_int64();
  });
  for (std::size_t i = 0; i < reg.items_.size(); ++i)
    reg.by_supplier_[std::string(reg.items_[i].at("supplier_biin").as_string())].push_back(i);
  return reg;
}

std::vector<const json::object*> RnuRegister::rows_of(std::string_view supplier) const {
  std::vector<const json::object*> out;
  if (auto found = by_supplier_.find(std::string(supplier)); found != by_supplier_.end()) {
    for (const auto index : found->second) out.push_back(&items_[index]);
  }
  return out;
}

state::RowPage RnuRegister::page(const std::optional<std::string>& supplier, std::int64_t after,
                                 std::size_t limit) const {
  // The rows that match the filter, as indexes in id order.
  static const std::vector<std::size_t> kNone;
  std::vector<std::size_t> all;
  const std::vector<std::size_t>* rows = &kNone;
  if (supplier) {
    if (auto found = by_supplier_.find(*supplier); found != by_supplier_.end())
      rows = &found->second;
  } else {
    all.resize(items_.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    rows = &all;
  }
  auto it = std::upper_bound(rows->begin(), rows->end(), after,
                             [this](std::int64_t id, std::size_t index) {
                               return id < items_[index].at("id").as_int64();
                             });
  state::RowPage out;
  out.total = rows->size();
  for (; it != rows->end() && out.items.size() < limit; ++it) out.items.push_back(items_[*it]);
  out.more = it != rows->end();
  return out;
}

HttpResponse RnuRegister::handle(const HttpRequest& request) const {
  return serve(request, nullptr);
}

HttpResponse RnuRegister::handle(const HttpRequest& request, const state::World& world) const {
  return serve(request, &world);
}

HttpResponse RnuRegister::serve(const HttpRequest& request, const state::World* world) const {
  const unsigned version = request.version();
  auto target = rest::parse_target(request.target());
  if (!target)
    return rest::json_error(http::status::bad_request, version, "bad_request",
                            "malformed request target");
  if (target->path != kRnuPath)
    return rest::json_error(http::status::not_found, version, "not_found",
                            "no such endpoint: " + target->path);
  if (request.method() != http::verb::get)
    return rest::json_error(http::status::method_not_allowed, version, "method_not_allowed",
                            "use GET");
  if (auto refused = rest::require_bearer(request)) return std::move(*refused);

  std::int64_t limit = kDefaultLimit;
  std::int64_t after = 0;
  std::optional<std::string> supplier;
  auto bad = [&](const std::string& param, const std::string& rule) {
    return rest::json_error(http::status::bad_request, version, "bad_request",
                            "parameter '" + param + "' " + rule);
  };
  for (const auto& [key, value] : target->params) {
    if (key == "limit") {
      auto parsed = rest::read_int(value, 1, kMaxLimit);
      if (!parsed) return bad(key, "must be an integer 1.." + std::to_string(kMaxLimit));
      limit = *parsed;
    } else if (key == "after" || key == "search_after") {
      auto parsed = rest::read_int(value, 0, std::numeric_limits<std::int64_t>::max());
      if (!parsed) return bad(key, "must be a non-negative integer id");
      after = *parsed;
    } else if (key == "supplier_biin") {
      if (!identity::parse(value)) return bad(key, "must be a valid 12-digit BIN or IIN");
      supplier = value;
    } else if (key == "page") {
      if (value != "next") return bad(key, "must be 'next'");
    } else {
      return bad(key, "is not supported (limit, after, search_after, supplier_biin, page)");
    }
  }

  auto rows = world ? world->rnu(supplier, after, static_cast<std::size_t>(limit))
                    : page(supplier, after, static_cast<std::size_t>(limit));
  std::string next_page;
  if (rows.more && !rows.items.empty()) {
    next_page = std::string(kRnuPath) + "?limit=" + std::to_string(limit) +
                "&after=" + std::to_string(rows.items.back().at("id").as_int64());
    if (supplier) next_page += "&supplier_biin=" + *supplier;
  }
  json::array items;
  for (auto& row : rows.items) items.emplace_back(std::move(row));
  return rest::json_response(http::status::ok, version,
                             json::object{{"total", rows.total},
                                          {"limit", limit},
                                          {"next_page", next_page},
                                          {"items", std::move(items)}});
}

}  // namespace tekser::mocks::goszakup

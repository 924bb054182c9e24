#include "mocks/state/changes.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "common/identity/identity.hpp"
#include "mocks/kgd/fixtures.hpp"

namespace tekser::mocks::state {
namespace {

namespace json = boost::json;

constexpr std::array<std::pair<System, std::string_view>, 7> kSystems{{
    {System::gbd_ul, "gbd_ul"},
    {System::gbd_fl, "gbd_fl"},
    {System::kgd, "kgd"},
    {System::elicense, "elicense"},
    {System::goszakup, "goszakup"},
    {System::samruk, "samruk"},
    {System::pa_checks, "pa_checks"},
}};

std::string field(std::string_view key) {
  return "set." + std::string(key);
}

bool is_date(const json::value& v) {
  if (!v.is_string()) return false;
  const auto normalized = xsd_time::normalize_date(v.as_string());
  return normalized && *normalized == v.as_string();
}

void require_bool(std::string_view key, const json::value& v) {
  if (!v.is_bool()) throw AdminError(field(key), "must be true or false");
}

void require_date(std::string_view key, const json::value& v, bool nullable) {
  if (nullable && v.is_null()) return;
  if (!is_date(v))
    throw AdminError(field(key),
                     std::string("must be a date YYYY-MM-DD") + (nullable ? " or null" : ""));
}

void require_one_of(std::string_view key, const json::value& v,
                    std::initializer_list<std::string_view> allowed) {
  std::string known;
  for (const auto a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
  if (v.is_string() &&
      std::find(allowed.begin(), allowed.end(), std::string_view(v.as_string())) != allowed.end())
    return;
  throw AdminError(field(key), "must be one of " + known);
}

void require_amount(std::string_view key, const json::value& v) {
  if (!v.is_number()) throw AdminError(field(key), "must be an amount in tenge (a number >= 0)");
  const double amount = v.to_number<double>();
  const double tiyn = amount * 100;
  if (!std::isfinite(amount) || amount < 0 || amount > 1e12)
    throw AdminError(field(key), "must be an amount in tenge from 0 to 10^12");
  if (std::fabs(tiyn - std::round(tiyn)) > 1e-6)
    throw AdminError(field(key), "must have at most two decimals (tiyn)");
}

bool is_article(std::string_view code) {
  const auto dot = code.find('.');
  const auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 4 &&
           s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (dot == std::string_view::npos) return digits(code);
  return digits(code.substr(0, dot)) && digits(code.substr(dot + 1));
}

std::vector<std::string_view> keys_of(System system) {
  switch (system) {
    case System::gbd_ul:
      return {"status", "date", "tax_inactive", "address"};
    case System::gbd_fl:
      return {"deceased_on", "life_status", "address"};
    case System::kgd: {
      std::vector<std::string_view> keys{"tax_debt", "social_debt", "ie_registration"};
      for (const auto& list : kgd::lists()) keys.push_back(list.key);
      return keys;
    }
    case System::elicense:
      return {"licensed", "licence_status", "notification_status"};
    case System::goszakup:
      return {"rnu_listed"};
    case System::samruk:
      return {"samruk_listed", "quasi_public_listed"};
    case System::pa_checks:
      return {"psychiatric_since", "criminal_articles", "incapable_since"};
  }
  return {};
}

// A move to a new legal address (p.13): the members of the register's address that change; each a
// non-empty string of at most 200 characters.
void require_address(std::string_view key, const json::value& v,
                     std::initializer_list<std::string_view> members) {
  std::string known;
  for (const auto m : members) known += (known.empty() ? "" : ", ") + std::string(m);
  if (!v.is_object() || v.as_object().empty())
    throw AdminError(field(key), "must be a non-empty object of " + known);
  for (const auto& [name, value] : v.as_object()) {
    if (std::find(members.begin(), members.end(), std::string_view(name)) == members.end())
      throw AdminError(field(key) + "." + std::string(name), "is not one of " + known);
    if (!value.is_string() || value.as_string().empty() || value.as_string().size() > 200)
      throw AdminError(field(key) + "." + std::string(name),
                       "must be a non-empty string of at most 200 characters");
  }
  if (const auto* kato = v.as_object().if_contains("kato")) {
    const std::string_view digits = kato->as_string();
    if (digits.size() != 9 || digits.find_first_not_of("0123456789") != std::string_view::npos)
      throw AdminError(field(key) + ".kato", "must be the 9 digits of a KATO code");
  }
}

void check_key(System system, std::string_view key, const json::value& v) {
  switch (system) {
    case System::gbd_ul:
      if (key == "address")
        return require_address(key, v, {"kato", "city_ru", "street_ru", "building", "office"});
      if (key == "status")
        return require_one_of(key, v, {"active", "in_liquidation", "bankrupt", "liquidated"});
      if (key == "date") return require_date(key, v, false);
      return require_bool(key, v);
    case System::gbd_fl:
      if (key == "address") return require_address(key, v, {"city", "street", "building", "flat"});
      if (key == "life_status") return require_one_of(key, v, {"alive", "deceased"});
      return require_date(key, v, true);
    case System::kgd:
      if (key == "tax_debt" || key == "social_debt") return require_amount(key, v);
      if (key == "ie_registration")
        return require_one_of(key, v, {"registered", "deregistered", "suspended"});
      return require_bool(key, v);
    case System::elicense:
      if (key == "licensed") return require_bool(key, v);
      if (key == "licence_status")
        return require_one_of(key, v, {"valid", "suspended", "revoked", "terminated"});
      return require_one_of(key, v, {"valid", "suspended", "terminated"});
    case System::goszakup:
    case System::samruk:
      return require_bool(key, v);
    case System::pa_checks:
      if (key == "criminal_articles") {
        if (!v.is_array()) throw AdminError(field(key), "must be an array of article codes");
        for (const auto& a : v.as_array()) {
          if (!a.is_string() || !is_article(a.as_string()))
            throw AdminError(field(key), "must hold article codes such as \"188\" or \"188.2\"");
        }
        return;
      }
      return require_date(key, v, true);
  }
}

}  // namespace

std::string_view to_string(System system) {
  for (const auto& [s, name] : kSystems) {
    if (s == system) return name;
  }
  return "unknown";
}

std::optional<System> parse_system(std::string_view text) {
  for (const auto& [s, name] : kSystems) {
    if (name == text) return s;
  }
  return std::nullopt;
}

std::string known_systems() {
  std::string out;
  for (const auto& [s, name] : kSystems) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string known_keys(System system) {
  std::string out;
  for (const auto key : keys_of(system)) out += (out.empty() ? "" : ", ") + std::string(key);
  return out;
}

json::object check_set(System system, std::string_view subject, const json::value& set) {
  if (!set.is_object() || set.as_object().empty())
    throw AdminError("set", "must be a non-empty object of the state to set (" +
                                std::string(to_string(system)) + ": " + known_keys(system) + ")");
  const auto parsed = identity::parse(subject);
  const bool individual = parsed.identifier->kind == identity::SubjectKind::individual;
  if (system == System::gbd_ul && individual)
    throw AdminError("subject", "ГБД ЮЛ (gbd_ul) holds legal entities: a BIN is required");
  if ((system == System::gbd_fl || system == System::pa_checks) && !individual)
    throw AdminError("subject",
                     std::string(to_string(system)) + " holds persons: an IIN is required");
  const auto keys = keys_of(system);
  for (const auto& [key, value] : set.as_object()) {
    if (std::find(keys.begin(), keys.end(), std::string_view(key)) == keys.end())
      throw AdminError(field(key), "is not a state of " + std::string(to_string(system)) +
                                       " (known: " + known_keys(system) + ")");
    check_key(system, key, value);
  }
  const auto& object = set.as_object();
  if (system == System::kgd && object.contains("ie_registration") && !individual)
    throw AdminError("set.ie_registration",
                     "only an IIN is registered as an individual entrepreneur");
  if (system == System::gbd_ul && object.contains("date") && !object.contains("status"))
    throw AdminError("set.date", "needs a \"status\" it is the date of");
  if (system == System::gbd_fl) {
    const auto* found = object.if_contains("deceased_on");
    const json::value died = found ? *found : json::value(nullptr);
    if (died.is_string() && std::string_view(died.as_string()) < *parsed.identifier->birth_date)
      throw AdminError("set.deceased_on", std::string(died.as_string()) +
                                              " is before the birth date " +
                                              *parsed.identifier->birth_date + " the IIN carries");
  }
  return object;
}

Change ChangeBook::add(Change change) {
  std::lock_guard lock(mutex_);
  change.id = next_id_++;
  changes_.push_back(change);
  return change;
}

std::vector<Change> ChangeBook::all(const std::optional<std::string>& subject) const {
  std::lock_guard lock(mutex_);
  if (!subject) return changes_;
  std::vector<Change> out;
  for (const auto& c : changes_) {
    if (c.subject == *subject) out.push_back(c);
  }
  return out;
}

namespace {
bool takes_effect_before(const Change& a, const Change& b) {
  // Undated changes were in force from the moment they were posted: before any dated one.
  if (a.from.has_value() != b.from.has_value()) return !a.from.has_value();
  if (a.from && *a.from != *b.from) return *a.from < *b.from;
  return a.id < b.id;
}
}  // namespace

std::vector<Change> ChangeBook::in_force(std::string_view subject, System system,
                                         TimePoint now) const {
  std::vector<Change> out;
  {
    std::lock_guard lock(mutex_);
    for (const auto& c : changes_) {
      if (c.system == system && c.subject == subject && c.in_force(now)) out.push_back(c);
    }
  }
  std::stable_sort(out.begin(), out.end(), takes_effect_before);
  return out;
}

std::map<std::string, std::vector<Change>> ChangeBook::in_force(System system,
                                                                TimePoint now) const {
  std::map<std::string, std::vector<Change>> out;
  {
    std::lock_guard lock(mutex_);
    for (const auto& c : changes_) {
      if (c.system == system && c.in_force(now)) out[c.subject].push_back(c);
    }
  }
  for (auto& [subject, list] : out) std::stable_sort(list.begin(), list.end(), takes_effect_before);
  return out;
}

std::size_t ChangeBook::clear(const std::optional<std::string>& subject) {
  std::lock_guard lock(mutex_);
  const auto before = changes_.size();
  if (!subject)
    changes_.clear();
  else
    std::erase_if(changes_, [&](const Change& c) { return c.subject == *subject; });
  return before - changes_.size();
}

json::object to_json(const Change& change, TimePoint now) {
  json::object out;
  out["id"] = change.id;
  out["subject"] = change.subject;
  out["system"] = to_string(change.system);
  out["set"] = change.set;
  out["from"] =
      change.from ? json::value(xsd_time::format_datetime(*change.from)) : json::value(nullptr);
  out["posted_at"] = change.posted_at;
  out["date"] = change.date;
  out["in_force"] = change.in_force(now);
  return out;
}

}  // namespace tekser::mocks::state

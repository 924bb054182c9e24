#include "mocks/state/admin.hpp"

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "common/json/duplicate_keys.hpp"
#include "mocks/elicense/emulator.hpp"
#include "mocks/gbd_fl/emulator.hpp"
#include "mocks/gbd_ul/emulator.hpp"
#include "mocks/kgd/emulator.hpp"
#include "mocks/pa_checks/emulator.hpp"
#include "mocks/rest/rest.hpp"
#include "mocks/shep_server/routes.hpp"
#include "mocks/state/apply.hpp"

namespace tekser::mocks::state {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using population::Kind;
using population::Trait;

constexpr std::string_view kPopulationPath = "/admin/population";
constexpr std::string_view kSubjectsPath = "/admin/population/subjects";
constexpr std::string_view kStatePath = "/admin/state";
constexpr std::string_view kScenariosPath = "/admin/scenarios";
constexpr std::string_view kClockPath = "/admin/clock";
constexpr std::string_view kResetPath = "/admin/reset";
constexpr std::int64_t kMaxLimit = 1000;

HttpResponse ok(const HttpRequest& request, const json::value& body) {
  return rest::json_response(http::status::ok, request.version(), body);
}

HttpResponse refused(const HttpRequest& request, const AdminError& e) {
  return rest::json_response(http::status::bad_request, request.version(),
                             json::object{{"error", e.what()}, {"field", e.field()}});
}

HttpResponse failure(const HttpRequest& request, http::status status, std::string message) {
  return rest::json_response(status, request.version(),
                             json::object{{"error", std::move(message)}});
}

HttpResponse wrong_method(const HttpRequest& request, std::string_view allowed) {
  return failure(request, http::status::method_not_allowed, "use " + std::string(allowed));
}

rest::Target target_of(const HttpRequest& request) {
  auto target = rest::parse_target(request.target());
  if (!target) throw AdminError("target", "is not a valid request target");
  return *target;
}

// The query's parameters, refusing any not in `allowed` (named in the error).
std::map<std::string, std::string> query(const rest::Target& target,
                                         std::initializer_list<std::string_view> allowed) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : target.params) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (const auto a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
      throw AdminError(key,
                       "is not a parameter here" +
                           (known.empty() ? std::string(" (none taken)") : " (" + known + ")"));
    }
    out[key] = value;
  }
  return out;
}

std::optional<std::string> subject_param(const std::map<std::string, std::string>& params) {
  const auto found = params.find("subject");
  if (found == params.end()) return std::nullopt;
  if (const auto parsed = identity::parse(found->second); !parsed)
    throw AdminError("subject", "'" + found->second + "' " + parsed.error);
  return found->second;
}

json::object body_object(const HttpRequest& request) {
  boost::system::error_code ec;
  auto value = json::parse(request.body(), ec);
  if (ec || !value.is_object()) throw AdminError("body", "must be a JSON object");
  if (auto duplicate = json_text::first_duplicate_key(request.body()))
    throw AdminError(*duplicate, "duplicate key: named twice in one object");
  return std::move(value.as_object());
}

std::int64_t integer_param(const std::map<std::string, std::string>& params, const char* key,
                           std::int64_t fallback, std::int64_t min, std::int64_t max) {
  const auto found = params.find(key);
  if (found == params.end()) return fallback;
  const auto value = rest::read_int(found->second, min, max);
  if (!value)
    throw AdminError(key, "must be an integer " + std::to_string(min) + ".." + std::to_string(max));
  return *value;
}

json::array trait_names(population::TraitSet traits) {
  json::array out;
  for (const auto trait : population::kTraits) {
    if (trait != Trait::individual_entrepreneur && traits.has(trait))
      out.emplace_back(population::to_string(trait));
  }
  return out;
}

// What the portal would declare the subject supplies (the gateway's PUT `services`): the code of
// its line of business; none for invataxi, which p.3 exempts from licences.
json::array portal_services(const population::Profile& profile) {
  json::array out;
  if (profile.business && !profile.business->portal_service.empty())
    out.emplace_back(profile.business->portal_service);
  return out;
}

json::value optional_text(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

json::object population_summary(const population::Population& p) {
  json::object shares;
  json::object traits;
  for (const auto trait : population::kTraits) {
    shares[population::to_string(trait)] = p.shares()[trait];
    traits[population::to_string(trait)] = p.counts().traits[static_cast<std::size_t>(trait)];
  }
  const auto& c = p.counts();
  json::object out;
  out["size"] = p.size();
  out["seed"] = p.seed();
  out["shares"] = std::move(shares);
  out["shares_apply_to"] =
      "individual_entrepreneur: everyone; liquidated: legal entities; deceased: individual "
      "entrepreneurs; every other trait: everyone";
  out["counts"] = json::object{{"legal_entities", c.legal_entities},
                               {"individual_entrepreneurs", c.individual_entrepreneurs},
                               {"shadowed_by_fixtures", c.shadowed},
                               {"traits", std::move(traits)},
                               {"samruk_list", c.samruk_list},
                               {"quasi_public_list", c.quasi_public_list}};
  out["memory"] =
      "O(1) per subject: a subject is a function of its index and the seed, its BIN/IIN encodes "
      "the index; only the indices of the blacklisted subjects are kept (" +
      std::to_string((p.rnu_listed().size() + p.quasi_listed().size()) * sizeof(std::uint32_t)) +
      " bytes)";
  out["rnu_row_ids"] = "population rows: " + std::to_string(population::kRnuRowBase) +
                       " + index; rows state changes create: from " +
                       std::to_string(kChangeRowBase);
  return out;
}

}  // namespace

const std::vector<std::string>& scenario_services() {
  static const std::vector<std::string> services{
      std::string(gbd_ul::kServiceId), std::string(gbd_fl::kServiceId),
      std::string(kgd::kServiceId), std::string(elicense::kServiceId),
      std::string(pa_checks::kServiceId)};
  return services;
}

void AdminApi::mount(MockRoutes& routes) {
  routes.mount_rest(std::string(kPopulationPath),
                    [this](const HttpRequest& request) { return population(request); });
  routes.mount_rest(std::string(kStatePath),
                    [this](const HttpRequest& request) { return changes(request); });
  routes.mount_rest(std::string(kScenariosPath),
                    [this](const HttpRequest& request) { return scenarios(request); });
  routes.mount_rest(std::string(kClockPath),
                    [this](const HttpRequest& request) { return clock(request); });
  routes.mount_rest(std::string(kResetPath),
                    [this](const HttpRequest& request) { return reset(request); });
}

// ---------------------------------------------------------------- /admin/population

HttpResponse AdminApi::population(const HttpRequest& request) const {
  try {
    const auto target = target_of(request);
    if (request.method() != http::verb::get) return wrong_method(request, "GET");
    if (target.path == kPopulationPath) {
      query(target, {});
      return ok(request, population_summary(world_.population()));
    }
    if (target.path == kSubjectsPath) return subjects(request);
    if (target.path.starts_with(std::string(kSubjectsPath) + "/"))
      return subject(request, std::string_view(target.path).substr(kSubjectsPath.size() + 1));
    return failure(request, http::status::not_found, "no such endpoint: " + target.path);
  } catch (const AdminError& e) {
    return refused(request, e);
  }
}

HttpResponse AdminApi::subjects(const HttpRequest& request) const {
  const auto params = query(target_of(request), {"trait", "kind", "offset", "limit"});
  const auto& p = world_.population();
  std::optional<Trait> trait;
  if (const auto found = params.find("trait"); found != params.end()) {
    trait = population::parse_trait(found->second);
    if (!trait)
      throw AdminError(
          "trait", "'" + found->second + "' is not a trait (" + population::known_traits() + ")");
  }
  std::optional<Kind> kind;
  if (const auto found = params.find("kind"); found != params.end()) {
    if (found->second == "legal_entity")
      kind = Kind::legal_entity;
    else if (found->second == "individual_entrepreneur")
      kind = Kind::individual_entrepreneur;
    else
      throw AdminError("kind", "must be legal_entity or individual_entrepreneur");
  }
  const auto offset = integer_param(params, "offset", 0, 0, 1'000'000'000);
  const auto limit = integer_param(params, "limit", 100, 1, kMaxLimit);

  json::array out;
  std::optional<std::size_t> at = p.next(0, trait, kind);
  for (std::int64_t skipped = 0; at && skipped < offset; ++skipped)
    at = p.next(*at + 1, trait, kind);
  for (; at && static_cast<std::int64_t>(out.size()) < limit; at = p.next(*at + 1, trait, kind)) {
    out.push_back(json::object{{"index", *at},
                               {"id", p.id(*at)},
                               {"kind", population::to_string(p.kind(*at))},
                               {"traits", trait_names(p.traits(*at))},
                               {"services", portal_services(p.profile(*at))}});
  }
  json::value total = nullptr;  // known from the counts for one filter
  const auto& c = p.counts();
  if (trait && !kind) total = c.traits[static_cast<std::size_t>(*trait)];
  if (!trait && kind)
    total = *kind == Kind::legal_entity ? c.legal_entities : c.individual_entrepreneurs;
  if (!trait && !kind) total = p.size() - c.shadowed;
  const auto returned = static_cast<std::int64_t>(out.size());
  return ok(request, json::object{{"total", total},
                                  {"offset", offset},
                                  {"limit", limit},
                                  {"next_offset",
                                   at ? json::value(offset + returned) : json::value(nullptr)},
                                  {"subjects", std::move(out)}});
}

HttpResponse AdminApi::subject(const HttpRequest& request, std::string_view id) const {
  query(target_of(request), {});
  if (const auto parsed = identity::parse(id); !parsed)
    throw AdminError("id", "'" + std::string(id) + "' " + parsed.error);
  const auto& p = world_.population();
  json::object out;
  out["id"] = id;
  if (const auto index = p.find(id)) {
    out["source"] = "population";
    out["index"] = *index;
    out["kind"] = population::to_string(p.kind(*index));
    out["traits"] = trait_names(p.traits(*index));
    out["services"] = portal_services(p.profile(*index));
  } else {
    const auto reserved = fixture_identifiers(world_.sources());
    out["source"] = reserved.count(std::string(id)) ? "fixtures" : "none";
    out["index"] = nullptr;
  }
  const auto names = world_.names(id);
  out["name_ru"] = names.name_ru;
  out["name_kz"] = names.name_kz;

  // What every register says now (reading never counts as a scenario call).
  json::object registers;
  if (const auto e = world_.legal_entity(id))
    registers["gbd_ul"] = json::object{
        {"reg_status", e->reg_status_code},
        {"liquidation_base",
         e->liquidation ? json::value(e->liquidation->base_code) : json::value(nullptr)},
        {"liquidation_decision_date",
         e->liquidation ? json::value(e->liquidation->decision_date) : json::value(nullptr)},
        {"liquidation_date", optional_text(e->liquidation_date)},
        {"tax_inactive", e->tax_inactive}};
  else
    registers["gbd_ul"] = nullptr;
  if (const auto person = world_.person(id))
    registers["gbd_fl"] = json::object{{"birth_date", person->birth_date},
                                       {"death_date", optional_text(person->death_date)}};
  else
    registers["gbd_fl"] = nullptr;
  if (const auto t = world_.taxpayer(id)) {
    json::array lists;
    for (const auto& l : t->lists) lists.emplace_back(l.list);
    registers["kgd"] =
        json::object{{"tax_arrear", kgd::format_amount(t->total(kgd::Levy::tax))},
                     {"social_arrear", kgd::format_amount(t->total() - t->total(kgd::Levy::tax))},
                     {"lists", std::move(lists)}};
  } else {
    registers["kgd"] = nullptr;
  }
  if (const auto s = world_.licensing(id)) {
    json::array licences;
    for (const auto& l : s->licences)
      licences.push_back(
          json::object{{"number", l.number}, {"activity", l.activity}, {"status", l.status}});
    json::array notifications;
    for (const auto& n : s->notifications)
      notifications.push_back(
          json::object{{"number", n.number}, {"kind", n.kind}, {"status", n.status}});
    registers["elicense"] = json::object{{"licences", std::move(licences)},
                                         {"notifications", std::move(notifications)}};
  } else {
    registers["elicense"] = nullptr;
  }
  registers["pa_checks"] = world_.pa_records(id) ? json::value("known") : json::value(nullptr);
  json::array rnu;
  for (auto& row : world_.rnu(std::string(id), 0, 1000).items) rnu.emplace_back(std::move(row));
  registers["goszakup"] = std::move(rnu);
  json::array samruk;
  for (auto& row : world_.unreliable("all", std::string(id), 0, 1000).items)
    samruk.emplace_back(std::move(row));
  registers["samruk"] = std::move(samruk);
  out["registers"] = std::move(registers);
  json::array changes;
  for (const auto& c : state_.changes.all(std::string(id)))
    changes.push_back(to_json(c, world_.now()));
  out["changes"] = std::move(changes);
  return ok(request, out);
}

// ---------------------------------------------------------------- /admin/state

HttpResponse AdminApi::changes(const HttpRequest& request) {
  try {
    const auto target = target_of(request);
    if (target.path != kStatePath)
      return failure(request, http::status::not_found, "no such endpoint: " + target.path);
    const auto now = state_.clock.now();
    if (request.method() == http::verb::get) {
      const auto subject = subject_param(query(target, {"subject"}));
      json::array list;
      for (const auto& c : state_.changes.all(subject)) list.push_back(to_json(c, now));
      return ok(request, json::object{{"now", xsd_time::format_datetime(now)},
                                      {"changes", std::move(list)}});
    }
    if (request.method() == http::verb::delete_) {
      const auto subject = subject_param(query(target, {"subject"}));
      const auto cleared = state_.changes.clear(subject);
      log_.info("state_cleared", {{"cleared", cleared}});
      return ok(request, json::object{{"cleared", cleared}});
    }
    if (request.method() != http::verb::post) return wrong_method(request, "GET, POST or DELETE");
    query(target, {});
    const auto body = body_object(request);
    for (const auto& [key, value] : body) {
      if (key != "subject" && key != "system" && key != "set" && key != "from")
        throw AdminError(std::string(key),
                         "is not a field of a state change (subject, system, set, from)");
    }
    Change change;
    const auto* subject = body.if_contains("subject");
    if (!subject || !subject->is_string()) throw AdminError("subject", "a BIN or IIN is required");
    change.subject = std::string(subject->as_string());
    if (const auto parsed = identity::parse(change.subject); !parsed)
      throw AdminError("subject", "'" + change.subject + "' " + parsed.error);
    const auto* system = body.if_contains("system");
    if (!system || !system->is_string())
      throw AdminError("system", "is required (one of " + known_systems() + ")");
    const auto parsed_system = parse_system(system->as_string());
    if (!parsed_system)
      throw AdminError(
          "system", "'" + std::string(system->as_string()) + "' is not one of " + known_systems());
    change.system = *parsed_system;
    const auto* set = body.if_contains("set");
    change.set = check_set(change.system, change.subject, set ? *set : json::value(nullptr));
    if (const auto* from = body.if_contains("from"); from && !from->is_null()) {
      const auto moment = from->is_string() ? parse_moment(from->as_string()) : std::nullopt;
      if (!moment)
        throw AdminError("from",
                         "must be a date YYYY-MM-DD or an xsd:dateTime with an offset "
                         "(2026-12-07T02:00:00+05:00)");
      change.from = *moment;
    }
    change.posted_at = xsd_time::format_datetime(now);
    change.date = kazakhstan_date(change.from.value_or(now));
    const auto stored = state_.changes.add(std::move(change));
    log_.info("state_changed", {{"id", stored.id},
                                {"system", to_string(stored.system)},
                                {"subject", identity::mask(stored.subject)},
                                {"in_force", stored.in_force(now)}});
    return ok(request, to_json(stored, now));
  } catch (const AdminError& e) {
    return refused(request, e);
  }
}

// ---------------------------------------------------------------- /admin/scenarios

HttpResponse AdminApi::scenarios(const HttpRequest& request) {
  try {
    const auto target = target_of(request);
    if (target.path != kScenariosPath)
      return failure(request, http::status::not_found, "no such endpoint: " + target.path);
    if (request.method() == http::verb::get) {
      const auto subject = subject_param(query(target, {"subject"}));
      json::array list;
      for (const auto& s : state_.scenarios.all(subject)) list.push_back(to_json(s));
      return ok(request, json::object{{"scenarios", std::move(list)}});
    }
    if (request.method() == http::verb::delete_) {
      const auto subject = subject_param(query(target, {"subject"}));
      return ok(request, json::object{{"cleared", state_.scenarios.clear(subject)}});
    }
    if (request.method() != http::verb::post) return wrong_method(request, "GET, POST or DELETE");
    query(target, {});
    auto scenario = parse_scenario(body_object(request), scenario_services());
    auto reply = to_json(scenario);
    log_.info("scenario_set", {{"service_id", scenario.service_id},
                               {"subject", identity::mask(scenario.subject)},
                               {"steps", scenario.steps.size()}});
    state_.scenarios.set(std::move(scenario));
    return ok(request, reply);
  } catch (const AdminError& e) {
    return refused(request, e);
  }
}

// ---------------------------------------------------------------- /admin/clock

HttpResponse AdminApi::clock(const HttpRequest& request) {
  try {
    const auto target = target_of(request);
    if (target.path != kClockPath)
      return failure(request, http::status::not_found, "no such endpoint: " + target.path);
    query(target, {});
    const auto describe = [&] {
      return json::object{{"now", xsd_time::format_datetime(state_.clock.now())},
                          {"mocked", state_.clock.mocked()}};
    };
    if (request.method() == http::verb::get) return ok(request, describe());
    if (request.method() == http::verb::delete_) {
      state_.clock.reset();
      log_.info("clock_reset", {});
      return ok(request, describe());
    }
    if (request.method() != http::verb::post) return wrong_method(request, "GET, POST or DELETE");
    const auto body = body_object(request);
    if (body.size() != 1)
      throw AdminError("body",
                       "must hold exactly one of \"now\", \"advance\", \"advance_seconds\"");
    const auto& [key, value] = *body.begin();
    if (key == "now") {
      const auto moment = value.is_string() ? parse_moment(value.as_string()) : std::nullopt;
      if (!moment)
        throw AdminError("now",
                         "must be an xsd:dateTime with an offset "
                         "(2026-12-07T02:00:00+05:00) or a date YYYY-MM-DD");
      state_.clock.set(*moment);
    } else if (key == "advance") {
      const auto duration = value.is_string() ? parse_duration(value.as_string()) : std::nullopt;
      if (!duration)
        throw AdminError("advance",
                         "must be an ISO 8601 duration of weeks, days, hours, minutes "
                         "and seconds (P7D, PT12H, P1DT2H30M)");
      state_.clock.advance(*duration);
    } else if (key == "advance_seconds") {
      if (!value.is_int64() || value.as_int64() < -3'153'600'000 ||
          value.as_int64() > 3'153'600'000)
        throw AdminError("advance_seconds",
                         "must be an integer number of seconds (|n| <= 100 years)");
      state_.clock.advance(std::chrono::seconds(value.as_int64()));
    } else {
      throw AdminError(std::string(key), "is not a field here (now, advance, advance_seconds)");
    }
    auto reply = describe();
    log_.info("clock_set", reply);
    return ok(request, reply);
  } catch (const AdminError& e) {
    return refused(request, e);
  }
}

// ---------------------------------------------------------------- /admin/reset

HttpResponse AdminApi::reset(const HttpRequest& request) {
  try {
    const auto target = target_of(request);
    if (target.path != kResetPath)
      return failure(request, http::status::not_found, "no such endpoint: " + target.path);
    query(target, {});
    if (request.method() != http::verb::post) return wrong_method(request, "POST");
    json::object reply{{"changes_cleared", state_.changes.clear()},
                       {"scenarios_cleared", state_.scenarios.clear()},
                       {"faults_cleared", faults_.clear()},
                       {"journal_cleared", journal_.clear()}};
    state_.clock.reset();
    reply["clock"] = "real time";
    log_.info("reset", reply);
    return ok(request, reply);
  } catch (const AdminError& e) {
    return refused(request, e);
  }
}

}  // namespace tekser::mocks::state

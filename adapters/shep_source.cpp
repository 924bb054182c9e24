#include "adapters/shep_source.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "adapters/elicense/request.hpp"
#include "adapters/gbd_fl/request.hpp"
#include "adapters/gbd_ul/request.hpp"
#include "adapters/kgd/request.hpp"
#include "adapters/pa_checks/request.hpp"
#include "common/time/xsd_time.hpp"
#include "mappings/elicense/elicense.hpp"
#include "mappings/gbd_fl/gbd_fl.hpp"
#include "mappings/gbd_ul/gbd_ul.hpp"
#include "mappings/kgd/kgd.hpp"
#include "mappings/pa_checks/pa_checks.hpp"

namespace tekser::adapters {
namespace {

using identity::SubjectKind;

const shep::ServiceContract& contract(std::string_view system) {
  static const auto all = shep::services();
  return *std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.system == system; });
}

bool legal_entity(const Subject& s) {
  return s.kind == SubjectKind::legal_entity;
}
bool individual(const Subject& s) {
  return s.kind == SubjectKind::individual;
}
bool any_taxpayer(const Subject& s) {
  return legal_entity(s) || individual(s);
}
bool personal_assistant(const Subject& s) {
  return individual(s) && std::ranges::find(s.categories, kPersonalAssistant) != s.categories.end();
}

// A mapping that needs nothing but the payload.
template <auto Map>
SubjectMapping plain() {
  return [](const pugi::xml_node& payload, const Subject&, const facts::Provenance& provenance) {
    return Map(payload, provenance);
  };
}

std::variant<ShepRequest, NotAsked> gbd_fl_request(const Subject& subject,
                                                   const SourceSettings& settings) {
  if (!subject.consent)
    return NotAsked{facts::Outcome::refused, std::string(kNoConsent),
                    "not asked: no consent (KDP) token on file for this subject; ГБД ФЛ answers "
                    "only with one"};
  gbd_fl::RequestFields fields;
  fields.message_id = shep::new_message_id();  // the payload repeats the envelope's messageId
  fields.message_date = xsd_time::format_datetime(xsd_time::now_ms());
  fields.sender_code = settings.gbd_fl_sender_code;
  fields.iin = subject.id;
  fields.kdp_token = subject.consent->kdp_token;
  fields.public_key = subject.consent->public_key;
  auto payload = gbd_fl::build_request(fields);
  return ShepRequest{std::move(payload), fields.message_id, fields.message_date};
}

const std::array<ShepService, 5>& table() {
  static const std::array<ShepService, 5> rows{{
      {contract("gbd_ul"), legal_entity,
       [](const Subject& s, const SourceSettings& o) -> std::variant<ShepRequest, NotAsked> {
         return ShepRequest{gbd_ul::build_request(o.requestor_bin, s.id), {}, {}};
       },
       plain<&mappings::gbd_ul::map_reply>()},
      {contract("gbd_fl"), individual, gbd_fl_request, plain<&mappings::gbd_fl::map_reply>()},
      {contract("kgd"), any_taxpayer,
       [](const Subject& s, const SourceSettings& o) -> std::variant<ShepRequest, NotAsked> {
         return ShepRequest{kgd::build_request(o.requestor_bin, s.id), {}, {}};
       },
       plain<&mappings::kgd::map_reply>()},
      {contract("elicense"), any_taxpayer,
       [](const Subject& s, const SourceSettings& o) -> std::variant<ShepRequest, NotAsked> {
         return ShepRequest{elicense::build_request(o.requestor_bin, s.id), {}, {}};
       },
       plain<&mappings::elicense::map_reply>()},
      {contract("pa_checks"), personal_assistant,
       [](const Subject& s, const SourceSettings& o) -> std::variant<ShepRequest, NotAsked> {
         return ShepRequest{pa_checks::build_request(o.requestor_bin, s.id), {}, {}};
       },
       [](const pugi::xml_node& payload, const Subject& subject,
          const facts::Provenance& provenance) {
         return mappings::pa_checks::map_reply(payload, subject.id, provenance);
       }},
  }};
  return rows;
}

}  // namespace

std::span<const ShepService> shep_services() {
  return table();
}

const ShepService* find_shep_service(std::string_view system) {
  for (const auto& row : table())
    if (row.contract.system == system) return &row;
  return nullptr;
}

ShepSource::ShepSource(shep::Client& client, const ShepService& service, SourceSettings settings)
    : client_(client), service_(service), settings_(std::move(settings)) {}

boost::asio::awaitable<QueryResult> ShepSource::query(const Subject& subject) {
  auto built = service_.request(subject, settings_);
  if (auto* not_asked = std::get_if<NotAsked>(&built)) {
    QueryResult out;
    out.result.system = std::string(system());
    out.result.service_id = std::string(service_id());
    out.result.outcome = not_asked->outcome;
    out.result.error_code = not_asked->error_code;
    out.result.cause = not_asked->cause;
    co_return out;
  }
  auto& request = std::get<ShepRequest>(built);
  ShepQuery query;
  query.message_id = request.message_id.empty() ? shep::new_message_id() : request.message_id;
  query.system = system();
  query.service_id = service_id();
  query.subject = subject.id;
  query.payload = std::move(request.payload);
  query.mapping = [map = service_.map, subject](const pugi::xml_node& payload,
                                                const facts::Provenance& provenance) {
    return map(payload, subject, provenance);
  };
  query.valid_for = settings_.valid_for;
  query.message_date = std::move(request.message_date);
  query.deadline = subject.deadline;
  query.audit = subject.audit;
  auto round_trip = ask_shep(client_, std::move(query));
  co_return co_await std::move(round_trip);
}

}  // namespace tekser::adapters

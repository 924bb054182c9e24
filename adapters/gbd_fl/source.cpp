#include "adapters/gbd_fl/source.hpp"

#include "adapters/gbd_fl/request.hpp"
#include "common/time/xsd_time.hpp"
#include "mappings/gbd_fl/gbd_fl.hpp"

namespace tekser::adapters::gbd_fl {

GbdFlSource::GbdFlSource(shep::Client& client, Options options)
    : client_(client), options_(std::move(options)) {}

std::string_view GbdFlSource::system() const {
  return mappings::gbd_fl::kSystem;
}
std::string_view GbdFlSource::service_id() const {
  return mappings::gbd_fl::kServiceId;
}

bool GbdFlSource::applies_to(const Subject& subject) const {
  return subject.kind == identity::SubjectKind::individual;
}

boost::asio::awaitable<QueryResult> GbdFlSource::query(const Subject& subject) {
  if (!subject.consent) {
    QueryResult out;
    out.result.system = std::string(system());
    out.result.service_id = std::string(service_id());
    out.result.outcome = facts::Outcome::refused;
    out.result.error_code = std::string(kNoConsent);
    out.result.cause =
        "not asked: no consent (KDP) token on file for this subject; ГБД ФЛ answers only with one";
    co_return out;
  }
  RequestFields fields;
  fields.message_id = shep::new_message_id();  // the payload repeats the envelope's messageId
  fields.message_date = xsd_time::format_datetime(xsd_time::now_ms());
  fields.sender_code = options_.sender_code;
  fields.iin = subject.id;
  fields.kdp_token = subject.consent->kdp_token;
  fields.public_key = subject.consent->public_key;
  auto round_trip = ask_shep(client_, fields.message_id, system(), service_id(),
                             build_request(fields), &mappings::gbd_fl::map_reply,
                             options_.valid_for, fields.message_date, subject.deadline);
  co_return co_await std::move(round_trip);
}

}  // namespace tekser::adapters::gbd_fl

#include "adapters/elicense/source.hpp"

#include "adapters/elicense/request.hpp"
#include "mappings/elicense/elicense.hpp"

namespace tekser::adapters::elicense {

ElicenseSource::ElicenseSource(shep::Client& client, Options options)
    : client_(client), options_(std::move(options)) {}

std::string_view ElicenseSource::system() const {
  return mappings::elicense::kSystem;
}
std::string_view ElicenseSource::service_id() const {
  return mappings::elicense::kServiceId;
}

bool ElicenseSource::applies_to(const Subject& subject) const {
  return subject.kind == identity::SubjectKind::legal_entity ||
         subject.kind == identity::SubjectKind::individual;
}

boost::asio::awaitable<QueryResult> ElicenseSource::query(const Subject& subject) {
  shep::RequestInfo info;
  info.message_id = shep::new_message_id();
  info.service_id = std::string(service_id());
  auto message_id = info.message_id;
  auto payload = build_request(options_.requestor_bin, subject.id);
  auto exchange = co_await client_.send(std::move(info), std::move(payload));
  co_return to_query_result(std::move(exchange), std::move(message_id), system(), service_id(),
                            &mappings::elicense::map_reply, options_.valid_for);
}

}  // namespace tekser::adapters::elicense

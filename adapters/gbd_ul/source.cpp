#include "adapters/gbd_ul/source.hpp"

#include "adapters/gbd_ul/request.hpp"
#include "mappings/gbd_ul/gbd_ul.hpp"

namespace tekser::adapters::gbd_ul {

GbdUlSource::GbdUlSource(shep::Client& client, Options options)
    : client_(client), options_(std::move(options)) {}

std::string_view GbdUlSource::system() const {
  return mappings::gbd_ul::kSystem;
}
std::string_view GbdUlSource::service_id() const {
  return mappings::gbd_ul::kServiceId;
}

bool GbdUlSource::applies_to(const Subject& subject) const {
  return subject.kind == identity::SubjectKind::legal_entity;
}

boost::asio::awaitable<QueryResult> GbdUlSource::query(const Subject& subject) {
  shep::RequestInfo info;
  info.message_id = shep::new_message_id();
  info.service_id = std::string(service_id());
  auto message_id = info.message_id;
  auto exchange =
      co_await client_.send(std::move(info), build_request(options_.requestor_bin, subject.id));
  co_return to_query_result(std::move(exchange), std::move(message_id), system(), service_id(),
                            &mappings::gbd_ul::map_reply, options_.valid_for);
}

}  // namespace tekser::adapters::gbd_ul

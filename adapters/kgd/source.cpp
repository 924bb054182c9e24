#include "adapters/kgd/source.hpp"

#include "adapters/kgd/request.hpp"
#include "mappings/kgd/kgd.hpp"

namespace tekser::adapters::kgd {

KgdSource::KgdSource(shep::Client& client, Options options)
    : client_(client), options_(std::move(options)) {}

std::string_view KgdSource::system() const {
  return mappings::kgd::kSystem;
}
std::string_view KgdSource::service_id() const {
  return mappings::kgd::kServiceId;
}

bool KgdSource::applies_to(const Subject& subject) const {
  return subject.kind == identity::SubjectKind::legal_entity ||
         subject.kind == identity::SubjectKind::individual;
}

boost::asio::awaitable<QueryResult> KgdSource::query(const Subject& subject) {
  shep::RequestInfo info;
  info.message_id = shep::new_message_id();
  info.service_id = std::string(service_id());
  auto message_id = info.message_id;
  auto payload = build_request(options_.requestor_bin, subject.id);
  auto exchange = co_await client_.send(std::move(info), std::move(payload));
  co_return to_query_result(std::move(exchange), std::move(message_id), system(), service_id(),
                            &mappings::kgd::map_reply, options_.valid_for);
}

}  // namespace tekser::adapters::kgd

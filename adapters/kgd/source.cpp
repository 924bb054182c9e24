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
  auto round_trip = ask_shep(client_, shep::new_message_id(), system(), service_id(),
                             build_request(options_.requestor_bin, subject.id),
                             &mappings::kgd::map_reply, options_.valid_for, {}, subject.deadline);
  co_return co_await std::move(round_trip);
}

}  // namespace tekser::adapters::kgd

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
  auto round_trip =
      ask_shep(client_, shep::new_message_id(), system(), service_id(),
               build_request(options_.requestor_bin, subject.id), &mappings::elicense::map_reply,
               options_.valid_for, {}, subject.deadline);
  co_return co_await std::move(round_trip);
}

}  // namespace tekser::adapters::elicense

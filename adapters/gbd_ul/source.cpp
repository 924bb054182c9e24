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
  auto round_trip =
      ask_shep(client_, shep::new_message_id(), system(), service_id(),
               build_request(options_.requestor_bin, subject.id), &mappings::gbd_ul::map_reply,
               options_.valid_for, {}, subject.deadline);
  co_return co_await std::move(round_trip);
}

}  // namespace tekser::adapters::gbd_ul

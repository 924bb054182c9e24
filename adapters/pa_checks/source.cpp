#include "adapters/pa_checks/source.hpp"

#include <algorithm>
#include <utility>

#include "adapters/pa_checks/request.hpp"
#include "mappings/pa_checks/pa_checks.hpp"

namespace tekser::adapters::pa_checks {

PaChecksSource::PaChecksSource(shep::Client& client, Options options)
    : client_(client), options_(std::move(options)) {}

std::string_view PaChecksSource::system() const {
  return mappings::pa_checks::kSystem;
}
std::string_view PaChecksSource::service_id() const {
  return mappings::pa_checks::kServiceId;
}

bool PaChecksSource::applies_to(const Subject& subject) const {
  return subject.kind == identity::SubjectKind::individual &&
         std::ranges::find(subject.categories, kCategory) != subject.categories.end();
}

boost::asio::awaitable<QueryResult> PaChecksSource::query(const Subject& subject) {
  PayloadMapping mapping = [iin = subject.id](const pugi::xml_node& data,
                                              const facts::Provenance& provenance) {
    return mappings::pa_checks::map_reply(data, iin, provenance);
  };
  auto round_trip = ask_shep(client_, shep::new_message_id(), system(), service_id(),
                             build_request(options_.requestor_bin, subject.id), std::move(mapping),
                             options_.valid_for, {}, subject.deadline);
  co_return co_await std::move(round_trip);
}

}  // namespace tekser::adapters::pa_checks

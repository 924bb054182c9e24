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
  shep::RequestInfo info;
  info.message_id = shep::new_message_id();
  info.service_id = std::string(service_id());
  auto message_id = info.message_id;
  auto payload = build_request(options_.requestor_bin, subject.id);
  // Owning values stay out of the co_await expression (g++ 12 double-destroys such temporaries).
  auto exchange = co_await client_.send(std::move(info), std::move(payload));
  const PayloadMapping mapping = [iin = subject.id](const pugi::xml_node& data,
                                                    const facts::Provenance& provenance) {
    return mappings::pa_checks::map_reply(data, iin, provenance);
  };
  co_return to_query_result(std::move(exchange), std::move(message_id), system(), service_id(),
                            mapping, options_.valid_for);
}

}  // namespace tekser::adapters::pa_checks

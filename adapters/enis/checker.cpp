#include "adapters/enis/checker.hpp"

#include <utility>

#include "common/identity/identity.hpp"

namespace tekser::adapters::enis {
namespace {

// Why the query cannot be sent, or empty.
std::string query_problem(const PoaQuery& query) {
  if (const auto p = identity::parse(query.principal_id); !p)
    return "the principal's BIN/IIN is not valid: " + p.error;
  if (const auto r =
          identity::parse_as(query.representative_iin, identity::SubjectKind::individual);
      !r)
    return "the representative's IIN is not valid: " + r.error;
  if (query.number.empty() || query.number.size() > 64)
    return "the power of attorney number must be 1..64 characters";
  return {};
}

}  // namespace

PowerOfAttorneyChecker::PowerOfAttorneyChecker(shep::Client& client, Options options)
    : client_(client), options_(std::move(options)) {}

std::string_view PowerOfAttorneyChecker::system() const {
  return mappings::enis::kSystem;
}
std::string_view PowerOfAttorneyChecker::service_id() const {
  return mappings::enis::kServiceId;
}

boost::asio::awaitable<QueryResult> PowerOfAttorneyChecker::check(
    const PoaQuery& query, std::shared_ptr<ExchangeAudit> audit) {
  if (auto problem = query_problem(query); !problem.empty()) {
    QueryResult out;
    out.result.system = std::string(system());
    out.result.service_id = std::string(service_id());
    out.result.outcome = facts::Outcome::refused;
    out.result.error_code = std::string(kInvalidQuery);
    out.result.cause = "not asked: " + problem;
    co_return out;
  }
  shep::RequestInfo info;
  info.message_id = shep::new_message_id();
  info.service_id = std::string(service_id());
  auto message_id = info.message_id;
  const Outgoing outgoing{std::string(system()), std::string(service_id()), message_id,
                          query.principal_id};
  if (audit) {
    auto opening = audit->open(outgoing);
    const auto refused = co_await std::move(opening);
    if (refused) co_return not_sent(outgoing, *refused);
  }
  auto payload = build_request(options_.requestor_bin, query);
  // Owning values stay out of the co_await expression (g++ 12 double-destroys such temporaries).
  auto exchange = co_await client_.send(std::move(info), std::move(payload));
  const PayloadMapping mapping = [expected = query](const pugi::xml_node& data,
                                                    const facts::Provenance& provenance) {
    return mappings::enis::map_reply(data, expected, provenance);
  };
  auto answer = to_query_result(std::move(exchange), std::move(message_id), system(), service_id(),
                                mapping, options_.valid_for);
  if (audit) {
    auto closing = audit->close(outgoing, answer);
    co_await std::move(closing);
  }
  co_return answer;
}

}  // namespace tekser::adapters::enis

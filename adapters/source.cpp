#include "adapters/source.hpp"

#include <algorithm>
#include <utility>

#include "common/identity/identity.hpp"
#include "common/shep/payload.hpp"
#include "common/shep/services.hpp"

namespace tekser::adapters {
namespace {

facts::SignatureStatus to_provenance(shep::SignatureCheck::Status status) {
  switch (status) {
    case shep::SignatureCheck::Status::not_checked:
      return facts::SignatureStatus::not_checked;
    case shep::SignatureCheck::Status::absent:
      return facts::SignatureStatus::absent;
    case shep::SignatureCheck::Status::valid:
      return facts::SignatureStatus::valid;
    case shep::SignatureCheck::Status::invalid:
      return facts::SignatureStatus::invalid;
  }
  return facts::SignatureStatus::not_checked;
}

}  // namespace

std::chrono::milliseconds time_for_request(std::chrono::milliseconds usual,
                                           const std::optional<Deadline>& deadline) {
  if (!deadline) return usual;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      *deadline - std::chrono::steady_clock::now());
  return std::max(std::chrono::milliseconds(1), std::min(usual, left));
}

QueryResult to_query_result(shep::Exchange exchange, std::string message_id,
                            std::string_view system, std::string_view service_id,
                            const PayloadMapping& mapping, std::chrono::seconds valid_for,
                            std::string_view asked_subject) {
  using Kind = shep::Exchange::Kind;
  using facts::Outcome;

  facts::SourceResult result;
  result.system = std::string(system);
  result.service_id = std::string(service_id);

  auto& provenance = result.provenance;
  provenance.system = result.system;
  provenance.service_id = result.service_id;
  provenance.message_id = std::move(message_id);
  provenance.retrieved_at =
      exchange.started_at +
      std::chrono::duration_cast<std::chrono::milliseconds>(exchange.duration);
  provenance.valid_until = provenance.retrieved_at + valid_for;
  provenance.reply_sha256 = exchange.reply_sha256;
  provenance.reply_message_id = exchange.reply.info.message_id;
  provenance.signature = to_provenance(exchange.signature.status);
  if (exchange.signature.status == shep::SignatureCheck::Status::valid) {
    provenance.signer_sha256 = exchange.signature.signer_sha256;
    provenance.signature_algorithm = exchange.signature.signature_algorithm;
  }

  // An untrusted reply says nothing: whatever it carries, the source's answer is unknown.
  if (exchange.signature.rejected) {
    result.outcome = Outcome::unavailable;
    result.cause = exchange.signature.reason;
    return QueryResult{std::move(result), std::move(exchange), {}};
  }

  // A reply that answers another request is no answer to this one, whatever it says. SHEP sets
  // correlationId to the request's messageId; one left out is tolerated (the synchronous channel
  // pairs request and reply on one connection), one that names another message is not.
  const bool answered = exchange.kind == Kind::data || exchange.kind == Kind::no_data ||
                        exchange.kind == Kind::bus_status;
  if (const auto& correlation = exchange.reply.info.correlation_id;
      answered && correlation && *correlation != provenance.message_id) {
    result.outcome = Outcome::malformed;
    result.cause = "the reply's correlationId '" + *correlation + "' is not our messageId '" +
                   provenance.message_id + "': not an answer to this request, ignored";
    return QueryResult{std::move(result), std::move(exchange), {}};
  }

  switch (exchange.kind) {
    case Kind::transport_error:
    case Kind::http_error:
      result.outcome = Outcome::unavailable;
      result.cause = exchange.cause;
      break;
    case Kind::soap_fault:
      result.outcome = Outcome::refused;
      result.cause = exchange.cause;
      if (exchange.reply.error) result.error_code = exchange.reply.error->code;
      break;
    case Kind::bus_status:
      result.outcome = Outcome::refused;
      result.cause = exchange.cause;
      result.error_code = exchange.reply.info.status_code;
      break;
    case Kind::malformed:
      result.outcome = Outcome::malformed;
      result.cause = exchange.cause;
      break;
    case Kind::no_data:
      result.outcome = Outcome::no_data;
      result.cause = exchange.cause.empty() ? "the bus delivered no data" : exchange.cause;
      break;
    case Kind::data: {
      // The one place that finds the Response in <data>, whatever shape the wire gave it.
      const auto contract = shep::service_by_id(service_id);
      const auto payload =
          contract ? shep::locate_payload(exchange.reply.data, contract->response_fields).fields
                   : exchange.reply.data;
      if (contract && !asked_subject.empty()) {
        if (const auto other = shep::other_subject(payload, *contract, asked_subject)) {
          result.outcome = Outcome::malformed;
          result.cause = "the reply is about another subject (asked " +
                         identity::mask(asked_subject) + ", the reply names " +
                         identity::mask(*other) + "): not evidence about the one asked, ignored";
          break;
        }
      }
      auto mapped = mapping(payload, provenance);
      result.outcome = mapped.outcome;
      result.cause = std::move(mapped.cause);
      result.error_code = std::move(mapped.error_code);
      result.facts = std::move(mapped.facts);
      break;
    }
  }
  return QueryResult{std::move(result), std::move(exchange), {}};
}

QueryResult not_sent(const Outgoing& outgoing, const std::string& why) {
  QueryResult out;
  out.result.system = outgoing.system;
  out.result.service_id = outgoing.service_id;
  out.result.outcome = facts::Outcome::unavailable;
  out.result.cause = "not sent: " + why;
  return out;
}

boost::asio::awaitable<QueryResult> ask_shep(shep::Client& client, ShepQuery query) {
  const auto audit = query.audit;
  const Outgoing outgoing{std::string(query.system), std::string(query.service_id),
                          query.message_id, query.subject};
  if (audit) {
    auto opening = audit->open(outgoing);
    const auto refused = co_await std::move(opening);
    if (refused) co_return not_sent(outgoing, *refused);
  }
  shep::RequestInfo info;
  info.message_id = query.message_id;
  info.message_date = std::move(query.message_date);
  info.service_id = std::string(query.service_id);
  const auto timeout = time_for_request(client.options().total_timeout, query.deadline);
  auto exchange = co_await client.send(std::move(info), std::move(query.payload), timeout);
  auto answer = to_query_result(std::move(exchange), std::move(query.message_id), query.system,
                                query.service_id, query.mapping, query.valid_for, query.subject);
  if (audit) {
    auto closing = audit->close(outgoing, answer);
    co_await std::move(closing);
  }
  co_return answer;
}

}  // namespace tekser::adapters

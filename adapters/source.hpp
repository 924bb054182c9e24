// One state system as the gateway sees it: ask it about a subject, get facts or the reason there
// are none. Adapters build the request, send it through the SHEP client and hand the payload to
// the system's pure mapping; they never touch the store.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <pugixml.hpp>

#include "adapters/shep/client.hpp"
#include "common/identity/identity.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::adapters {

struct Consent {
  std::string kdp_token;   // ГБД ФЛ consent (KDP) token for this subject
  std::string public_key;  // the key the token was issued for
};

// When a query's answer is due (gateway/verify's retry budget), on the steady clock.
using Deadline = std::chrono::steady_clock::time_point;

struct QueryResult;

// One request about to leave for a state system.
struct Outgoing {
  std::string system;
  std::string service_id;
  std::string message_id;  // the key of its message-log and audit rows
  std::string subject;     // the BIN/IIN asked about
};

// The audit of every exchange (gateway/verify/exchange_audit.hpp): an adapter opens it before its
// request leaves and sends nothing when that fails, and closes it with the answer. So a request
// is never at a state system without its audit row, whatever happens to the gateway afterwards.
class ExchangeAudit {
 public:
  virtual ~ExchangeAudit() = default;
  // Empty when the request may leave; otherwise why it must not (its row could not be written).
  virtual boost::asio::awaitable<std::optional<std::string>> open(Outgoing outgoing) = 0;
  // The answer (outcome, reply digest) onto the row. Never throws: a row left open stays on
  // record as pending, and the recording of the answer completes it.
  virtual boost::asio::awaitable<void> close(Outgoing outgoing, const QueryResult& answer) = 0;
};

// The answer when the audit refused to let the request leave: `unavailable` (the subject's
// answer is unknown, never a verdict), nothing sent.
QueryResult not_sent(const Outgoing& outgoing, const std::string& why);

// Who is asked about.
struct Subject {
  std::string id;  // BIN or IIN, already validated
  identity::SubjectKind kind = identity::SubjectKind::legal_entity;
  std::optional<Consent> consent;
  std::vector<std::string> categories;  // the portal categories it is registered in
  // Requests end by then (their timeout is cut to the time left); none: the clients' own
  // timeouts.
  std::optional<Deadline> deadline;
  // Opened before each request about this subject leaves and closed with its answer; none: not
  // audited here (the caller records the exchanges afterwards).
  std::shared_ptr<ExchangeAudit> audit;
};

// What a request may take: `usual`, cut to the time left before `deadline` (at least 1 ms).
std::chrono::milliseconds time_for_request(std::chrono::milliseconds usual,
                                           const std::optional<Deadline>& deadline);

// The answer of one source, and the exchange behind it (for the message log). `exchange` is
// empty when nothing was sent (e.g. no consent token for a service that needs one).
struct QueryResult {
  facts::SourceResult result;
  std::optional<shep::Exchange> exchange;
  // Earlier attempts of the same query that failed and were retried (gateway/verify), oldest
  // first; each went out under its own message id and has its own row in the message log.
  std::vector<QueryResult> earlier_attempts;
};

class Source {
 public:
  virtual ~Source() = default;
  virtual std::string_view system() const = 0;
  virtual std::string_view service_id() const = 0;
  // Whether this source has anything to say about such a subject (ГБД ЮЛ: BINs, ГБД ФЛ: IINs).
  virtual bool applies_to(const Subject& subject) const = 0;
  // Never throws for what the network or the peer can cause.
  virtual boost::asio::awaitable<QueryResult> query(const Subject& subject) = 0;
};

using PayloadMapping =
    std::function<mappings::MappedReply(const pugi::xml_node&, const facts::Provenance&)>;

// Turns a finished SHEP exchange into the source's answer: bus-level failures become unknown
// outcomes with their cause (unavailable, refused, malformed); a SCSS001 reply with data goes
// through `mapping`. Facts are valid for `valid_for` from the moment of the reply. `message_id`
// is the requestInfo/messageId we sent: the key of the exchange in the message log. The reply's
// signature check goes into the provenance; a reply the signature policy rejects is
// `unavailable` whatever it says, with the signature problem as its cause.
// A reply is refused (malformed, no facts) when its correlationId names another message than
// `message_id`, or when its payload names another subject than `asked_subject` on the service's
// subject paths (common/shep/services.hpp); the payload reaches `mapping` wherever <data> holds it
// (common/shep/payload.hpp).
QueryResult to_query_result(shep::Exchange exchange, std::string message_id,
                            std::string_view system, std::string_view service_id,
                            const PayloadMapping& mapping, std::chrono::seconds valid_for,
                            std::string_view asked_subject = {});

// One SHEP round trip: `payload` goes to `service_id` under `message_id` (also the message-log
// key; some payloads repeat it) and the reply about `subject` is mapped with `mapping`. With a
// `deadline` the exchange ends by then.
struct ShepQuery {
  std::string message_id;
  std::string_view system;
  std::string_view service_id;
  std::string subject;  // the BIN/IIN asked about; empty: the service does not echo one
  shep::Payload payload;
  PayloadMapping mapping;
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};
  std::string message_date;  // empty: the client stamps it
  std::optional<Deadline> deadline;
  std::shared_ptr<ExchangeAudit> audit;  // opened before the request leaves, closed after
};

// Callers build the awaitable in a statement of its own and then co_await it: g++ 12
// double-destroys owning temporaries inside a co_await expression.
boost::asio::awaitable<QueryResult> ask_shep(shep::Client& client, ShepQuery query);

}  // namespace tekser::adapters

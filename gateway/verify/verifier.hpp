// Verify a supplier now: ask every state system that has something to say about it, at the same
// time, then record every exchange and every answer in the store in one transaction — with the
// triggers the new evidence calls for (set_trigger_queue), decided there as a refresh item's are.
// A source that is down or refuses leaves its facts as they were and its status says why.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "adapters/source.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/store.hpp"
#include "gateway/triggers/queue.hpp"
#include "gateway/verify/guarded_query.hpp"
#include "gateway/verify/limiter.hpp"

namespace tekser::verify {

// Which sources to ask. By default every source that applies to the supplier.
struct Options {
  std::optional<std::set<std::string>> systems;  // only these systems
  // Reuse what a source said if its last data are younger than this (no request is sent).
  std::optional<std::chrono::seconds> max_age;
  // Per-system concurrency and rate bounds in place of the verifier's own (set_guards).
  SystemLimiter* limiter = nullptr;
  // Who asks and why: every request is audited with these before it leaves (gather() and
  // verify() alike; exchange_audit.hpp), and verify() completes the rows with the answers.
  store::AuditContext audit;
};

struct Skipped {
  std::string system;
  std::string reason;
};

// The answers of the sources asked, not yet recorded.
struct Gathered {
  std::vector<adapters::QueryResult> answers;  // one per source asked, in the sources' order
  std::vector<Skipped> skipped;
};

// The supplier as the verification's transaction left it.
struct Committed {
  store::SupplierRecord supplier;
  std::vector<store::StoredFact> facts;
  std::vector<store::SourceStatus> sources;
};

struct Report {
  std::vector<facts::SourceResult> results;  // one per source asked, in the sources' order
  std::vector<Skipped> skipped;              // applicable sources not asked, and why
  store::VerificationSummary summary;
  int triggers_queued = 0;  // in the transaction of the answers (set_trigger_queue)
  // Read back in that transaction when it decided triggers (none: nothing was asked, or no
  // trigger queue is set; read the supplier from the store).
  std::optional<Committed> committed;
};

class Verifier {
 public:
  Verifier(std::vector<std::shared_ptr<adapters::Source>> sources, store::DbPool& db);

  // The subject a stored supplier stands for (its kind and consent).
  static adapters::Subject subject_of(const store::SupplierRecord& supplier);

  // Asks the applicable sources concurrently and records the outcome. Throws only for store
  // failures (the database is down): the request boundary turns that into a 503.
  // Await it from a coroutine on a strand (every HTTP connection has one) or on a single-threaded
  // io_context: the answers are gathered on the caller's executor without a lock.
  boost::asio::awaitable<Report> verify(const store::SupplierRecord& supplier,
                                        Options options = {});

  // Asks the applicable sources concurrently and records no answer (the refresh records them in
  // its own transaction, with the triggers they cause) — only the audit rows of the requests,
  // written before each leaves and completed when it ends. Same executor rules as verify().
  boost::asio::awaitable<Gathered> gather(const store::SupplierRecord& supplier,
                                          Options options = {});
  // What the store keeps of a set of answers.
  static store::VerificationWrite to_write(const std::string& supplier_id,
                                           const std::vector<adapters::QueryResult>& answers);
  // The same, audited: who asked and why, and the consent reference of each exchange that
  // carried the supplier's consent token.
  static store::VerificationWrite to_write(const store::SupplierRecord& supplier,
                                           const std::vector<adapters::QueryResult>& answers,
                                           store::AuditContext audit);

  // The bulkhead, breakers and retry policies every query goes through (guarded_query.hpp), for
  // the portal's verify and the refresh alike. Without them: one attempt, no bound.
  void set_guards(Guards guards) { guards_ = guards; }
  const Guards& guards() const { return guards_; }

  // verify() decides the supplier's triggers from the answers it records and queues them in the
  // same transaction, exactly as a refresh item does: positive evidence of a p.15 ground found by
  // the portal's own verify does not wait for the weekly run. Without it verify() records only.
  void set_trigger_queue(const triggers::TriggerQueue* queue) { trigger_queue_ = queue; }
  const triggers::TriggerQueue* trigger_queue() const { return trigger_queue_; }

  // The names of the systems this verifier can ask.
  std::vector<std::string> systems() const;

  const std::vector<std::shared_ptr<adapters::Source>>& sources() const { return sources_; }

 private:
  std::vector<std::shared_ptr<adapters::Source>> sources_;
  store::DbPool& db_;
  Guards guards_;
  const triggers::TriggerQueue* trigger_queue_ = nullptr;
};

// The message-log row of one adapter answer; nullopt when nothing was sent.
std::optional<store::MessageLogEntry> to_log_entry(const std::string& supplier_id,
                                                   const adapters::QueryResult& answer);

// The audit's consent reference: SHA-256 (lower-case hex) of a consent token, never the token.
std::string consent_reference(const std::string& kdp_token);

}  // namespace tekser::verify

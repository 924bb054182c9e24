#include "gateway/rederive/rederive.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

#include "adapters/shep/client.hpp"
#include "adapters/shep_source.hpp"
#include "adapters/source.hpp"
#include "gateway/verify/verifier.hpp"

namespace tekser::rederive {
namespace {

namespace json = boost::json;

constexpr int kSuppliersPerBatch = 200;

shep::SignatureCheck::Status to_check(facts::SignatureStatus status) {
  switch (status) {
    case facts::SignatureStatus::valid:
      return shep::SignatureCheck::Status::valid;
    case facts::SignatureStatus::absent:
      return shep::SignatureCheck::Status::absent;
    case facts::SignatureStatus::invalid:
      return shep::SignatureCheck::Status::invalid;
    case facts::SignatureStatus::not_checked:
      break;
  }
  return shep::SignatureCheck::Status::not_checked;
}

const store::StoredFact* find_current(const std::vector<store::StoredFact>& current,
                                      const std::string& system, const std::string& name) {
  for (const auto& stored : current)
    if (stored.fact.provenance.system == system && stored.fact.name == name) return &stored;
  return nullptr;
}

// One supplier's kept replies, read again: each with today's answer.
struct Reading {
  ReplyChange change;
  facts::SourceResult now;
};

// None when the supplier is not watched.
std::optional<std::vector<Reading>> read_supplier(pqxx::transaction_base& txn,
                                                  const std::string& supplier_id,
                                                  const Request& request) {
  const auto supplier = store::Store::find_supplier(txn, supplier_id);
  if (!supplier) return std::nullopt;
  std::vector<Reading> out;
  const auto current = store::Store::current_facts(txn, supplier_id);
  for (const auto& logged :
       store::RederiveStore::latest_read_replies(txn, supplier_id, request.scope)) {
    auto now = reread(logged, *supplier, request.valid_for);
    auto change = compare(logged, now, current);
    // The same value as the store compares it (jsonb: key order and number spelling aside).
    std::erase_if(change.facts, [&](const FactChange& f) {
      return f.kind == FactChange::Kind::changed &&
             store::RederiveStore::same_json(txn, json::serialize(*f.before),
                                             json::serialize(*f.after));
    });
    out.push_back(Reading{std::move(change), std::move(now)});
  }
  return out;
}

// The reading's added and changed facts become current, their history naming the run; a
// changed outcome restates the source's status while the reply is still its latest answer.
void record(pqxx::work& txn, const Reading& reading, long long run_id, xsd_time::TimePoint at) {
  const auto& change = reading.change;
  for (const auto& fact_change : change.facts) {
    if (fact_change.kind == FactChange::Kind::no_longer_derived) continue;
    const auto fact = std::find_if(reading.now.facts.begin(), reading.now.facts.end(),
                                   [&](const auto& f) { return f.name == fact_change.name; });
    if (fact == reading.now.facts.end()) continue;
    const auto provenance = store::effective_provenance(reading.now, *fact);
    std::optional<std::string> old_value;
    if (fact_change.before) old_value = json::serialize(*fact_change.before);
    store::Store::record_fact_change(txn, change.supplier_id, change.system, *fact, provenance,
                                     old_value, at, run_id);
  }
  if (change.outcome_then != change.outcome_now) {
    store::RederiveStore::note_reading(txn, change.log_id, change.outcome_now, run_id);
    store::RederiveStore::restate_source(txn, change.supplier_id, reading.now, at);
  }
}

json::object to_json(const ReplyChange& change) {
  json::array facts;
  for (const auto& f : change.facts) {
    json::object item{{"name", f.name}, {"change", to_string(f.kind)}};
    if (f.before) item["before"] = *f.before;
    if (f.after) item["after"] = *f.after;
    facts.push_back(std::move(item));
  }
  json::object out{{"supplier_id", change.supplier_id},
                   {"system", change.system},
                   {"message_id", change.message_id},
                   {"reply_sha256", change.reply_sha256},
                   {"received_at", xsd_time::format_datetime(change.received_at)},
                   {"outcome_then", facts::to_string(change.outcome_then)},
                   {"outcome_now", facts::to_string(change.outcome_now)},
                   {"facts", std::move(facts)}};
  if (change.outcome_now != facts::Outcome::data) out["cause_now"] = change.cause_now;
  return out;
}

}  // namespace

std::vector<std::string> rederivable_systems() {
  std::vector<std::string> out;
  for (const auto& service : adapters::shep_services()) out.emplace_back(service.contract.system);
  return out;
}

facts::SourceResult reread(const store::Exchange& logged, const store::SupplierRecord& supplier,
                           std::chrono::seconds valid_for) {
  const auto* service = adapters::find_shep_service(logged.system);
  if (!service) {
    facts::SourceResult none;
    none.system = logged.system;
    none.service_id = logged.service_id;
    none.outcome = facts::Outcome::malformed;
    none.cause = "no mapping for system '" + logged.system + "'";
    none.provenance.system = logged.system;
    none.provenance.message_id = logged.message_id;
    return none;
  }
  shep::Exchange exchange;
  exchange.response_body = logged.response_body;
  exchange.reply_sha256 = logged.reply_sha256;
  exchange.started_at = logged.started_at;
  exchange.duration = std::chrono::milliseconds(logged.duration_ms);
  if (logged.http_status && logged.response_body) {
    exchange.http_status = static_cast<unsigned>(*logged.http_status);
    // No Content-Type is kept: the body decides, as for a reply that gave none.
    shep::classify_reply(exchange, *exchange.http_status, "", "");
  } else {
    exchange.kind = shep::Exchange::Kind::transport_error;
    exchange.cause = "no reply kept in the message log";
  }
  exchange.signature.status = to_check(logged.signature);
  exchange.signature.signer_sha256 = logged.signer_sha256;
  exchange.signature.signature_algorithm = logged.signature_algorithm;

  const auto subject = verify::Verifier::subject_of(supplier);
  const adapters::PayloadMapping mapping =
      [service, &subject](const pugi::xml_node& payload, const facts::Provenance& provenance) {
        return service->map(payload, subject, provenance);
      };
  auto answer = adapters::to_query_result(std::move(exchange), logged.message_id, logged.system,
                                          logged.service_id, mapping, valid_for, logged.subject);
  return std::move(answer.result);
}

std::string_view to_string(FactChange::Kind kind) {
  switch (kind) {
    case FactChange::Kind::added:
      return "added";
    case FactChange::Kind::changed:
      return "changed";
    case FactChange::Kind::no_longer_derived:
      return "no_longer_derived";
  }
  return "changed";
}

ReplyChange compare(const store::Exchange& logged, const facts::SourceResult& now,
                    const std::vector<store::StoredFact>& current) {
  ReplyChange out;
  out.log_id = logged.id;
  out.supplier_id = logged.subject;
  out.system = logged.system;
  out.message_id = logged.message_id;
  out.reply_sha256 = logged.reply_sha256;
  out.received_at = logged.started_at + std::chrono::milliseconds(logged.duration_ms);
  out.outcome_then = logged.outcome;
  out.outcome_now = now.outcome;
  out.cause_now = now.cause;
  if (now.outcome == facts::Outcome::data) {
    for (const auto& fact : now.facts) {
      const auto* stored = find_current(current, logged.system, fact.name);
      if (!stored)
        out.facts.push_back({FactChange::Kind::added, fact.name, std::nullopt, fact.value});
      else if (stored->fact.value != fact.value)
        out.facts.push_back({FactChange::Kind::changed, fact.name, stored->fact.value, fact.value});
    }
  }
  // What was read from this very reply and is not read from it today.
  for (const auto& stored : current) {
    if (stored.fact.provenance.system != logged.system ||
        stored.fact.provenance.message_id != logged.message_id)
      continue;
    const bool read_today = now.outcome == facts::Outcome::data &&
                            std::any_of(now.facts.begin(), now.facts.end(),
                                        [&](const auto& f) { return f.name == stored.fact.name; });
    if (!read_today)
      out.facts.push_back(
          {FactChange::Kind::no_longer_derived, stored.fact.name, stored.fact.value, std::nullopt});
  }
  return out;
}

json::value run(pqxx::connection& connection, const Request& request) {
  long long run_id = 0;
  if (request.apply) {
    pqxx::work txn(connection, "tekser_rederive_start");
    run_id = store::RederiveStore::start_run(txn, request.requested_by, request.scope);
    txn.commit();
  }
  int suppliers = 0, replies = 0, changed = 0, facts_changed = 0, outcomes_changed = 0;
  json::array listed;
  std::string after;
  for (;;) {
    std::vector<std::string> ids;
    if (request.scope.supplier) {
      if (after == *request.scope.supplier) break;
      ids = {*request.scope.supplier};
    } else {
      pqxx::read_transaction txn(connection, "tekser_rederive_suppliers");
      ids = store::RederiveStore::suppliers_after(txn, after, kSuppliersPerBatch);
    }
    if (ids.empty()) break;
    after = ids.back();
    for (const auto& id : ids) {
      std::optional<std::vector<Reading>> readings;
      if (request.apply) {
        pqxx::work txn(connection, "tekser_rederive_apply");
        if (!store::RederiveStore::lock_supplier(txn, id)) continue;
        readings = read_supplier(txn, id, request);
        const auto at = xsd_time::now_ms();
        for (const auto& reading : readings.value_or(std::vector<Reading>{}))
          if (reading.change.changed()) record(txn, reading, run_id, at);
        txn.commit();
      } else {
        pqxx::read_transaction txn(connection, "tekser_rederive_read");
        readings = read_supplier(txn, id, request);
      }
      if (!readings) continue;  // no longer (or never) watched
      ++suppliers;
      for (const auto& reading : *readings) {
        ++replies;
        const auto& change = reading.change;
        if (!change.changed()) continue;
        ++changed;
        if (change.outcome_then != change.outcome_now) ++outcomes_changed;
        facts_changed += static_cast<int>(std::count_if(
            change.facts.begin(), change.facts.end(),
            [](const auto& f) { return f.kind != FactChange::Kind::no_longer_derived; }));
        if (static_cast<int>(listed.size()) < request.limit) listed.push_back(to_json(change));
      }
    }
  }
  if (request.apply) {
    pqxx::work txn(connection, "tekser_rederive_finish");
    store::RederiveStore::finish_run(txn, run_id, replies, facts_changed);
    txn.commit();
  }
  json::array systems;
  for (const auto& s : request.scope.systems) systems.emplace_back(s);
  json::object out{
      {"systems", std::move(systems)},
      {"supplier",
       request.scope.supplier ? json::value(*request.scope.supplier) : json::value(nullptr)},
      {"since", request.scope.since ? json::value(xsd_time::format_datetime(*request.scope.since))
                                    : json::value(nullptr)},
      {"applied", request.apply},
      {"rederivation_id", request.apply ? json::value(run_id) : json::value(nullptr)},
      {"suppliers", suppliers},
      {"replies", replies},
      {"changed", changed},
      {"facts_changed", facts_changed},
      {"outcomes_changed", outcomes_changed},
      {"listed", static_cast<std::int64_t>(listed.size())},
      {"changes", std::move(listed)}};
  return out;
}

}  // namespace tekser::rederive

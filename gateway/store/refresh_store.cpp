#include "gateway/store/refresh_store.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json.hpp>

#include "gateway/store/params.hpp"

namespace tekser::store {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

TimePoint from_ms(long long ms) {
  return TimePoint{milliseconds{ms}};
}
long long to_ms(TimePoint t) {
  return t.time_since_epoch().count();
}

std::optional<TimePoint> optional_time(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return from_ms(f.as<long long>());
}
std::optional<std::string> optional_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

// Keeps a nullable parameter's text alive for the statement (libpqxx sends a null pointer as
// SQL NULL).
struct Nullable {
  std::optional<std::string> text;
  const char* get() const { return text ? text->c_str() : nullptr; }
};
template <typename T>
Nullable nullable(const std::optional<T>& value) {
  if (!value) return {};
  if constexpr (std::is_same_v<T, std::string>)
    return {*value};
  else
    return {std::to_string(*value)};
}

constexpr const char* kRunColumns =
    "id, requested_by, tekser_ts_to_ms(scheduled_for), status, rule_set, total, "
    "tekser_ts_to_ms(created_at), tekser_ts_to_ms(finished_at), mirrors::text";

RefreshRun run_of(const pqxx::row& row) {
  RefreshRun run;
  run.id = row[0].as<long long>();
  run.requested_by = row[1].as<std::string>();
  run.scheduled_for = optional_time(row[2]);
  run.status = row[3].as<std::string>();
  run.rule_set = row[4].as<std::string>();
  run.total = row[5].as<int>();
  run.created_at = from_ms(row[6].as<long long>());
  run.finished_at = optional_time(row[7]);
  run.mirrors = json::parse(row[8].c_str()).as_object();
  return run;
}

constexpr const char* kTriggerColumns =
    "id::text, cursor, supplier_id, sequence, kind, body, rule_set, run_id, "
    "tekser_ts_to_ms(created_at), tekser_ts_to_ms(data_received_at), tekser_ts_to_ms(deadline), "
    "deadline_estimate, status, attempts, tekser_ts_to_ms(next_attempt_at), last_error, "
    "last_status, tekser_ts_to_ms(delivered_at)";

TriggerRow trigger_of(const pqxx::row& row) {
  TriggerRow t;
  t.id = row[0].as<std::string>();
  t.cursor = row[1].as<long long>();
  t.supplier_id = row[2].as<std::string>();
  t.sequence = row[3].as<long long>();
  t.kind = row[4].as<std::string>();
  t.body = row[5].as<std::string>();
  t.rule_set = row[6].as<std::string>();
  if (!row[7].is_null()) t.run_id = row[7].as<long long>();
  t.created_at = from_ms(row[8].as<long long>());
  t.data_received_at = from_ms(row[9].as<long long>());
  t.deadline = optional_time(row[10]);
  t.deadline_estimate = !row[11].is_null() && row[11].as<bool>();
  t.status = row[12].as<std::string>();
  t.attempts = row[13].as<int>();
  t.next_attempt_at = from_ms(row[14].as<long long>());
  t.last_error = optional_text(row[15]);
  if (!row[16].is_null()) t.last_status = row[16].as<int>();
  t.delivered_at = optional_time(row[17]);
  return t;
}

}  // namespace

// ---- runs ---------------------------------------------------------------------------------------

StartedRun RefreshStore::start_run(const std::string& requested_by,
                                   std::optional<TimePoint> scheduled_for,
                                   const std::string& rule_set) {
  const auto slot = nullable(scheduled_for ? std::optional(to_ms(*scheduled_for)) : std::nullopt);
  for (int attempt = 0; attempt < 3; ++attempt) {
    pqxx::work txn(connection_, "tekser_start_run");
    // Serialises run creation among replicas; readers are not blocked.
    txn.exec("SELECT pg_advisory_xact_lock(hashtext('tekser_refresh_start'))");
    if (scheduled_for) {
      auto existing = txn.exec_params(std::string("SELECT ") + kRunColumns +
                                          " FROM refresh_runs WHERE scheduled_for = "
                                          "tekser_ms_to_ts($1::bigint)",
                                      slot.get());
      if (!existing.empty()) return {run_of(existing[0]), false};
    }
    auto running = txn.exec(std::string("SELECT ") + kRunColumns +
                            " FROM refresh_runs WHERE status = 'running'");
    if (!running.empty()) return {run_of(running[0]), false};
    auto row = txn.exec_params1(
        std::string("INSERT INTO refresh_runs (requested_by, scheduled_for, status, rule_set, "
                    "total, created_at) VALUES ($1, tekser_ms_to_ts($2::bigint), 'running', $3, "
                    "(SELECT count(*) FROM suppliers), now()) RETURNING ") +
            kRunColumns,
        requested_by, slot.get(), rule_set);
    auto run = run_of(row);
    txn.exec_params(
        "INSERT INTO refresh_items (run_id, supplier_id, state) "
        "SELECT $1, id, 'pending' FROM suppliers",
        run.id);
    txn.commit();
    return {std::move(run), true};
  }
  throw std::runtime_error("start_run: could not create a run");
}

std::optional<RefreshRun> RefreshStore::find_run(long long id) {
  pqxx::read_transaction txn(connection_, "tekser_find_run");
  auto rows = txn.exec_params(
      std::string("SELECT ") + kRunColumns + " FROM refresh_runs WHERE id = $1", id);
  if (rows.empty()) return std::nullopt;
  return run_of(rows[0]);
}

std::optional<RefreshRun> RefreshStore::running_run() {
  pqxx::read_transaction txn(connection_, "tekser_running_run");
  auto rows = txn.exec(std::string("SELECT ") + kRunColumns +
                       " FROM refresh_runs WHERE status = 'running'");
  if (rows.empty()) return std::nullopt;
  return run_of(rows[0]);
}

std::vector<RefreshRun> RefreshStore::recent_runs(int limit) {
  pqxx::read_transaction txn(connection_, "tekser_recent_runs");
  std::vector<RefreshRun> out;
  for (const auto& row : txn.exec_params(
           std::string("SELECT ") + kRunColumns + " FROM refresh_runs ORDER BY id DESC LIMIT $1",
           limit))
    out.push_back(run_of(row));
  return out;
}

RunProgress RefreshStore::progress(long long run_id) {
  pqxx::read_transaction txn(connection_, "tekser_run_progress");
  auto runs = txn.exec_params(
      std::string("SELECT ") + kRunColumns + " FROM refresh_runs WHERE id = $1", run_id);
  if (runs.empty()) throw std::invalid_argument("no refresh run " + std::to_string(run_id));
  RunProgress p;
  p.run = run_of(runs[0]);
  // One pass over the run's items, grouped by state and by the whole set of outcomes: a run has
  // few distinct sets, so this is a handful of rows to add up here, where expanding every item's
  // outcomes in SQL (jsonb_each_text) cost twice the time at 100 000 items — and operators'
  // progress bars and /metrics ask for it every second or two.
  for (const auto& row :
       txn.exec_params("SELECT state, outcomes::text, count(*), coalesce(sum(triggers), 0) "
                       "FROM refresh_items WHERE run_id = $1 GROUP BY state, outcomes",
                       run_id)) {
    const auto state = row[0].as<std::string>();
    const int n = row[2].as<int>();
    if (state == "pending") p.pending += n;
    if (state == "leased") p.leased += n;
    if (state == "done") p.done += n;
    if (state == "failed") p.failed += n;
    p.triggers += row[3].as<int>();
    const auto outcomes = json::parse(row[1].c_str());
    for (const auto& [system, outcome] : outcomes.as_object())
      if (outcome.is_string()) p.outcomes[system][std::string(outcome.as_string())] += n;
  }
  const auto recent = txn.exec_params1(
      "SELECT count(*) FROM refresh_items WHERE run_id = $1 AND finished_at > now() - interval "
      "'60 seconds'",
      run_id);
  // Over the last minute, or since the run began when it is younger than that.
  const auto age = txn.exec_params1(
      "SELECT extract(epoch FROM now() - created_at) FROM refresh_runs WHERE id = $1", run_id);
  const double window = std::clamp(age[0].as<double>(), 1.0, 60.0);
  p.rate_per_second = recent[0].as<double>() / window;
  const int remaining = p.pending + p.leased;
  if (p.run.status == "running" && p.rate_per_second > 0)
    p.eta = std::chrono::seconds(static_cast<long long>(remaining / p.rate_per_second + 0.5));
  return p;
}

bool RefreshStore::finish_if_complete(long long run_id) {
  pqxx::work txn(connection_, "tekser_finish_run");
  txn.exec_params(
      "WITH open AS (SELECT 1 FROM refresh_items WHERE run_id = $1 AND state IN ('pending', "
      "'leased') LIMIT 1) "
      "UPDATE refresh_runs SET status = 'done', finished_at = now() "
      "WHERE id = $1 AND status = 'running' AND NOT EXISTS (SELECT 1 FROM open) "
      "RETURNING id",
      run_id);
  auto status = txn.exec_params1("SELECT status FROM refresh_runs WHERE id = $1", run_id);
  txn.commit();
  return status[0].as<std::string>() != "running";
}

bool RefreshStore::cancel_run(long long run_id) {
  pqxx::work txn(connection_, "tekser_cancel_run");
  auto rows = txn.exec_params(
      "UPDATE refresh_runs SET status = 'cancelled', finished_at = now() "
      "WHERE id = $1 AND status = 'running' RETURNING id",
      run_id);
  txn.commit();
  return !rows.empty();
}

void RefreshStore::save_mirror_page(long long run_id, const std::string& message_id,
                                    const std::vector<MirrorRow>& rows) {
  if (rows.empty()) return;
  params::ArrayLiteral positions, subjects, entries;
  for (const auto& row : rows) {
    positions.number(row.position);
    subjects.text(row.subject);
    entries.text(row.entry);
  }
  pqxx::work txn(connection_, "tekser_mirror_page");
  params::exec_prepared(
      txn, "tekser_mirror_page",
      "INSERT INTO register_mirror_pages (message_id, position, run_id, subject, entry) "
      "SELECT $1, p.position, $2, p.subject, p.entry::jsonb "
      "FROM unnest($3::bigint[], $4::text[], $5::text[]) AS p(position, subject, entry)",
      message_id, run_id, positions.str(), subjects.str(), entries.str());
  txn.commit();
}

void RefreshStore::finish_mirror(pqxx::work& txn, long long run_id, const std::string& system,
                                 const std::string& message_id, const json::object& status,
                                 bool keep_entries) {
  txn.exec_params(
      "UPDATE refresh_runs SET mirrors = jsonb_set(mirrors, ARRAY[$2::text], $3::jsonb) "
      "WHERE id = $1",
      run_id, system, json::serialize(status));
  txn.exec_params("DELETE FROM register_mirror_entries WHERE run_id = $1 AND system = $2", run_id,
                  system);
  if (keep_entries)
    txn.exec_params(
        "INSERT INTO register_mirror_entries (run_id, system, subject, entries) "
        "SELECT $1, $2, subject, jsonb_agg(entry ORDER BY position) FROM register_mirror_pages "
        "WHERE message_id = $3 AND subject ~ '^[0-9]{12}$' GROUP BY subject",
        run_id, system, message_id);
  txn.exec_params(
      "DELETE FROM register_mirror_pages WHERE message_id = $1 OR run_id NOT IN "
      "(SELECT id FROM refresh_runs WHERE status = 'running')",
      message_id);
}

void RefreshStore::save_mirror(long long run_id, const std::string& system,
                               const json::object& status,
                               const std::map<std::string, json::array>& entries_by_subject) {
  const std::string message_id = "save-mirror-" + std::to_string(run_id) + "-" + system;
  std::vector<MirrorRow> rows;
  for (const auto& [subject, entries] : entries_by_subject)
    for (const auto& entry : entries)
      rows.push_back({static_cast<long long>(rows.size()), subject, json::serialize(entry)});
  save_mirror_page(run_id, message_id, rows);
  pqxx::work txn(connection_, "tekser_save_mirror");
  finish_mirror(txn, run_id, system, message_id, status, true);
  txn.commit();
}

MirrorOfSubject RefreshStore::mirror_of(pqxx::work& txn, long long run_id,
                                        const std::string& system, const std::string& subject) {
  auto of = mirror_of(txn, run_id, system, std::vector<std::string>{subject});
  return std::move(of[subject]);
}

std::map<std::string, MirrorOfSubject> RefreshStore::mirror_of(
    pqxx::work& txn, long long run_id, const std::string& system,
    const std::vector<std::string>& subjects) {
  // The run's status of the mirror and each subject's entries in one round trip (a refresh item
  // asks this for every supplier).
  auto rows = params::exec_prepared(
      txn, "tekser_mirror_of",
      // A lookup by key per subject, which the LIMIT keeps from being folded into a join: a
      // generic plan made while the table was small read all of the run's entries to find one
      // (auto_explain: 218 rows for 1).
      "SELECT (r.mirrors -> $2)::text, s.subject, e.entries::text FROM refresh_runs r "
      "CROSS JOIN unnest($3::text[]) AS s(subject) "
      "LEFT JOIN LATERAL (SELECT entries FROM register_mirror_entries "
      "  WHERE run_id = r.id AND system = $2 AND subject = s.subject LIMIT 1) e ON true "
      "WHERE r.id = $1",
      run_id, system, params::text_array(subjects));
  std::map<std::string, MirrorOfSubject> out;
  for (const auto& subject : subjects) out[subject];  // each asked, listed or not
  for (const auto& row : rows) {
    auto& of = out[row[1].as<std::string>()];
    if (!row[0].is_null()) of.status = json::parse(row[0].c_str()).as_object();
    if (!row[2].is_null()) of.entries = json::parse(row[2].c_str()).as_array();
  }
  return out;
}

// ---- items --------------------------------------------------------------------------------------

std::vector<LeasedItem> RefreshStore::lease_items(long long run_id, const std::string& owner,
                                                  milliseconds lease, int limit) {
  pqxx::work txn(connection_, "tekser_lease_items");
  std::vector<LeasedItem> out;
  for (const auto& row : txn.exec_params(
           "UPDATE refresh_items i SET state = 'leased', lease_owner = $2, "
           "lease_until = now() + $3::bigint * interval '1 millisecond', leases = i.leases + 1 "
           "FROM (SELECT run_id, supplier_id FROM refresh_items "
           "      WHERE run_id = $1 AND (state = 'pending' OR (state = 'leased' AND lease_until < "
           "now())) "
           "      AND EXISTS (SELECT 1 FROM refresh_runs r WHERE r.id = $1 AND r.status = "
           "'running') "
           "      ORDER BY supplier_id LIMIT $4 FOR UPDATE SKIP LOCKED) AS picked "
           "WHERE i.run_id = picked.run_id AND i.supplier_id = picked.supplier_id "
           "RETURNING i.run_id, i.supplier_id, i.attempts, i.leases",
           run_id, owner, static_cast<long long>(lease.count()), limit))
    out.push_back(
        {row[0].as<long long>(), row[1].as<std::string>(), row[2].as<int>(), row[3].as<int>()});
  txn.commit();
  return out;
}

std::set<std::string> RefreshStore::complete_items(pqxx::work& txn,
                                                   const std::vector<CompletedItem>& items,
                                                   const std::string& owner) {
  std::set<std::string> done;
  if (items.empty()) return done;
  params::ArrayLiteral supplier, outcomes, triggers;
  for (const auto& item : items) {
    supplier.text(item.item.supplier_id);
    outcomes.text(json::serialize(item.outcomes));
    triggers.number(item.triggers);
  }
  for (const auto& row : params::exec_prepared(
           txn, "tekser_complete_items",
           // Each item found by its key (a lookup per item, which the LIMIT keeps from being
           // folded into a join: a generic plan made while the table was small scanned every
           // open item of the run), then updated by its row id.
           "WITH mine AS ("
           "  SELECT d.outcomes, d.triggers, k.row_id FROM unnest($2::text[], $3::text[],"
           "   $4::integer[]) AS d(supplier_id, outcomes, triggers)"
           "  CROSS JOIN LATERAL (SELECT ctid AS row_id FROM refresh_items"
           "   WHERE run_id = $1 AND supplier_id = d.supplier_id AND state = 'leased'"
           "    AND lease_owner = $5 LIMIT 1) k)"
           " UPDATE refresh_items i SET state = 'done', lease_owner = NULL, lease_until = NULL,"
           " done_by = i.lease_owner, finished_at = now(), last_error = NULL,"
           " outcomes = m.outcomes::jsonb,"
           " triggers = m.triggers"
           " FROM mine m WHERE i.ctid = m.row_id AND i.state = 'leased' AND i.lease_owner = $5"
           " RETURNING i.supplier_id",
           items.front().item.run_id, supplier.str(), outcomes.str(), triggers.str(), owner))
    done.insert(row[0].as<std::string>());
  return done;
}

bool RefreshStore::complete_item(pqxx::work& txn, const LeasedItem& item, const std::string& owner,
                                 const json::object& outcomes, int triggers) {
  return complete_items(txn, {{item, outcomes, triggers}}, owner).contains(item.supplier_id);
}

void RefreshStore::release_item(const LeasedItem& item, const std::string& owner,
                                const std::string& error, int max_attempts) {
  pqxx::work txn(connection_, "tekser_release_item");
  txn.exec_params(
      "UPDATE refresh_items SET lease_owner = NULL, lease_until = NULL, last_error = $4, "
      "attempts = attempts + 1, "
      "state = CASE WHEN attempts + 1 >= $5 THEN 'failed' ELSE 'pending' END, "
      "finished_at = CASE WHEN attempts + 1 >= $5 THEN now() ELSE NULL END "
      "WHERE run_id = $1 AND supplier_id = $2 AND state = 'leased' AND lease_owner = $3",
      item.run_id, item.supplier_id, owner, error, max_attempts);
  txn.commit();
}

// ---- trigger state and outbox -------------------------------------------------------------------

std::optional<json::value> RefreshStore::lock_trigger_state(pqxx::work& txn,
                                                            const std::string& supplier_id) {
  auto states = lock_trigger_states(txn, {supplier_id});
  if (states.empty()) return std::nullopt;
  return std::move(states.begin()->second);
}

std::map<std::string, json::value> RefreshStore::lock_trigger_states(
    pqxx::work& txn, const std::vector<std::string>& supplier_ids) {
  std::map<std::string, json::value> out;
  // In the order of the ids, as the supplier rows were locked (Store::record_verifications).
  for (const auto& row :
       params::exec_prepared(txn, "tekser_lock_trigger_states",
                             "SELECT supplier_id, state::text FROM supplier_trigger_state "
                             "WHERE supplier_id = ANY ($1::text[]) ORDER BY supplier_id FOR UPDATE",
                             params::text_array(supplier_ids)))
    out[row[0].as<std::string>()] = json::parse(row[1].c_str());
  return out;
}

void RefreshStore::save_trigger_states(pqxx::work& txn,
                                       const std::map<std::string, json::value>& states) {
  if (states.empty()) return;
  params::ArrayLiteral ids, texts;
  for (const auto& [id, state] : states) {
    ids.text(id);
    texts.text(json::serialize(state));
  }
  params::exec_prepared(
      txn, "tekser_save_trigger_states",
      "INSERT INTO supplier_trigger_state (supplier_id, state, updated_at) "
      "SELECT supplier_id, state::jsonb, now() FROM unnest($1::text[], $2::text[]) "
      "AS t(supplier_id, state) "
      "ON CONFLICT (supplier_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()",
      ids.str(), texts.str());
}

void RefreshStore::save_trigger_state(pqxx::work& txn, const std::string& supplier_id,
                                      const json::value& state) {
  save_trigger_states(txn, {{supplier_id, state}});
}

long long RefreshStore::enqueue_trigger(pqxx::work& txn, const NewTrigger& trigger,
                                        const std::function<std::string(long long)>& body_of) {
  // The pull API pages by cursor (GET /v1/triggers?after=), so cursors must become visible in
  // their order: were a cursor taken by a transaction that commits after a later cursor's, a
  // reader that saw the later one would page past it for good. Writers of the outbox take
  // turns from here to their commit (the lock is released after the commit is visible).
  txn.exec("SELECT pg_advisory_xact_lock(hashtext('tekser_outbox_cursor'))");
  // The row is created if needed and locked; its counter gives the next sequence.
  auto row = txn.exec_params1(
      "INSERT INTO supplier_trigger_state (supplier_id, state, last_sequence, updated_at) "
      "VALUES ($1, '{}'::jsonb, 1, now()) "
      "ON CONFLICT (supplier_id) DO UPDATE SET last_sequence = "
      "supplier_trigger_state.last_sequence + 1, updated_at = now() "
      "RETURNING last_sequence",
      trigger.supplier_id);
  const long long sequence = row[0].as<long long>();
  const auto run = nullable(trigger.run_id);
  const auto deadline = nullable(trigger.deadline ? std::optional(to_ms(*trigger.deadline))
                                                  : std::optional<long long>());
  const auto estimate =
      nullable(trigger.deadline ? std::optional(std::string(trigger.deadline_estimate ? "t" : "f"))
                                : std::optional<std::string>());
  txn.exec_params(
      "INSERT INTO triggers (id, supplier_id, sequence, kind, body, rule_set, run_id, created_at, "
      "data_received_at, deadline, deadline_estimate, status, next_attempt_at) "
      "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::bigint, now(), tekser_ms_to_ts($8::bigint), "
      "tekser_ms_to_ts($9::bigint), $10::boolean, 'pending', now())",
      trigger.id, trigger.supplier_id, sequence, trigger.kind, body_of(sequence), trigger.rule_set,
      run.get(), to_ms(trigger.data_received_at), deadline.get(), estimate.get());
  return sequence;
}

// ---- delivery -----------------------------------------------------------------------------------

std::vector<TriggerRow> RefreshStore::lease_deliveries(const std::string& owner, milliseconds lease,
                                                       int limit) {
  pqxx::work txn(connection_, "tekser_lease_deliveries");
  std::vector<TriggerRow> out;
  for (const auto& row : txn.exec_params(
           std::string("UPDATE triggers t SET lease_owner = $1, "
                       "lease_until = now() + $2::bigint * interval '1 millisecond' "
                       "FROM (SELECT c.id AS picked_id FROM triggers c "
                       "      WHERE c.status = 'pending' AND c.next_attempt_at <= now() "
                       "      AND (c.lease_until IS NULL OR c.lease_until < now()) "
                       // Per-supplier order: nothing earlier of the same supplier is still
                       // pending. A dead letter does not hold the rest back (contracts/portal:
                       // the portal takes a lower sequence replayed later as stale).
                       "      AND NOT EXISTS (SELECT 1 FROM triggers e WHERE e.supplier_id = "
                       "c.supplier_id AND e.sequence < c.sequence AND e.status = 'pending') "
                       "      ORDER BY c.cursor LIMIT $3 FOR UPDATE SKIP LOCKED) AS picked "
                       "WHERE t.id = picked.picked_id RETURNING ") +
               kTriggerColumns,
           owner, static_cast<long long>(lease.count()), limit))
    out.push_back(trigger_of(row));
  txn.commit();
  return out;
}

bool RefreshStore::mark_delivered(const std::string& id, const std::string& owner,
                                  int http_status) {
  pqxx::work txn(connection_, "tekser_mark_delivered");
  auto rows = txn.exec_params(
      "UPDATE triggers SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, "
      "last_status = $3, last_error = NULL, lease_owner = NULL, lease_until = NULL "
      "WHERE id = $1::uuid AND status = 'pending' AND lease_owner = $2 RETURNING 1",
      id, owner, http_status);
  txn.commit();
  return !rows.empty();
}

bool RefreshStore::mark_failed(const std::string& id, const std::string& owner,
                               const std::string& error, std::optional<int> http_status,
                               TimePoint next_attempt_at, bool dead) {
  pqxx::work txn(connection_, "tekser_mark_failed");
  const auto status = nullable(http_status);
  auto rows = txn.exec_params(
      "UPDATE triggers SET attempts = attempts + 1, last_error = $3, last_status = $4::integer, "
      "next_attempt_at = tekser_ms_to_ts($5::bigint), status = CASE WHEN $6 THEN 'dead' ELSE "
      "'pending' END, lease_owner = NULL, lease_until = NULL "
      "WHERE id = $1::uuid AND status = 'pending' AND lease_owner = $2 RETURNING 1",
      id, owner, error, status.get(), to_ms(next_attempt_at), dead);
  txn.commit();
  return !rows.empty();
}

bool RefreshStore::replay(const std::string& id) {
  pqxx::work txn(connection_, "tekser_replay_trigger");
  auto rows = txn.exec_params(
      "UPDATE triggers SET status = 'pending', attempts = 0, next_attempt_at = now(), "
      "lease_owner = NULL, lease_until = NULL WHERE id = $1::uuid AND status = 'dead' RETURNING 1",
      id);
  txn.commit();
  return !rows.empty();
}

std::vector<TriggerRow> RefreshStore::triggers(const TriggerFilter& filter) {
  pqxx::read_transaction txn(connection_, "tekser_list_triggers");
  const auto supplier = nullable(filter.supplier_id);
  const auto status = nullable(filter.status);
  const auto kind = nullable(filter.kind);
  std::vector<TriggerRow> out;
  for (const auto& row :
       txn.exec_params(std::string("SELECT ") + kTriggerColumns +
                           " FROM triggers WHERE cursor > $1 "
                           "AND ($2::text IS NULL OR supplier_id = $2) "
                           "AND ($3::text IS NULL OR status = $3) "
                           "AND ($4::text IS NULL OR kind = $4) "
                           "AND (NOT $5 OR (status <> 'delivered' AND deadline < now())) "
                           "ORDER BY cursor LIMIT $6",
                       filter.after, supplier.get(), status.get(), kind.get(), filter.overdue_only,
                       filter.limit))
    out.push_back(trigger_of(row));
  return out;
}

std::optional<TriggerRow> RefreshStore::find_trigger(const std::string& id) {
  pqxx::read_transaction txn(connection_, "tekser_find_trigger");
  auto rows = txn.exec_params(
      std::string("SELECT ") + kTriggerColumns + " FROM triggers WHERE id::text = $1", id);
  if (rows.empty()) return std::nullopt;
  return trigger_of(rows[0]);
}

TriggerCounts RefreshStore::trigger_counts() {
  pqxx::read_transaction txn(connection_, "tekser_trigger_counts");
  auto row = txn.exec1(
      "SELECT count(*) FILTER (WHERE status = 'pending'), "
      "count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE status = 'dead'), "
      "count(*) FILTER (WHERE status <> 'delivered' AND deadline < now()) FROM triggers");
  return {row[0].as<int>(), row[1].as<int>(), row[2].as<int>(), row[3].as<int>()};
}

}  // namespace tekser::store

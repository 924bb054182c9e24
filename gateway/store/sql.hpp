// Every SQL statement of the store, in one place. Internal to store.cpp.
//
// All statements take their data as parameters ($1, $2, ...), never spliced into the text.
// Timestamps travel as epoch milliseconds (bigint) through tekser_ms_to_ts / tekser_ts_to_ms
// (migrations/0001_init.sql), which are exact to the millisecond. JSON values travel as text and
// are cast to jsonb, so comparisons are semantic (key order, number spelling and whitespace do
// not matter).
#pragma once

namespace tekser::store::sql {

// --- Migrations -------------------------------------------------------------------------------

// Serialises migrate() across replicas (one key per schema, so that separate schemas in one
// database do not wait for each other). Released at the end of the transaction.
inline constexpr const char* kMigrationLock =
    "SELECT pg_advisory_xact_lock(hashtext('tekser.store.migrate'), "
    "hashtext(coalesce(current_schema(), '')))";

inline constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

inline constexpr const char* kAppliedMigrations = "SELECT version FROM schema_migrations";

inline constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

// --- Suppliers --------------------------------------------------------------------------------

// $1 id, $2 subject_kind, $3 categories as a JSON array of strings, $4 consent token,
// $5 consent key (both NULL without consent), $6 created_at ms, $7 updated_at ms (NULL: now()),
// $8 services as a JSON array of strings (NULL: not said). created_at is kept on update.
// Returns whether the row was inserted (xmax is 0 only then).
inline constexpr const char* kUpsertSupplier =
    "INSERT INTO suppliers (id, subject_kind, categories, consent_kdp_token, consent_public_key,"
    " created_at, updated_at, services)"
    " VALUES ($1, $2,"
    "  ARRAY(SELECT c FROM jsonb_array_elements_text($3::jsonb) WITH ORDINALITY AS t(c, n)"
    "        ORDER BY n),"
    "  $4, $5, coalesce(tekser_ms_to_ts($6::bigint), now()),"
    "  coalesce(tekser_ms_to_ts($7::bigint), now()),"
    "  CASE WHEN $8::jsonb IS NULL THEN NULL ELSE"
    "   ARRAY(SELECT c FROM jsonb_array_elements_text($8::jsonb) WITH ORDINALITY AS t(c, n)"
    "         ORDER BY n) END)"
    " ON CONFLICT (id) DO UPDATE SET"
    "  subject_kind = excluded.subject_kind,"
    "  categories = excluded.categories,"
    "  consent_kdp_token = excluded.consent_kdp_token,"
    "  consent_public_key = excluded.consent_public_key,"
    "  updated_at = excluded.updated_at,"
    "  services = excluded.services"
    " RETURNING (xmax = 0) AS created";

inline constexpr const char* kFindSupplier =
    "SELECT id, subject_kind, array_to_json(categories)::text, consent_kdp_token,"
    " consent_public_key, tekser_ts_to_ms(created_at), tekser_ts_to_ms(updated_at),"
    " tekser_ts_to_ms(last_verified_at), array_to_json(services)::text"
    " FROM suppliers WHERE id = $1";

// Locks the supplier rows for the rest of the transaction, which serialises concurrent
// verifications of one supplier; several suppliers (a refresh commits a batch of items together)
// are locked in the order of their ids, so two writers never wait for each other in a circle.
// Never moves last_verified_at backwards. $1 ids, $2 each one's verification time ms (NULL:
// now()), aligned. Returns each id found with that time in ms.
//
// It also sets plan_cache_mode to force_generic_plan for the rest of the transaction (SET LOCAL,
// without a round trip of its own): PostgreSQL would otherwise plan the multi-row statements
// below anew on every call, its custom plans for the arrays at hand looking cheaper than the
// cached generic one, and that planning costs more than running them (0.80 against 0.34 ms for
// kRecordExchanges, measured with pgbench). Every statement of a verification's transaction is
// a lookup by key, for which the generic plan is the right one.
//
// And it sets enable_seqscan off likewise: a generic plan is made once per connection, with the
// table sizes of that moment, and kept until the next ANALYZE. Made while the audit log was
// small, it hashed the whole log on every call (a seq scan of every row to complete four), a cost
// that grew with the log until autovacuum came round (auto_explain in a refresh of a new
// database: the statement's seq scans took over half its time). Key lookups want the index at
// any size. For the same reason it turns hash and merge joins off: with a batch of keys in an
// array, a generic plan made while a table was small joined the batch against every row of the
// run's work items or the register's mirror (auto_explain: 218 mirror rows read to find one);
// nested loops look each key up.
inline constexpr const char* kStampVerified =
    "WITH asked AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS t(id, at_ms)),"
    " locked AS ("
    "  SELECT id FROM suppliers WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE)"
    " UPDATE suppliers s SET last_verified_at = greatest(s.last_verified_at,"
    "  tekser_ms_to_ts(coalesce(a.at_ms, tekser_ts_to_ms(now()))))"
    " FROM locked l JOIN asked a ON a.id = l.id"
    " WHERE s.id = l.id AND s.id = ANY ($1::text[])"  // the keys, for the index
    " RETURNING s.id, coalesce(a.at_ms, tekser_ts_to_ms(now())),"
    "  set_config('plan_cache_mode', 'force_generic_plan', true),"
    "  set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true),"
    "  set_config('enable_mergejoin', 'off', true)";

// --- Facts ------------------------------------------------------------------------------------

// The current facts of suppliers: $1 their ids; the supplier's id is the last column. A fact's
// row is written only when its value is new or changes (or a re-derivation restates it); the
// replies that gave the same value again are kept once each in reply_confirmations (migration
// 0190), and the latest of them since the row was written gives the fact its provenance and
// checked_at. The lookup walks the system's replies newest first and stops at the first that
// names the fact: the latest reply, unless that one lacked the fact.
inline constexpr const char* kCurrentFacts =
    "SELECT c.system, c.fact_name, c.value::text, coalesce(r.service_id, c.service_id),"
    " coalesce(r.message_id, c.message_id), coalesce(r.reply_message_id, c.reply_message_id),"
    " tekser_ts_to_ms(coalesce(r.retrieved_at, c.retrieved_at)),"
    " tekser_ts_to_ms(coalesce(r.valid_until, c.valid_until)),"
    " coalesce(r.reply_sha256, c.reply_sha256), tekser_ts_to_ms(c.first_seen_at),"
    " tekser_ts_to_ms(coalesce(r.confirmed_at, c.checked_at)),"
    " CASE WHEN r.id IS NULL THEN c.signature ELSE r.signature END,"
    " CASE WHEN r.id IS NULL THEN c.signer_sha256 ELSE r.signer_sha256 END,"
    " CASE WHEN r.id IS NULL THEN c.signature_algorithm ELSE r.signature_algorithm END"
    ", c.supplier_id"
    " FROM facts_current c"
    " LEFT JOIN LATERAL (SELECT * FROM reply_confirmations r"
    "       WHERE r.supplier_id = c.supplier_id AND r.system = c.system"
    "        AND r.confirmed_at >= c.checked_at AND c.fact_name = ANY (r.fact_names)"
    "       ORDER BY r.confirmed_at DESC, r.id DESC LIMIT 1) r ON true"
    " WHERE c.supplier_id = ANY ($1::text[]) ORDER BY c.supplier_id, c.system, c.fact_name";

// The parameters of the two statements below (Store::record_fact_change, for facts re-derive),
// in this order: $1 supplier, $2 system, $3 fact name, $4 value, $5 service_id, $6 message_id,
// $7 reply_message_id, $8 retrieved_at ms, $9 valid_until ms, $10 reply_sha256, $11 the time it
// was learnt ms, $12 signature, $13 signer_sha256 (NULL unless the signature is valid),
// $14 signature_algorithm (likewise).
inline constexpr const char* kInsertFact =
    "INSERT INTO facts_current (supplier_id, system, fact_name, value, service_id, message_id,"
    " reply_message_id, retrieved_at, valid_until, reply_sha256, first_seen_at, checked_at,"
    " signature, signer_sha256, signature_algorithm)"
    " VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, tekser_ms_to_ts($8::bigint),"
    "  tekser_ms_to_ts($9::bigint), $10, tekser_ms_to_ts($11::bigint),"
    "  tekser_ms_to_ts($11::bigint), $12, $13, $14)";

inline constexpr const char* kChangeFact =
    "UPDATE facts_current SET value = $4::jsonb, service_id = $5, message_id = $6,"
    " reply_message_id = $7, retrieved_at = tekser_ms_to_ts($8::bigint),"
    " valid_until = tekser_ms_to_ts($9::bigint), reply_sha256 = $10,"
    " first_seen_at = tekser_ms_to_ts($11::bigint), checked_at = tekser_ms_to_ts($11::bigint),"
    " signature = $12, signer_sha256 = $13, signature_algorithm = $14"
    " WHERE supplier_id = $1 AND system = $2 AND fact_name = $3";

// $1 supplier, $2 system, $3 fact name, $4 old value (NULL: first observation), $5 new value,
// $6..$11 provenance as above (service_id .. reply_sha256), $12 changed_at ms, $13 signature,
// $14 signer_sha256, $15 signature_algorithm.
inline constexpr const char* kInsertHistory =
    "INSERT INTO fact_history (supplier_id, system, fact_name, old_value, new_value, service_id,"
    " message_id, reply_message_id, retrieved_at, valid_until, reply_sha256, changed_at,"
    " signature, signer_sha256, signature_algorithm, rederivation_id)"
    " VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, tekser_ms_to_ts($9::bigint),"
    "  tekser_ms_to_ts($10::bigint), $11, tekser_ms_to_ts($12::bigint), $13, $14, $15,"
    "  $16::bigint)";

// The facts known at a moment: $1 supplier, $2 the moment ms. Each fact's last change up to
// then, with the provenance of the latest confirmation of that value up to then when there is
// one (else the change's own). The columns of kCurrentFacts, in its order.
inline constexpr const char* kFactsKnownAt =
    "SELECT h.system, h.fact_name, h.new_value::text,"
    " coalesce(c.service_id, h.service_id), coalesce(c.message_id, h.message_id),"
    " coalesce(c.reply_message_id, h.reply_message_id),"
    " tekser_ts_to_ms(coalesce(c.retrieved_at, h.retrieved_at)),"
    " tekser_ts_to_ms(coalesce(c.valid_until, h.valid_until)),"
    " coalesce(c.reply_sha256, h.reply_sha256), tekser_ts_to_ms(h.changed_at),"
    " tekser_ts_to_ms(coalesce(c.confirmed_at, h.changed_at)),"
    " CASE WHEN c.id IS NULL THEN h.signature ELSE c.signature END,"
    " CASE WHEN c.id IS NULL THEN h.signer_sha256 ELSE c.signer_sha256 END,"
    " CASE WHEN c.id IS NULL THEN h.signature_algorithm ELSE c.signature_algorithm END"
    " FROM (SELECT DISTINCT ON (system, fact_name) * FROM fact_history"
    "       WHERE supplier_id = $1 AND changed_at <= tekser_ms_to_ts($2::bigint)"
    "       ORDER BY system, fact_name, changed_at DESC, id DESC) h"
    " LEFT JOIN LATERAL (SELECT * FROM reply_confirmations f"
    "       WHERE f.supplier_id = $1 AND f.system = h.system AND h.fact_name = ANY (f.fact_names)"
    "        AND f.confirmed_at >= h.changed_at AND f.confirmed_at <= tekser_ms_to_ts($2::bigint)"
    "       ORDER BY f.confirmed_at DESC, f.id DESC LIMIT 1) c ON true"
    " ORDER BY h.system, h.fact_name";

// $1 supplier, $2 limit. Newest first.
inline constexpr const char* kHistory =
    "SELECT fact_name, system, old_value::text, new_value::text, service_id, message_id,"
    " reply_message_id, tekser_ts_to_ms(retrieved_at), tekser_ts_to_ms(valid_until),"
    " reply_sha256, tekser_ts_to_ms(changed_at), signature, signer_sha256, signature_algorithm,"
    " rederivation_id FROM fact_history WHERE supplier_id = $1"
    " ORDER BY changed_at DESC, id DESC LIMIT $2";

// Verifications' facts in one statement (issue 16: one round trip for a whole batch of
// suppliers instead of three per fact). One array per column, a row per fact: $1 supplier, $2
// its verification time ms, $3 system, $4 fact name, $5 value (JSON text), $6 service_id,
// $7 message_id, $8 reply_message_id, $9 retrieved_at ms, $10 valid_until ms, $11 reply_sha256,
// $12 signature, $13 signer_sha256, $14 signature_algorithm (both NULL unless the signature is
// valid). A fact named twice for one supplier counts once, by its last row. Each fact is compared
// with the current one (jsonb equality): a new or different value becomes current (first seen
// now) and goes to the history with the value it replaces. A fact with the same value is not
// written at all: the facts of one reply that kept their values make one row of
// reply_confirmations (grouped by the reply's provenance), from which kCurrentFacts and known_at
// take their provenance. All the CTEs read the snapshot from before the statement, so the
// history gets the value that was current until now. The caller has locked the supplier rows
// (kStampVerified), so no other writer of their facts runs meanwhile. Returns, for each supplier
// with a fact changed or confirmed, the number changed and the number confirmed.
inline constexpr const char* kRecordFacts =
    "WITH input AS ("
    "  SELECT DISTINCT ON (supplier_id, system, fact_name) * FROM unnest($1::text[],"
    "   $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
    "   $9::bigint[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::text[])"
    "   WITH ORDINALITY AS t(supplier_id, at_ms, system, fact_name, value, service_id,"
    "   message_id, reply_message_id, retrieved_ms, valid_ms, reply_sha256, signature,"
    "   signer_sha256, signature_algorithm, n)"
    "  ORDER BY supplier_id, system, fact_name, n DESC),"
    " judged AS ("
    "  SELECT i.n, i.supplier_id, tekser_ms_to_ts(i.at_ms) AS at, i.system, i.fact_name,"
    "   i.value::jsonb AS value, c.value AS old_value,"
    "   coalesce(c.value = i.value::jsonb, false) AS same, i.service_id, i.message_id,"
    "   i.reply_message_id, tekser_ms_to_ts(i.retrieved_ms) AS retrieved_at,"
    "   tekser_ms_to_ts(i.valid_ms) AS valid_until, i.reply_sha256, i.signature,"
    "   i.signer_sha256, i.signature_algorithm"
    // A lookup by key per fact, which the LIMIT keeps from being folded into a join: a generic
    // plan made while the table was small could hash all of facts_current on every call (see
    // kStampVerified).
    "  FROM input i LEFT JOIN LATERAL (SELECT value FROM facts_current f"
    "   WHERE f.supplier_id = i.supplier_id AND f.system = i.system"
    "    AND f.fact_name = i.fact_name LIMIT 1) c ON true),"
    " written AS ("
    "  INSERT INTO facts_current (supplier_id, system, fact_name, value, service_id, message_id,"
    "   reply_message_id, retrieved_at, valid_until, reply_sha256, first_seen_at, checked_at,"
    "   signature, signer_sha256, signature_algorithm)"
    "  SELECT supplier_id, system, fact_name, value, service_id, message_id, reply_message_id,"
    "   retrieved_at, valid_until, reply_sha256, at, at, signature, signer_sha256,"
    "   signature_algorithm"
    "  FROM judged WHERE NOT same ORDER BY n"
    "  ON CONFLICT (supplier_id, system, fact_name) DO UPDATE SET"
    "   value = excluded.value, service_id = excluded.service_id,"
    "   message_id = excluded.message_id, reply_message_id = excluded.reply_message_id,"
    "   retrieved_at = excluded.retrieved_at, valid_until = excluded.valid_until,"
    "   reply_sha256 = excluded.reply_sha256, first_seen_at = excluded.first_seen_at,"
    "   checked_at = excluded.checked_at, signature = excluded.signature,"
    "   signer_sha256 = excluded.signer_sha256,"
    "   signature_algorithm = excluded.signature_algorithm"
    "  RETURNING 1),"
    " changed AS ("
    "  INSERT INTO fact_history (supplier_id, system, fact_name, old_value, new_value,"
    "   service_id, message_id, reply_message_id, retrieved_at, valid_until, reply_sha256,"
    "   changed_at, signature, signer_sha256, signature_algorithm)"
    "  SELECT supplier_id, system, fact_name, old_value, value, service_id, message_id,"
    "   reply_message_id, retrieved_at, valid_until, reply_sha256, at, signature,"
    "   signer_sha256, signature_algorithm"
    "  FROM judged WHERE NOT same ORDER BY n RETURNING supplier_id),"
    " confirmed AS ("
    "  INSERT INTO reply_confirmations (supplier_id, system, service_id, message_id,"
    "   reply_message_id, retrieved_at, valid_until, reply_sha256, signature, signer_sha256,"
    "   signature_algorithm, confirmed_at, fact_names)"
    "  SELECT supplier_id, system, service_id, message_id, reply_message_id, retrieved_at,"
    "   valid_until, reply_sha256, signature, signer_sha256, signature_algorithm, at,"
    "   array_agg(fact_name ORDER BY fact_name)"
    "  FROM judged WHERE same"
    "  GROUP BY supplier_id, at, system, service_id, message_id, reply_message_id, retrieved_at,"
    "   valid_until, reply_sha256, signature, signer_sha256, signature_algorithm"
    "  ORDER BY min(n) RETURNING supplier_id, cardinality(fact_names) AS facts)"
    " SELECT supplier_id, sum(changed)::integer, sum(confirmed)::integer FROM ("
    "  SELECT supplier_id, 1 AS changed, 0 AS confirmed FROM changed"
    "  UNION ALL SELECT supplier_id, 0, facts FROM confirmed) counts"
    " GROUP BY supplier_id";

// --- Source status ----------------------------------------------------------------------------

// One answer kept for known_at (facts re-derive restating a source): $1 supplier, $2 system,
// $3 service_id, $4 outcome, $5 cause, $6 error_code, $7 message_id, $8 checked_at ms.
inline constexpr const char* kInsertSourceAnswer =
    "INSERT INTO source_answers (supplier_id, system, service_id, outcome, cause, error_code,"
    " message_id, checked_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, tekser_ms_to_ts($8::bigint))";

// Verifications' answers in one statement: every one kept in source_answers, the last of each
// supplier's system made its source_status (last_data_at becomes the time on data and is kept
// otherwise). One array per column, a row per answer: $1 supplier, $2 its verification time ms,
// $3 system, $4 service_id, $5 outcome, $6 cause, $7 error_code, $8 message_id.
inline constexpr const char* kRecordSourceAnswers =
    "WITH input AS ("
    "  SELECT supplier_id, tekser_ms_to_ts(at_ms) AS at, system, service_id, outcome, cause,"
    "   error_code, message_id, n"
    "  FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],"
    "   $7::text[], $8::text[]) WITH ORDINALITY AS t(supplier_id, at_ms, system, service_id,"
    "   outcome, cause, error_code, message_id, n)),"
    " kept AS ("
    "  INSERT INTO source_answers (supplier_id, system, service_id, outcome, cause, error_code,"
    "   message_id, checked_at)"
    "  SELECT supplier_id, system, service_id, outcome, cause, error_code, message_id, at"
    "  FROM input ORDER BY n RETURNING 1)"
    " INSERT INTO source_status (supplier_id, system, service_id, outcome, cause, error_code,"
    " message_id, checked_at, last_data_at)"
    " SELECT supplier_id, system, service_id, outcome, cause, error_code, message_id, at,"
    "  CASE WHEN outcome = 'data' THEN at END"
    " FROM (SELECT DISTINCT ON (supplier_id, system) * FROM input"
    "       ORDER BY supplier_id, system, n DESC) last"
    " ON CONFLICT (supplier_id, system) DO UPDATE SET"
    "  service_id = excluded.service_id,"
    "  outcome = excluded.outcome,"
    "  cause = excluded.cause,"
    "  error_code = excluded.error_code,"
    "  message_id = excluded.message_id,"
    "  checked_at = excluded.checked_at,"
    "  last_data_at = coalesce(excluded.last_data_at, source_status.last_data_at)";

// Each source's last answer up to a moment: $1 supplier, $2 the moment ms. The columns of
// kSourceStatuses, in its order (last_data_at: the last data up to then).
inline constexpr const char* kSourceAnswersKnownAt =
    "SELECT DISTINCT ON (a.system) a.system, a.service_id, a.outcome, a.cause, a.error_code,"
    " a.message_id, tekser_ts_to_ms(a.checked_at),"
    " (SELECT tekser_ts_to_ms(max(d.checked_at)) FROM source_answers d"
    "   WHERE d.supplier_id = $1 AND d.system = a.system AND d.outcome = 'data'"
    "    AND d.checked_at <= tekser_ms_to_ts($2::bigint))"
    " FROM source_answers a"
    " WHERE a.supplier_id = $1 AND a.checked_at <= tekser_ms_to_ts($2::bigint)"
    " ORDER BY a.system, a.checked_at DESC, a.id DESC";

// The sources' last answers about suppliers: $1 their ids; the supplier's id is the last column.
inline constexpr const char* kSourceStatuses =
    "SELECT system, service_id, outcome, cause, error_code, message_id,"
    " tekser_ts_to_ms(checked_at), tekser_ts_to_ms(last_data_at), supplier_id"
    " FROM source_status WHERE supplier_id = ANY ($1::text[]) ORDER BY supplier_id, system";

// --- Message log ------------------------------------------------------------------------------

// A verification's exchanges in one statement: each logged, and its audit row completed in the
// same write (the row opened `pending` or marked `interrupted` before the request left, which
// then leaves audit_unfinished: migration 0210), or
// appended complete when the exchange has none; a complete row is left as it is
// (audit_store.cpp's kCompleteAudit, for many rows). One array per column, a row per exchange:
// $1 message_id, $2 supplier, $3 system, $4 service_id, $5 endpoint, $6 request, $7 response,
// $8 http_status, $9 outcome, $10 cause, $11 reply_sha256 (NULL: no reply), $12 started_at ms,
// $13 duration_ms, $14 signature, $15 signer_sha256 (NULL when no certificate was found),
// $16 signature_algorithm (NULL when no signature was found), then the audit's: $17 asked_at
// ms, $18 consent_sha256 (NULL: none), and $19 client, $20 purpose, $21 related subject (NULL:
// none), $22 request_id (NULL: none), the same for every row.
inline constexpr const char* kRecordExchanges =
    "WITH input AS ("
    "  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
    "   $6::text[], $7::text[], $8::integer[], $9::text[], $10::text[], $11::text[],"
    "   $12::bigint[], $13::integer[], $14::text[], $15::text[], $16::text[], $17::bigint[],"
    "   $18::text[]) WITH ORDINALITY AS t(message_id, supplier_id, system, service_id,"
    "   endpoint, request_body, response_body, http_status, outcome, cause, reply_sha256,"
    "   started_ms, duration_ms, signature, signer_sha256, signature_algorithm, asked_ms,"
    "   consent_sha256, n)),"
    " logged AS ("
    "  INSERT INTO message_log (message_id, supplier_id, system, service_id, endpoint,"
    "   request_body, response_body, http_status, outcome, cause, reply_sha256, started_at,"
    "   duration_ms, signature, signer_sha256, signature_algorithm, request_id)"
    "  SELECT message_id, supplier_id, system, service_id, endpoint, request_body,"
    "   response_body, http_status, outcome, cause, reply_sha256, tekser_ms_to_ts(started_ms),"
    "   duration_ms, signature, signer_sha256, signature_algorithm, $22::text"
    "  FROM input ORDER BY n"
    "  RETURNING 1),"
    " done AS ("
    "  UPDATE audit_log a SET outcome = i.outcome, reply_sha256 = i.reply_sha256,"
    "   finished_at = now()"
    "  FROM input i WHERE a.system = i.system AND a.message_id = i.message_id"
    "   AND a.outcome IN ('pending', 'interrupted') RETURNING a.id, a.system, a.message_id),"
    " finished AS (DELETE FROM audit_unfinished WHERE audit_id IN (SELECT id FROM done))"
    " INSERT INTO audit_log (asked_at, client, subject, related_subject, system, service_id,"
    " message_id, purpose, consent_sha256, outcome, reply_sha256, finished_at, request_id)"
    " SELECT tekser_ms_to_ts(i.asked_ms), $19::text, i.supplier_id, $21::text, i.system,"
    "  i.service_id, i.message_id, $20::text, i.consent_sha256, i.outcome, i.reply_sha256, now(),"
    "  $22::text"
    " FROM input i"
    " WHERE NOT EXISTS (SELECT 1 FROM done d"
    "   WHERE d.system = i.system AND d.message_id = i.message_id)"
    // A plain NOT EXISTS (the empty message id inside it, not OR'ed outside): with the OR,
    // PostgreSQL hashed the whole audit log on every call instead of probing its index.
    "  AND NOT EXISTS (SELECT 1 FROM audit_log a"
    "   WHERE i.message_id <> '' AND a.system = i.system AND a.message_id = i.message_id)"
    " ORDER BY i.n";

// $1 supplier, $2 limit. Newest first.
inline constexpr const char* kMessages =
    "SELECT message_id, supplier_id, system, service_id, endpoint, request_body, response_body,"
    " http_status, outcome, cause, reply_sha256, tekser_ts_to_ms(started_at), duration_ms,"
    " signature, signer_sha256, signature_algorithm, request_id"
    " FROM message_log WHERE supplier_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2";

}  // namespace tekser::store::sql

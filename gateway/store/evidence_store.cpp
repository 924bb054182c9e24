#include "gateway/store/evidence_store.hpp"

#include <boost/json.hpp>

#include "common/digest/sha256.hpp"
#include "gateway/store/params.hpp"

namespace tekser::store {
namespace {

namespace json = boost::json;
using namespace params;

constexpr const char* kTrigger =
    "SELECT id::text, supplier_id, sequence, kind, status, body, rule_set, run_id,"
    " tekser_ts_to_ms(created_at), tekser_ts_to_ms(data_received_at), tekser_ts_to_ms(deadline),"
    " deadline_estimate, tekser_ts_to_ms(delivered_at)"
    " FROM triggers WHERE id::text = $1";

// The message-log row of a message id: the one whose logged digest is the trigger's when there
// are several (each attempt has its own id, so normally there is one), else the latest.
constexpr const char* kLogged =
    "SELECT id, supplier_id, system, service_id, endpoint, response_body, reply_sha256,"
    " http_status, outcome, cause, tekser_ts_to_ms(started_at), duration_ms, signature,"
    " signer_sha256, signature_algorithm, count(*) OVER ()"
    " FROM message_log WHERE message_id = $1"
    " ORDER BY (reply_sha256 IS NOT DISTINCT FROM $2) DESC, id DESC LIMIT 1";

constexpr const char* kAudited =
    "SELECT subject, client, purpose, outcome, reply_sha256, tekser_ts_to_ms(asked_at)"
    " FROM audit_log WHERE message_id = $1 ORDER BY id LIMIT 1";

constexpr const char* kMirrored =
    "SELECT entries::text FROM register_mirror_entries"
    " WHERE run_id = $1 AND system = $2 AND subject = $3";

std::string member_text(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

LoggedReply logged_of(const pqxx::row& row) {
  LoggedReply r;
  r.log_id = row[0].as<long long>();
  r.subject = row[1].as<std::string>();
  r.system = row[2].as<std::string>();
  r.service_id = row[3].as<std::string>();
  r.endpoint = row[4].as<std::string>();
  if (!row[5].is_null()) {
    r.body = row[5].as<std::string>();
    r.body_sha256 = digest::sha256_hex(*r.body);
  }
  r.logged_sha256 = text_or_empty(row[6]);
  if (!row[7].is_null()) r.http_status = row[7].as<int>();
  r.outcome = row[8].as<std::string>();
  r.cause = row[9].as<std::string>();
  r.started_at = from_ms(row[10].as<long long>());
  r.duration_ms = row[11].as<int>();
  r.signature = row[12].as<std::string>();
  r.signer_sha256 = text_or_empty(row[13]);
  r.signature_algorithm = text_or_empty(row[14]);
  r.log_rows = row[15].as<int>();
  return r;
}

// The reply behind one piece of evidence, or why the log does not hold it.
void find_reply(pqxx::read_transaction& txn, const TriggerEvidence& trigger, EvidenceItem& item) {
  if (item.message_id.empty()) {
    item.absent_code = "no_message_id";
    item.absent_reason = "the trigger names no message id for this evidence";
    return;
  }
  const auto logged =
      txn.exec_params(kLogged, item.message_id, empty_as_null(item.reply_sha256).get());
  if (!logged.empty()) {
    item.reply = logged_of(logged[0]);
    if (!item.reply->body) {
      item.absent_code = "no_body";
      item.absent_reason = "the message log keeps this exchange without a reply body";
    }
    return;
  }
  const auto audited = txn.exec_params(kAudited, item.message_id);
  if (!audited.empty()) {
    AuditedExchange a;
    a.subject = text_or_empty(audited[0][0]);
    a.client = audited[0][1].as<std::string>();
    a.purpose = audited[0][2].as<std::string>();
    a.outcome = audited[0][3].as<std::string>();
    a.reply_sha256 = text_or_empty(audited[0][4]);
    a.asked_at = from_ms(audited[0][5].as<long long>());
    item.absent_code = a.subject.empty() ? "register_mirror" : "not_in_message_log";
    item.absent_reason =
        a.subject.empty()
            ? "the whole register was fetched once for a refresh run; such a fetch is audited "
              "(with the SHA-256 of the register's reply) but its reply is not kept in the "
              "message log"
            : "the message log holds no row for this message id; the exchange's audit row is kept";
    item.audit = std::move(a);
  } else {
    item.absent_code = "not_found";
    item.absent_reason = "neither the message log nor the audit log holds this message id";
  }
  if (trigger.run_id) {
    const auto mirrored =
        txn.exec_params(kMirrored, *trigger.run_id, item.system, trigger.supplier_id);
    if (!mirrored.empty()) {
      json::error_code ec;
      auto entries = json::parse(mirrored[0][0].as<std::string>(), ec);
      if (!ec) item.register_entries = std::move(entries);
    }
  }
}

// The grounds and the evidence as the trigger's document names them.
void read_document(const std::string& body, TriggerEvidence& out) {
  json::error_code ec;
  const auto document = json::parse(body, ec);
  if (ec || !document.is_object()) {
    out.document_problem =
        "the stored document is not a JSON object" + (ec ? ": " + ec.message() : std::string());
    return;
  }
  const auto& doc = document.get_object();
  if (const auto* supplier = doc.if_contains("supplier"); supplier && supplier->is_object())
    out.individual = supplier->get_object().contains("iin");
  out.supersedes = member_text(doc, "supersedes");
  if (const auto* deadlines = doc.if_contains("deadlines"); deadlines && deadlines->is_array())
    out.deadlines = deadlines->get_array();
  if (const auto* grounds = doc.if_contains("grounds"); grounds && grounds->is_array())
    for (const auto& g : grounds->get_array()) {
      if (!g.is_object()) continue;
      const auto& o = g.get_object();
      out.grounds.push_back({member_text(o, "code"), member_text(o, "reference"),
                             member_text(o, "text_ru"), member_text(o, "text_kk"),
                             member_text(o, "reason_ru"), member_text(o, "reason_kk")});
    }
  if (const auto* evidence = doc.if_contains("evidence"); evidence && evidence->is_array())
    for (const auto& e : evidence->get_array()) {
      if (!e.is_object()) continue;
      const auto& o = e.get_object();
      EvidenceItem item;
      item.system = member_text(o, "system");
      item.service_id = member_text(o, "service_id");
      item.message_id = member_text(o, "message_id");
      item.received_at = member_text(o, "received_at");
      item.reply_sha256 = member_text(o, "reply_sha256");
      if (const auto* fact = o.if_contains("fact")) item.fact = *fact;
      out.evidence.push_back(std::move(item));
    }
}

}  // namespace

std::optional<bool> EvidenceItem::sha256_matches() const {
  if (!reply || !reply->body) return std::nullopt;
  return reply->body_sha256 == reply_sha256;
}

std::optional<TriggerEvidence> EvidenceStore::trigger_evidence(const std::string& trigger_id) {
  pqxx::read_transaction txn(connection_, "tekser_trigger_evidence");
  const auto rows = txn.exec_params(kTrigger, trigger_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  TriggerEvidence out;
  out.id = row[0].as<std::string>();
  out.supplier_id = row[1].as<std::string>();
  out.sequence = row[2].as<long long>();
  out.kind = row[3].as<std::string>();
  out.status = row[4].as<std::string>();
  out.rule_set = row[6].as<std::string>();
  if (!row[7].is_null()) out.run_id = row[7].as<long long>();
  out.created_at = from_ms(row[8].as<long long>());
  out.data_received_at = from_ms(row[9].as<long long>());
  if (!row[10].is_null()) out.deadline = from_ms(row[10].as<long long>());
  out.deadline_estimate = !row[11].is_null() && row[11].as<bool>();
  if (!row[12].is_null()) out.delivered_at = from_ms(row[12].as<long long>());
  read_document(row[5].as<std::string>(), out);
  for (auto& item : out.evidence) find_reply(txn, out, item);
  return out;
}

}  // namespace tekser::store

#include "gateway/api/evidence.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "gateway/api/reply.hpp"
#include "gateway/eligibility/eligibility.hpp"

namespace tekser::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using store::EvidenceItem;
using store::TriggerEvidence;

std::string time_text(xsd_time::TimePoint t) {
  return xsd_time::format_datetime(t);
}

json::value text_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::value(text);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The quality the Accept header gives `type` ("text/html"): that of its most specific matching
// range (RFC 9110 §12.5.1); 0 when none matches.
double accept_quality(std::string_view accept, std::string_view type) {
  const auto slash = type.find('/');
  const auto major = type.substr(0, slash);
  int best = -1;
  double quality = 0;
  for (std::size_t start = 0; start <= accept.size();) {
    auto comma = accept.find(',', start);
    if (comma == std::string_view::npos) comma = accept.size();
    auto item = accept.substr(start, comma - start);
    start = comma + 1;
    const auto semicolon = item.find(';');
    const auto range = lower(trim(item.substr(0, semicolon)));
    double q = 1;
    for (auto rest = semicolon == std::string_view::npos ? std::string_view()
                                                         : item.substr(semicolon + 1);
         !rest.empty();) {
      const auto next = rest.find(';');
      const auto parameter = trim(rest.substr(0, next));
      rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
      if (parameter.size() > 2 && (parameter[0] == 'q' || parameter[0] == 'Q') &&
          parameter[1] == '=') {
        try {
          q = std::clamp(std::stod(std::string(parameter.substr(2))), 0.0, 1.0);
        } catch (const std::exception&) {
          q = 0;
        }
      }
    }
    int specificity = -1;
    if (range == type)
      specificity = 2;
    else if (range == std::string(major) + "/*")
      specificity = 1;
    else if (range == "*/*")
      specificity = 0;
    if (specificity > best || (specificity == best && specificity >= 0 && q > quality)) {
      best = specificity;
      quality = q;
    }
  }
  return best < 0 ? 0 : quality;
}

// ---- integrity: do the kept replies match what the trigger recorded? ----

struct Integrity {
  std::string status;  // intact | mismatch | incomplete
  int matching = 0;
  int mismatched = 0;
  int absent = 0;
  std::vector<std::string> problems;
};

// What is wrong with one piece of evidence (empty: nothing).
std::vector<std::string> problems_of(const EvidenceItem& item, std::size_t index) {
  std::vector<std::string> out;
  const auto where = "evidence[" + std::to_string(index) + "] (" + item.system + ", message " +
                     item.message_id + "): ";
  if (item.reply && item.reply->system != item.system)
    out.push_back(where + "the message log files this message id under the system " +
                  item.reply->system + ", not " + item.system);
  if (const auto matches = item.sha256_matches(); matches && !*matches) {
    std::string why = where + "the SHA-256 of the reply as the message log keeps it (" +
                      item.reply->body_sha256 + ") differs from the one the trigger recorded (" +
                      item.reply_sha256 + ")";
    if (item.reply->logged_sha256 == item.reply_sha256)
      why +=
          "; the log's own digest taken at receipt agrees with the trigger, so the bytes kept "
          "are not the bytes received (the log keeps a reply as UTF-8 text: one that was not "
          "valid UTF-8 is kept with its invalid bytes replaced; otherwise the row was altered)";
    else
      why += "; the log recorded " +
             (item.reply->logged_sha256.empty() ? std::string("no digest")
                                                : "the digest " + item.reply->logged_sha256) +
             " at receipt: this row is not the reply the trigger rests on";
    out.push_back(std::move(why));
  }
  return out;
}

Integrity integrity_of(const TriggerEvidence& e) {
  Integrity out;
  for (std::size_t i = 0; i < e.evidence.size(); ++i) {
    const auto& item = e.evidence[i];
    auto problems = problems_of(item, i);
    const auto matches = item.sha256_matches();
    if (!matches)
      ++out.absent;
    else if (*matches && problems.empty())
      ++out.matching;
    else
      ++out.mismatched;
    for (auto& p : problems) out.problems.push_back(std::move(p));
  }
  if (!e.document_problem.empty()) out.problems.push_back(e.document_problem);
  out.status = out.mismatched > 0                                                    ? "mismatch"
               : out.absent > 0 || !e.document_problem.empty() || e.evidence.empty() ? "incomplete"
                                                                                     : "intact";
  return out;
}

const eligibility::RuleSet* rule_set_named(const std::string& id) {
  for (const auto& rules : eligibility::shipped_rule_sets())
    if (rules.id == id) return &rules;
  return nullptr;
}

// ---- JSON ----

json::object signature_json(const EvidenceItem& item) {
  if (!item.reply)
    return {{"status", "not recorded"},
            {"signer_sha256", "not recorded"},
            {"algorithm", "not recorded"}};
  return {{"status", item.reply->signature},
          {"signer_sha256", text_or_null(item.reply->signer_sha256)},
          {"algorithm", text_or_null(item.reply->signature_algorithm)}};
}

json::object reply_json(const EvidenceItem& item) {
  json::object out;
  out["kept"] = item.reply && item.reply->body;
  if (item.reply) {
    const auto& r = *item.reply;
    if (r.body) {
      out["body"] = *r.body;
      out["bytes"] = r.body->size();
      out["sha256"] = r.body_sha256;
      out["sha256_matches"] = *item.sha256_matches();
    }
    out["logged_sha256"] = text_or_null(r.logged_sha256);
    out["message_log_id"] = r.log_id;
    out["message_log_rows"] = r.log_rows;
    out["subject"] = text_or_null(r.subject);
    out["system"] = r.system;
    out["service_id"] = r.service_id;
    out["started_at"] = time_text(r.started_at);
    out["duration_ms"] = r.duration_ms;
    out["http_status"] = r.http_status ? json::value(*r.http_status) : json::value(nullptr);
    out["outcome"] = r.outcome;
    out["cause"] = r.cause;
  }
  if (!item.absent_code.empty())
    out["absent"] = json::object{{"code", item.absent_code}, {"reason", item.absent_reason}};
  if (item.audit) {
    const auto& a = *item.audit;
    out["audit"] =
        json::object{{"subject", text_or_null(a.subject)},
                     {"client", a.client},
                     {"purpose", a.purpose},
                     {"outcome", a.outcome},
                     {"reply_sha256", text_or_null(a.reply_sha256)},
                     {"reply_sha256_matches",
                      a.reply_sha256.empty() ? json::value(nullptr)
                                             : json::value(a.reply_sha256 == item.reply_sha256)},
                     {"asked_at", time_text(a.asked_at)}};
  }
  if (!item.register_entries.is_null()) out["register_entries"] = item.register_entries;
  return out;
}

}  // namespace

bool is_evidence_route(const std::vector<std::string>& segments) {
  return segments.size() == 4 && segments[0] == "v1" && segments[1] == "triggers" &&
         segments[3] == "evidence";
}

std::optional<EvidenceFormat> evidence_format(std::optional<std::string_view> format_param,
                                              std::string_view accept) {
  if (format_param) {
    if (*format_param == "json") return EvidenceFormat::json;
    if (*format_param == "html") return EvidenceFormat::html;
    return std::nullopt;
  }
  return accept_quality(accept, "text/html") > accept_quality(accept, "application/json")
             ? EvidenceFormat::html
             : EvidenceFormat::json;
}

std::optional<std::string> canonical_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::vector<GroundLink> link_grounds(const TriggerEvidence& e) {
  std::vector<std::size_t> all;
  for (std::size_t i = 0; i < e.evidence.size(); ++i) all.push_back(i);
  std::vector<GroundLink> out(e.grounds.size(), GroundLink{all, false});
  const auto* rules = rule_set_named(e.rule_set);
  if (!rules) return out;
  // The trigger's evidence as the only facts known, each source having answered.
  eligibility::Input input;
  input.supplier_id = e.supplier_id;
  input.individual = e.individual;
  input.today = time_text(e.data_received_at).substr(0, 10);
  for (const auto& item : e.evidence) {
    if (!item.fact.is_object()) continue;
    const auto* name = item.fact.get_object().if_contains("name");
    const auto* value = item.fact.get_object().if_contains("value");
    if (!name || !name->is_string() || !value) continue;
    facts::Fact fact;
    fact.name = std::string(name->get_string());
    fact.value = *value;
    fact.provenance.system = item.system;
    fact.provenance.service_id = item.service_id;
    fact.provenance.message_id = item.message_id;
    fact.provenance.reply_sha256 = item.reply_sha256;
    input.facts[{item.system, fact.name}] = std::move(fact);
    input.sources[item.system] = eligibility::SourceState{facts::Outcome::data, ""};
  }
  for (std::size_t g = 0; g < e.grounds.size(); ++g) {
    if (!rules->requirements.contains(e.grounds[g].code)) continue;
    eligibility::RequirementVerdict verdict;
    try {
      verdict = eligibility::evaluate_requirement(*rules, e.grounds[g].code, input);
    } catch (const std::exception&) {
      continue;
    }
    std::vector<std::size_t> linked;
    for (const auto& fact : verdict.evidence)
      for (std::size_t i = 0; i < e.evidence.size(); ++i) {
        const auto* name = e.evidence[i].fact.is_object()
                               ? e.evidence[i].fact.get_object().if_contains("name")
                               : nullptr;
        if (e.evidence[i].system == fact.provenance.system && name && name->is_string() &&
            name->get_string() == fact.name &&
            std::find(linked.begin(), linked.end(), i) == linked.end())
          linked.push_back(i);
      }
    if (linked.empty()) continue;
    std::sort(linked.begin(), linked.end());
    out[g] = GroundLink{std::move(linked), true};
  }
  return out;
}

json::object evidence_json(const TriggerEvidence& e) {
  const auto integrity = integrity_of(e);
  const auto links = link_grounds(e);
  const auto* rules = rule_set_named(e.rule_set);

  json::object supplier{{"id", e.supplier_id}};
  supplier[e.individual ? "iin" : "bin"] = e.supplier_id;
  json::object trigger{
      {"id", e.id},
      {"kind", e.kind},
      {"status", e.status},
      {"supplier", std::move(supplier)},
      {"sequence", e.sequence},
      {"supersedes", text_or_null(e.supersedes)},
      {"run_id", e.run_id ? json::value(*e.run_id) : json::value(nullptr)},
      {"created_at", time_text(e.created_at)},
      {"data_received_at", time_text(e.data_received_at)},
      {"deadline", e.deadline ? json::value(time_text(*e.deadline)) : json::value(nullptr)},
      {"deadline_estimate", e.deadline ? json::value(e.deadline_estimate) : json::value(nullptr)},
      {"deadlines", e.deadlines},
      {"delivered_at",
       e.delivered_at ? json::value(time_text(*e.delivered_at)) : json::value(nullptr)}};

  json::object rule_set{{"id", e.rule_set}, {"known", rules != nullptr}};
  if (rules) {
    rule_set["effective_from"] = rules->effective_from;
    rule_set["legal_basis"] = rules->legal_basis;
    if (rules->triggers) rule_set["triggers_basis"] = rules->triggers->legal_basis;
    // An effective date counted from a publication date not yet confirmed says so (issue 15
    // item 11): the commission sees the assumption its deadlines rest on.
    rule_set["dates_confirmed"] = rules->dates_confirmed();
    if (rules->publication)
      rule_set["publication"] = json::object{{"date", rules->publication->date},
                                             {"source", rules->publication->source},
                                             {"confirmed", rules->publication->confirmed}};
  }

  json::array grounds;
  for (std::size_t g = 0; g < e.grounds.size(); ++g) {
    const auto& ground = e.grounds[g];
    json::array linked;
    for (const auto i : links[g].evidence) linked.push_back(i);
    grounds.push_back(
        json::object{{"code", ground.code},
                     {"reference", text_or_null(ground.reference)},
                     {"text_ru", text_or_null(ground.text_ru)},
                     {"text_kk", text_or_null(ground.text_kk)},
                     {"reason_ru", text_or_null(ground.reason_ru)},
                     {"reason_kk", text_or_null(ground.reason_kk)},
                     {"evidence", std::move(linked)},
                     {"evidence_linked_by", links[g].derived ? "rule_set" : "recorded_together"}});
  }

  json::array evidence;
  for (const auto& item : e.evidence)
    evidence.push_back(json::object{{"system", item.system},
                                    {"service_id", item.service_id},
                                    {"message_id", item.message_id},
                                    {"received_at", item.received_at},
                                    {"fact", item.fact},
                                    {"reply_sha256", item.reply_sha256},
                                    {"reply", reply_json(item)},
                                    {"signature", signature_json(item)}});

  json::array problems;
  for (const auto& p : integrity.problems) problems.push_back(json::value(p));
  return {{"trigger", std::move(trigger)},
          {"rule_set", std::move(rule_set)},
          {"grounds", std::move(grounds)},
          {"evidence", std::move(evidence)},
          {"integrity", json::object{{"status", integrity.status},
                                     {"matching", integrity.matching},
                                     {"mismatched", integrity.mismatched},
                                     {"absent", integrity.absent},
                                     {"problems", std::move(problems)}}}};
}

// ---- HTML ----

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

struct Bilingual {
  const char* ru;
  const char* kk;
};

// A label in both languages: "Поставщик / Өнім беруші".
std::string label(const Bilingual& b) {
  return std::string("<span lang=\"ru\">") + b.ru + "</span> / <span lang=\"kk\">" + b.kk +
         "</span>";
}

Bilingual kind_name(const std::string& kind) {
  if (kind == "block")
    return {"Блокировка заявок и заказов поставщика (п. 16)",
            "Өнім берушінің өтінімдері мен тапсырыстарын бұғаттау (16-т.)"};
  if (kind == "unblock") return {"Снятие блокировки", "Бұғаттауды алу"};
  if (kind == "deregister")
    return {"Исключение из реестра поставщиков", "Өнім берушілер тізілімінен шығару"};
  if (kind == "review")
    return {"Повторное рассмотрение комиссией: изменился юридический адрес (п. 13)",
            "Комиссияның қайта қарауы: заңды мекенжай өзгерді (13-т.)"};
  if (kind == "warning")
    return {"Предупреждение для комиссии (п. 26)", "Комиссияға ескерту (26-т.)"};
  return {"?", "?"};
}

Bilingual status_name(const std::string& status) {
  if (status == "pending") return {"ожидает доставки на портал", "порталға жеткізуді күтуде"};
  if (status == "delivered") return {"доставлен на портал", "порталға жеткізілді"};
  if (status == "dead") return {"не доставлен на портал", "порталға жеткізілмеді"};
  return {"?", "?"};
}

Bilingual signature_name(const std::string& status) {
  if (status == "valid") return {"действительна", "жарамды"};
  if (status == "invalid") return {"НЕДЕЙСТВИТЕЛЬНА", "ЖАРАМСЫЗ"};
  if (status == "absent") return {"ответ не подписан", "жауапқа қол қойылмаған"};
  if (status == "not_checked") return {"не проверялась", "тексерілмеген"};
  return {"не записано", "жазылмаған"};
}

Bilingual absent_name(const std::string& code) {
  if (code == "no_body")
    return {"обмен записан без тела ответа", "алмасу жауап мәтінінсіз жазылған"};
  if (code == "register_mirror")
    return {
        "реестр целиком загружен один раз для прогона обновления: загрузка записана в журнал "
        "аудита (с SHA-256 ответа реестра), но сам ответ в журнале сообщений не хранится",
        "тізілім жаңарту үшін бір рет толығымен жүктелген: жүктеу аудит журналына (тізілім "
        "жауабының SHA-256-сымен) жазылған, бірақ жауаптың өзі хабарламалар журналында "
        "сақталмайды"};
  if (code == "not_in_message_log")
    return {"в журнале сообщений нет записи с этим идентификатором; запись аудита сохранена",
            "хабарламалар журналында осы сәйкестендіргішпен жазба жоқ; аудит жазбасы сақталған"};
  if (code == "no_message_id")
    return {"триггер не называет идентификатор сообщения",
            "триггер хабарлама сәйкестендіргішін атамайды"};
  return {"ни журнал сообщений, ни журнал аудита не содержат этот идентификатор",
          "хабарламалар журналында да, аудит журналында да бұл сәйкестендіргіш жоқ"};
}

struct Point {
  std::string ru;
  std::string kk;
};

// "p15.3" -> "подпункт 3) пункта 15 Правил" / "Қағидалардың 15-тармағының 3) тармақшасы"; a
// sub-item that is not a number ("p6.age") names the point only.
Point point_name(const std::string& code) {
  const auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 3 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto dot = code.find('.');
  if (code.size() < 2 || code[0] != 'p' || dot == std::string::npos) return {code, code};
  const auto point = code.substr(1, dot - 1);
  const auto sub = code.substr(dot + 1);
  if (!digits(point)) return {code, code};
  if (!digits(sub))
    return {"пункт " + point + " Правил (приказ № 285)",
            "Қағидалардың " + point + "-тармағы (№ 285 бұйрық)"};
  return {"подпункт " + sub + ") пункта " + point + " Правил (приказ № 285)",
          "Қағидалардың " + point + "-тармағының " + sub + ") тармақшасы (№ 285 бұйрық)"};
}

const std::map<std::string, std::string>& system_names() {
  static const std::map<std::string, std::string> names{
      {"gbd_ul", "ГБД ЮЛ"},
      {"gbd_fl", "ГБД ФЛ"},
      {"kgd", "КГД МФ РК"},
      {"elicense", "ГБД «Е-лицензирование»"},
      {"goszakup", "РНУ госзакупок (goszakup.gov.kz)"},
      {"samruk", "Самрук-Казына"},
      {"pa_checks", "Проверки персонального ассистента"},
      {"enis", "ЕНИС"},
  };
  return names;
}

std::string system_text(const std::string& system) {
  const auto& names = system_names();
  const auto found = names.find(system);
  return html_escape(found == names.end() ? system : found->second + " (" + system + ")");
}

constexpr const char* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11pt;margin:1.5em;color:#000}
h1{font-size:15pt;margin:0 0 .3em}h2{font-size:12.5pt;margin:1.1em 0 .4em;border-bottom:1px solid #000}
h3{font-size:11pt;margin:.9em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.3em 0}
th,td{border:1px solid #777;padding:.25em .45em;text-align:left;vertical-align:top}
th{width:32%;background:#f0f0f0;font-weight:normal}
code,.mono{font-family:"DejaVu Sans Mono",monospace;font-size:9pt;word-break:break-all}
pre{font-family:"DejaVu Sans Mono",monospace;font-size:8pt;white-space:pre-wrap;word-break:break-all;border:1px solid #777;padding:.4em;margin:.3em 0;background:#fafafa}
.ok{color:#075e07;font-weight:bold}.bad{color:#b00000;font-weight:bold}
.banner{border:2px solid;padding:.5em .7em;margin:.8em 0;font-weight:bold}
.banner.ok{border-color:#075e07}.banner.bad{border-color:#b00000;background:#fde8e8}
.banner.warn{border-color:#8a5a00;background:#fff5dd;color:#5a3b00}
.evidence{page-break-inside:auto;margin-bottom:1em}
.small{font-size:9pt;color:#333}
@media print{body{margin:0;font-size:10pt}pre{font-size:7.5pt;background:none}.banner.bad{background:none}@page{size:A4;margin:15mm}}
)";

void row(std::string& out, const Bilingual& name, const std::string& value_html) {
  out += "<tr><th>" + label(name) + "</th><td>" + value_html + "</td></tr>\n";
}

}  // namespace

std::string evidence_html(const TriggerEvidence& e) {
  const auto integrity = integrity_of(e);
  const auto links = link_grounds(e);
  const auto* rules = rule_set_named(e.rule_set);
  const auto kind = kind_name(e.kind);

  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>" + html_escape(std::string(kind.ru) + " — " + e.supplier_id) + "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out +=
      "<h1><span lang=\"ru\">Основания и доказательства</span> / <span lang=\"kk\">Негіздер "
      "мен дәлелдер</span></h1>\n";
  out += "<p class=\"small\">" + html_escape(kind.ru) + " / " + html_escape(kind.kk) + "</p>\n";

  // The verdict on the replies first: a mismatch is the first thing a reader sees.
  if (integrity.status == "mismatch") {
    out +=
        "<div class=\"banner bad\"><span lang=\"ru\">ВНИМАНИЕ: ответ в журнале сообщений не "
        "совпадает с зафиксированным в триггере SHA-256</span> / <span lang=\"kk\">НАЗАР "
        "АУДАРЫҢЫЗ: хабарламалар журналындағы жауап триггерде тіркелген SHA-256 сәйкес "
        "келмейді</span><ul>";
    for (const auto& p : integrity.problems)
      out += "<li class=\"small\">" + html_escape(p) + "</li>";
    out += "</ul></div>\n";
  } else if (integrity.status == "incomplete") {
    out +=
        "<div class=\"banner warn\"><span lang=\"ru\">Не все ответы сохранены в журнале "
        "сообщений (причина указана у каждого)</span> / <span lang=\"kk\">Барлық жауаптар "
        "хабарламалар журналында сақталмаған (себебі әрқайсысында көрсетілген)</span></div>\n";
  } else {
    out +=
        "<div class=\"banner ok\"><span lang=\"ru\">Все ответы совпадают с SHA-256, "
        "зафиксированными в триггере</span> / <span lang=\"kk\">Барлық жауаптар триггерде "
        "тіркелген SHA-256 сәйкес келеді</span></div>\n";
  }

  out += "<h2>" + label({"Триггер", "Триггер"}) + "</h2>\n<table>\n";
  row(out, {"Поставщик", "Өнім беруші"},
      std::string(e.individual ? "ИИН / ЖСН " : "БИН / БСН ") + "<span class=\"mono\">" +
          html_escape(e.supplier_id) + "</span>");
  row(out, {"Вид триггера", "Триггер түрі"},
      html_escape(kind.ru) + "<br>" + html_escape(kind.kk) + " <span class=\"small mono\">(" +
          html_escape(e.kind) + ")</span>");
  row(out, {"Идентификатор триггера", "Триггер сәйкестендіргіші"},
      "<span class=\"mono\">" + html_escape(e.id) + "</span>");
  if (!e.supersedes.empty())
    row(out, {"Отменяет триггер", "Күшін жоятын триггер"},
        "<span class=\"mono\">" + html_escape(e.supersedes) + "</span>");
  row(out, {"Свод правил", "Ережелер жиынтығы"},
      "<span class=\"mono\">" + html_escape(e.rule_set) + "</span>" +
          (rules ? "<br><span class=\"small\">" + html_escape(rules->legal_basis) + "</span>"
                 : std::string()) +
          (rules && !rules->dates_confirmed()
               ? "<br><span class=\"small\"><span lang=\"ru\">Дата вступления в силу "
                 "рассчитана от даты публикации, ещё не подтверждённой официальным "
                 "источником</span> / <span lang=\"kk\">Күшіне ену күні ресми дереккөзбен әлі "
                 "расталмаған жариялану күнінен есептелді</span>: " +
                     html_escape(rules->publication->date) + "</span>"
               : std::string()));
  row(out, {"Данные получены", "Деректер алынды"}, html_escape(time_text(e.data_received_at)));
  row(out, {"Триггер создан", "Триггер құрылды"}, html_escape(time_text(e.created_at)));
  // Only a deadline the law gives: every step the document lists, or none for the kind.
  const std::string estimate =
      " (<span lang=\"ru\">оценка</span> / <span lang=\"kk\">болжам</span>)";
  std::string deadline;
  for (const auto& step : e.deadlines) {
    if (!step.is_object()) continue;
    const auto& o = step.get_object();
    const auto member = [&](std::string_view key) {
      const auto* v = o.if_contains(key);
      return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    deadline += (deadline.empty() ? "" : "<br>") + html_escape(member("due"));
    const auto* flagged = o.if_contains("estimate");
    if (flagged && flagged->is_bool() && flagged->get_bool()) deadline += estimate;
    const auto what_ru = member("what_ru");
    const auto what_kk = member("what_kk");
    if (!what_ru.empty() || !what_kk.empty())
      deadline += " — <span lang=\"ru\">" + html_escape(what_ru) + "</span> / <span lang=\"kk\">" +
                  html_escape(what_kk) + "</span>";
    if (const auto reference = member("reference"); !reference.empty())
      deadline += " <span class=\"small\">(" + html_escape(reference) + ")</span>";
  }
  if (deadline.empty() && e.deadline)
    deadline = html_escape(time_text(*e.deadline)) + (e.deadline_estimate ? estimate : "");
  if (deadline.empty())
    deadline = label({"закон не устанавливает срока для этого вида триггера",
                      "заң триггердің бұл түріне мерзім белгілемейді"});
  row(out, {"Срок", "Мерзімі"}, deadline);
  const auto status = status_name(e.status);
  row(out, {"Доставка", "Жеткізу"},
      html_escape(std::string(status.ru) + " / " + status.kk) +
          (e.delivered_at ? " " + html_escape(time_text(*e.delivered_at)) : std::string()));
  out += "</table>\n";

  out += "<h2>" + label({"Основания", "Негіздер"}) + "</h2>\n";
  if (!e.document_problem.empty())
    out += "<p class=\"bad\">" + html_escape(e.document_problem) + "</p>\n";
  for (std::size_t g = 0; g < e.grounds.size(); ++g) {
    const auto& ground = e.grounds[g];
    out += "<table>\n";
    const auto point = point_name(ground.code);
    row(out, {"Пункт приказа", "Бұйрықтың тармағы"},
        "<span lang=\"ru\">" + html_escape(point.ru) + "</span> / <span lang=\"kk\">" +
            html_escape(point.kk) + "</span><br><span class=\"small\"><span class=\"mono\">" +
            html_escape(ground.code) + "</span> — " + html_escape(ground.reference) + "</span>");
    row(out, {"Требование", "Талап"},
        "<span lang=\"ru\">" + html_escape(ground.text_ru) + "</span><br><span lang=\"kk\">" +
            html_escape(ground.text_kk) + "</span>");
    row(out, {"Причина", "Себеп"},
        "<span lang=\"ru\">" + html_escape(ground.reason_ru) + "</span><br><span lang=\"kk\">" +
            html_escape(ground.reason_kk) + "</span>");
    std::string linked;
    for (const auto i : links[g].evidence)
      linked += (linked.empty() ? "" : ", ") + std::string("№ ") + std::to_string(i + 1);
    row(out, {"Доказательства", "Дәлелдер"}, linked.empty() ? "—" : html_escape(linked));
    out += "</table>\n";
  }

  out += "<h2>" +
         label({"Доказательства: ответы государственных систем",
                "Дәлелдер: мемлекеттік жүйелердің жауаптары"}) +
         "</h2>\n";
  for (std::size_t i = 0; i < e.evidence.size(); ++i) {
    const auto& item = e.evidence[i];
    out += "<div class=\"evidence\">\n<h3>№ " + std::to_string(i + 1) + ". " +
           system_text(item.system) + "</h3>\n<table>\n";
    row(out, {"Информационная система", "Ақпараттық жүйе"}, system_text(item.system));
    row(out, {"Идентификатор сервиса", "Сервис сәйкестендіргіші"},
        "<span class=\"mono\">" + html_escape(item.service_id) + "</span>");
    row(out, {"Идентификатор сообщения", "Хабарлама сәйкестендіргіші"},
        "<span class=\"mono\">" + html_escape(item.message_id) + "</span>");
    row(out, {"Время получения", "Алынған уақыты"}, html_escape(item.received_at));
    std::string fact;
    if (item.fact.is_object()) {
      const auto& o = item.fact.get_object();
      if (const auto* name = o.if_contains("name"); name && name->is_string())
        fact += "<span class=\"mono\">" + html_escape(name->get_string()) + "</span> = ";
      if (const auto* value = o.if_contains("value"))
        fact += "<code>" + html_escape(json::serialize(*value)) + "</code>";
    }
    row(out, {"Сведение", "Мәлімет"}, fact.empty() ? "—" : fact);
    row(out, {"SHA-256 в триггере", "Триггердегі SHA-256"},
        "<span class=\"mono\">" + html_escape(item.reply_sha256) + "</span>");
    const auto matches = item.sha256_matches();
    if (matches) {
      row(out, {"SHA-256 сохранённого ответа", "Сақталған жауаптың SHA-256"},
          "<span class=\"mono\">" + html_escape(item.reply->body_sha256) + "</span> — " +
              (*matches ? "<span class=\"ok\">" + label({"совпадает", "сәйкес келеді"}) + "</span>"
                        : "<span class=\"bad\">" + label({"НЕ СОВПАДАЕТ", "СӘЙКЕС КЕЛМЕЙДІ"}) +
                              "</span>"));
    } else {
      row(out, {"Ответ", "Жауап"},
          "<span class=\"bad\">" + label({"не сохранён", "сақталмаған"}) +
              "</span>: " + label(absent_name(item.absent_code)));
      if (item.audit && !item.audit->reply_sha256.empty())
        row(out, {"SHA-256 в журнале аудита", "Аудит журналындағы SHA-256"},
            "<span class=\"mono\">" + html_escape(item.audit->reply_sha256) + "</span> — " +
                (item.audit->reply_sha256 == item.reply_sha256
                     ? "<span class=\"ok\">" + label({"совпадает", "сәйкес келеді"}) + "</span>"
                     : "<span class=\"bad\">" + label({"НЕ СОВПАДАЕТ", "СӘЙКЕС КЕЛМЕЙДІ"}) +
                           "</span>"));
    }
    const auto signature = signature_name(item.reply ? item.reply->signature : "");
    row(out, {"Подпись ответа", "Жауаптың қолтаңбасы"},
        label(signature) + (item.reply ? " <span class=\"small mono\">(" +
                                             html_escape(item.reply->signature) + ")</span>"
                                       : std::string()));
    // No signer where the log holds no row or a signature named none; none by nature where the
    // reply was unsigned or not checked.
    std::string signer = label({"не записан", "жазылмаған"});
    if (item.reply && !item.reply->signer_sha256.empty())
      signer = "<span class=\"mono\">" + html_escape(item.reply->signer_sha256) + "</span>";
    else if (item.reply &&
             (item.reply->signature == "absent" || item.reply->signature == "not_checked"))
      signer = "—";
    row(out, {"Подписант (SHA-256 сертификата)", "Қол қоюшы (сертификаттың SHA-256)"}, signer);
    if (item.reply && !item.reply->signature_algorithm.empty())
      row(out, {"Алгоритм подписи", "Қолтаңба алгоритмі"},
          "<span class=\"mono\">" + html_escape(item.reply->signature_algorithm) + "</span>");
    if (item.reply) {
      row(out, {"Запрос отправлен", "Сұрау жіберілді"},
          html_escape(time_text(item.reply->started_at)) + " (" +
              std::to_string(item.reply->duration_ms) + " ms)");
      row(out, {"Запись журнала сообщений", "Хабарламалар журналының жазбасы"},
          "<span class=\"mono\">" + std::to_string(item.reply->log_id) + "</span>");
    }
    out += "</table>\n";
    if (item.reply && item.reply->body) {
      out += "<p class=\"small\">" +
             label({"Ответ системы в точности, как сохранён в журнале сообщений",
                    "Жүйенің жауабы хабарламалар журналында сақталғандай"}) +
             " (" + std::to_string(item.reply->body->size()) + " B)</p>\n";
      out += "<pre>" + html_escape(*item.reply->body) + "</pre>\n";
    } else if (!item.register_entries.is_null()) {
      out += "<p class=\"small\">" +
             label({"Записи реестра о поставщике, сохранённые при загрузке",
                    "Жүктеу кезінде сақталған өнім беруші туралы тізілім жазбалары"}) +
             "</p>\n<pre>" + html_escape(json::serialize(item.register_entries)) + "</pre>\n";
    }
    out += "</div>\n";
  }
  out += "<p class=\"small\">tekser — GET /v1/triggers/" + html_escape(e.id) + "/evidence</p>\n";
  out += "</body>\n</html>\n";
  return out;
}

asio::awaitable<net::HttpResponse> evidence_route(store::DbPool& db,
                                                  const net::HttpRequest& request,
                                                  const std::vector<std::string>& segments,
                                                  boost::urls::params_view params) {
  if (request.method() != http::verb::get)
    throw ApiError{http::status::method_not_allowed, "method",
                   std::string(request.method_string()) + " is not allowed here (allowed: GET)"};
  const auto id = canonical_uuid(segments[2]);
  if (!id)
    throw ApiError{http::status::bad_request, "id",
                   "a trigger id is a UUID (8-4-4-4-12 hexadecimal digits)"};
  std::optional<std::string> format;
  for (auto param : params) {
    if (param.key.empty() && param.value.empty()) continue;  // ".../evidence?"
    if (param.key != "format")
      throw ApiError{http::status::bad_request, std::string(param.key), "unknown parameter"};
    format = std::string(param.value);
  }
  const auto chosen = evidence_format(format, request[http::field::accept]);
  if (!chosen) throw ApiError{http::status::bad_request, "format", "must be json or html"};

  auto read = [id = *id](pqxx::connection& c) {
    return store::EvidenceStore(c).trigger_evidence(id);
  };
  const auto evidence = co_await db.run(read);
  if (!evidence) throw ApiError{http::status::not_found, "id", "no trigger " + *id};

  if (*chosen == EvidenceFormat::json) {
    auto response = respond(request, http::status::ok, evidence_json(*evidence));
    response.set(http::field::vary, "Accept");
    co_return response;
  }
  net::HttpResponse response{http::status::ok, request.version()};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.set(http::field::vary, "Accept");
  // Data shown on the page is escaped; the policy is the second fence: no script, no request
  // anywhere, only the page's own inline style.
  response.set(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = evidence_html(*evidence);
  response.keep_alive(request.keep_alive());
  co_return response;
}

}  // namespace tekser::api

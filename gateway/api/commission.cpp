#include "gateway/api/commission.hpp"

#include <boost/json.hpp>

#include "gateway/api/audit.hpp"
#include "gateway/api/input.hpp"
#include "gateway/api/reply.hpp"
#include "gateway/store/commission_store.hpp"
#include "gateway/store/refresh_store.hpp"

namespace tekser::api {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

json::object to_json(const store::CommissionDecisionRow& row) {
  return {{"id", row.id},
          {"kind", row.kind},
          {"ground", row.ground.empty() ? json::value(nullptr) : json::value(row.ground)},
          {"decided_on", row.decided_on},
          {"protocol_number", row.protocol_number},
          {"recorded_by", row.recorded_by},
          {"recorded_at", xsd_time::format_datetime(row.recorded_at)}};
}

// What the trigger state says of the supplier, for the portal.
json::object state_json(const triggers::State& state) {
  json::array grounds;
  for (const auto& g : state.block_grounds) grounds.emplace_back(g);
  json::object out{{"blocked", state.blocked()},
                   {"block_grounds", std::move(grounds)},
                   {"deregistered", state.deregistered}};
  if (state.deregistered) {
    out["deregistered_by"] = state.deregistered_by;
    out["deregistration_ground"] = state.deregistration_ground;
    out["deregistered_on"] =
        state.deregistered_on.empty() ? json::value(nullptr) : json::value(state.deregistered_on);
  }
  return out;
}

// The body: {"kind", "ground"?, "decided_on", "protocol_number"}; 400 naming the field.
triggers::CommissionDecision parse_decision(std::string_view body, const std::string& today) {
  const auto parsed = parse_json_object(body);
  const auto& object = parsed.as_object();
  refuse_unknown_keys(object, {"kind", "ground", "decided_on", "protocol_number"}, "");
  triggers::CommissionDecision decision;
  const auto kind = required_string(object, "kind", "kind");
  if (kind == "deregistration")
    decision.kind = triggers::CommissionDecision::Kind::deregistration;
  else if (kind == "reregistration")
    decision.kind = triggers::CommissionDecision::Kind::reregistration;
  else
    throw ApiError{http::status::bad_request, "kind",
                   "expected deregistration or reregistration, got '" + kind + "'"};
  if (object.contains("ground")) decision.ground = required_string(object, "ground", "ground");
  if (decision.kind == triggers::CommissionDecision::Kind::deregistration &&
      decision.ground.empty())
    throw ApiError{http::status::bad_request, "ground",
                   "required for a deregistration: p15.1 … p15.5, the ground of p.15"};
  decision.decided_on = required_string(object, "decided_on", "decided_on");
  const auto date = xsd_time::normalize_date(decision.decided_on);
  if (!date || *date != decision.decided_on)
    throw ApiError{http::status::bad_request, "decided_on",
                   "expected a date YYYY-MM-DD, got '" + decision.decided_on + "'"};
  if (decision.decided_on > today)
    throw ApiError{http::status::unprocessable_entity, "decided_on",
                   "in the future (today in Almaty is " + today + ")"};
  decision.protocol_number = required_string(object, "protocol_number", "protocol_number");
  if (auto problem = printable_text_problem(decision.protocol_number, 100); !problem.empty())
    throw ApiError{http::status::bad_request, "protocol_number", problem};
  return decision;
}

}  // namespace

asio::awaitable<net::HttpResponse> commission_route(store::DbPool& db,
                                                    const triggers::TriggerQueue* queue,
                                                    const net::HttpRequest& request,
                                                    const std::string& supplier_id) {
  const auto not_found = [&] {
    return ApiError{http::status::not_found, "id",
                    "supplier " + supplier_id + " is not registered (PUT it first)"};
  };
  if (request.method() == http::verb::get) {
    auto read = [supplier_id](pqxx::connection& c) {
      pqxx::read_transaction txn(c, "tekser_commission_read");
      const bool known =
          !txn.exec_params("SELECT 1 FROM suppliers WHERE id = $1", supplier_id).empty();
      auto rows = store::CommissionStore::list(txn, supplier_id);
      const auto stored = txn.exec_params(
          "SELECT state::text FROM supplier_trigger_state WHERE supplier_id = $1", supplier_id);
      const auto state = stored.empty()
                             ? triggers::State{}
                             : triggers::state_from_json(json::parse(stored[0][0].c_str()));
      return std::make_tuple(known, std::move(rows), state);
    };
    const auto [known, rows, state] = co_await db.run(read);
    if (!known) throw not_found();
    json::array decisions;
    for (const auto& row : rows) decisions.push_back(to_json(row));
    co_return respond(request, http::status::ok,
                      json::object{{"id", supplier_id},
                                   {"decisions", std::move(decisions)},
                                   {"trigger_state", state_json(state)}});
  }
  if (request.method() != http::verb::post)
    throw ApiError{
        http::status::method_not_allowed, "method",
        std::string(request.method_string()) + " is not allowed here (allowed: GET, POST)"};
  if (!queue)
    throw ApiError{http::status::service_unavailable, "trigger_queue",
                   "this gateway decides no triggers"};

  const auto now = xsd_time::now_ms();
  const auto today = xsd_time::format_datetime(now).substr(0, 10);
  const auto decision = parse_decision(request.body(), today);
  const auto recorded_by = audit_context(request, "").client;
  auto record = [&queue = *queue, supplier_id, decision, recorded_by, now](pqxx::connection& c) {
    pqxx::work txn(c, "tekser_commission_decision");
    auto supplier = store::Store::find_supplier(txn, supplier_id);
    if (!supplier)
      return std::optional<std::tuple<store::CommissionDecisionRow, int, triggers::State>>();
    std::optional<triggers::DecisionRefused> refused;
    const auto* rules = eligibility::rule_set_for(eligibility::shipped_rule_sets(),
                                                  xsd_time::format_datetime(now).substr(0, 10));
    auto queued = queue.decide_and_queue(
        c, txn, *supplier, now, std::nullopt, [&](const triggers::State& previous) {
          if (!rules) throw std::logic_error("no rule set in force");
          auto outcome = triggers::apply_commission_decision(*rules, previous, decision);
          if (outcome.refused) {
            const auto& r = *outcome.refused;
            throw ApiError{r.conflict ? http::status::conflict : http::status::unprocessable_entity,
                           r.field, r.reason};
          }
          return *outcome.next;
        });
    store::CommissionDecisionRow row;
    row.supplier_id = supplier_id;
    row.kind = std::string(triggers::to_string(decision.kind));
    row.ground = decision.ground;
    row.decided_on = decision.decided_on;
    row.protocol_number = decision.protocol_number;
    row.recorded_by = recorded_by;
    row = store::CommissionStore::record(txn, row);
    txn.commit();
    return std::optional(std::make_tuple(row, queued.count, queued.state));
  };
  const auto recorded = co_await db.run(record);
  if (!recorded) throw not_found();
  const auto& [row, count, state] = *recorded;
  co_return respond(request, http::status::created,
                    json::object{{"decision", to_json(row)},
                                 {"triggers_queued", count},
                                 {"trigger_state", state_json(state)}});
}

}  // namespace tekser::api

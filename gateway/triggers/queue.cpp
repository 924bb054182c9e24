#include "gateway/triggers/queue.hpp"

#include <map>
#include <stdexcept>

#include "common/net/http_client.hpp"
#include "gateway/eligibility/eligibility.hpp"
#include "gateway/store/refresh_store.hpp"
#include "gateway/triggers/deadlines.hpp"
#include "gateway/triggers/document.hpp"
#include "gateway/verify/eligibility_input.hpp"

namespace tekser::triggers {

namespace json = boost::json;

TriggerQueue::Queued TriggerQueue::decide_and_queue(
    pqxx::connection& connection, pqxx::work& txn, const store::SupplierRecord& supplier,
    xsd_time::TimePoint now, std::optional<long long> run_id,
    const std::function<State(const State&)>& amend) const {
  return std::move(
      decide_and_queue(connection, txn, std::span(&supplier, 1), now, run_id, amend).front());
}

std::vector<TriggerQueue::Queued> TriggerQueue::decide_and_queue(
    pqxx::connection& connection, pqxx::work& txn, std::span<const store::SupplierRecord> suppliers,
    xsd_time::TimePoint now, std::optional<long long> run_id,
    const std::function<State(const State&)>& amend) const {
  const auto today = xsd_time::format_datetime(now).substr(0, 10);
  const auto* rules = eligibility::rule_set_for(eligibility::shipped_rule_sets(), today);
  if (!rules || !rules->triggers)
    throw std::logic_error("no rule set with trigger rules in force on " + today);
  const auto policy =
      deregister_policy_.empty() ? rules->triggers->default_deregister_policy : deregister_policy_;

  // What every supplier is judged from, a statement each for all of them.
  std::vector<std::string> ids;
  for (const auto& supplier : suppliers) ids.push_back(supplier.id);
  store::RefreshStore rs(connection);
  auto facts_of = store::Store::current_facts_of(txn, ids);
  auto sources_of = store::Store::source_statuses_of(txn, ids);
  const auto stored_states = rs.lock_trigger_states(txn, ids);

  std::vector<Queued> out;
  std::map<std::string, json::value> changed_states;
  for (const auto& supplier : suppliers) {
    auto facts = std::move(facts_of[supplier.id]);
    auto sources = std::move(sources_of[supplier.id]);
    const auto input = verify::eligibility_input(supplier, facts, sources, now);
    const auto stored = stored_states.find(supplier.id);
    const State before = stored != stored_states.end() ? state_from_json(stored->second) : State{};
    const State previous = amend ? amend(before) : before;
    auto decision = decide(*rules, input, supplier.categories, previous, policy);
    auto next = decision.next;
    for (const auto& draft : decision.triggers) {
      const auto deadlines = deadlines_due(
          calendar_, eligibility::deadlines_for(*rules->triggers, to_string(draft.kind), policy),
          draft.data_received_at);
      store::NewTrigger trigger;
      trigger.id = net::new_uuid();
      trigger.supplier_id = supplier.id;
      trigger.kind = std::string(to_string(draft.kind));
      trigger.rule_set = rules->id;
      trigger.run_id = run_id;
      trigger.data_received_at = draft.data_received_at;
      if (!deadlines.empty()) {
        trigger.deadline = deadlines.front().due;
        trigger.deadline_estimate = deadlines.front().estimate;
      }
      DocumentContext context;
      context.trigger_id = trigger.id;
      context.supplier_id = supplier.id;
      context.individual = input.individual;
      context.rule_set = rules->id;
      context.created_at = now;
      context.deadlines = deadlines;
      if (draft.kind == Kind::unblock && !previous.block_trigger_id.empty())
        context.supersedes = previous.block_trigger_id;
      rs.enqueue_trigger(txn, trigger, [&](long long sequence) {
        context.sequence = sequence;
        return document(draft, context);
      });
      if (draft.kind == Kind::block) next.block_trigger_id = trigger.id;
    }
    // Written only when it changed (or a trigger was queued): most re-checks change nothing, and
    // a write per supplier per week would be a dead row for nothing. updated_at is therefore
    // when it last changed.
    if (next != before || !decision.triggers.empty()) changed_states[supplier.id] = to_json(next);
    out.push_back({static_cast<int>(decision.triggers.size()), rules->id, next, std::move(facts),
                   std::move(sources)});
  }
  rs.save_trigger_states(txn, changed_states);
  return out;
}

}  // namespace tekser::triggers

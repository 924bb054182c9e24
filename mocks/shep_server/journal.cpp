#include "mocks/shep_server/journal.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

namespace tekser::mocks {
namespace {

bool matches(const JournalEntry& e, const JournalFilter& f) {
  return (!f.subject || e.subject == *f.subject) &&
         (!f.service_id || e.service_id == *f.service_id) && (!f.system || e.system == *f.system) &&
         (!f.since || e.received_at >= *f.since);
}

}  // namespace

void Journal::record(JournalEntry entry) {
  if (entry.received_at == xsd_time::TimePoint{}) entry.received_at = xsd_time::now_ms();
  if (entry.time.empty()) entry.time = xsd_time::format_utc(entry.received_at);
  std::lock_guard lock(mutex_);
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) entries_.pop_front();
}

std::vector<JournalEntry> Journal::find(const JournalFilter& filter) const {
  std::lock_guard lock(mutex_);
  std::vector<JournalEntry> found;
  // Newest first, so that a limit keeps the latest; then back to arrival order.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (filter.limit && found.size() >= *filter.limit) break;
    if (matches(*it, filter)) found.push_back(*it);
  }
  std::reverse(found.begin(), found.end());
  return found;
}

std::size_t Journal::count(const JournalFilter& filter) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(),
                    [&filter](const JournalEntry& e) { return matches(e, filter); }));
}

std::size_t Journal::clear() {
  std::lock_guard lock(mutex_);
  return std::exchange(entries_, {}).size();
}

boost::json::object to_json(const JournalEntry& entry) {
  auto text_or_null = [](const std::string& text) -> boost::json::value {
    if (text.empty()) return nullptr;
    return boost::json::string(text);
  };
  boost::json::object out;
  out["time"] = entry.time;
  out["message_id"] = entry.message_id;
  out["system"] = entry.system;
  out["service_id"] = entry.service_id;
  out["path"] = entry.path;
  out["subject"] = entry.subject;
  out["validation"] = entry.validation;
  out["outcome"] = entry.outcome;
  boost::json::array violations;
  for (const auto& v : entry.violations) violations.emplace_back(v);
  out["violations"] = std::move(violations);
  out["fault_id"] = text_or_null(entry.fault_id);
  out["fault_mode"] = text_or_null(entry.fault_mode);
  out["latency_ms"] = entry.latency_ms;
  out["signature"] = entry.signature;
  out["signer_sha256"] = text_or_null(entry.signer_sha256);
  out["signature_problem"] = text_or_null(entry.signature_problem);
  out["payload_signature"] = text_or_null(entry.payload_signature);
  out["payload_signer_sha256"] = text_or_null(entry.payload_signer_sha256);
  out["payload_shape"] = text_or_null(entry.payload_shape);
  boost::json::array warnings;
  for (const auto& w : entry.warnings) warnings.emplace_back(w);
  out["warnings"] = std::move(warnings);
  out["reply_shape"] = text_or_null(entry.reply_shape);
  out["replay"] = text_or_null(entry.replay);
  return out;
}

}  // namespace tekser::mocks

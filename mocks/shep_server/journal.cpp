#include "mocks/shep_server/journal.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

namespace tekser::mocks {
namespace {

bool matches(const JournalEntry& e, const JournalFilter& f) {
  return (!f.subject || e.subject == *f.subject) &&
         (!f.service_id || e.service_id == *f.service_id);
}

}  // namespace

void Journal::record(JournalEntry entry) {
  std::lock_guard lock(mutex_);
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) entries_.pop_front();
}

std::vector<JournalEntry> Journal::find(const JournalFilter& filter) const {
  std::lock_guard lock(mutex_);
  std::vector<JournalEntry> found;
  std::copy_if(entries_.begin(), entries_.end(), std::back_inserter(found),
               [&filter](const JournalEntry& e) { return matches(e, filter); });
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
  boost::json::object out;
  out["time"] = entry.time;
  out["message_id"] = entry.message_id;
  out["service_id"] = entry.service_id;
  out["subject"] = entry.subject;
  out["validation"] = entry.validation;
  out["outcome"] = entry.outcome;
  boost::json::array violations;
  for (const auto& v : entry.violations) violations.emplace_back(v);
  out["violations"] = std::move(violations);
  return out;
}

}  // namespace tekser::mocks

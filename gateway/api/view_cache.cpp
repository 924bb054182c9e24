#include "gateway/api/view_cache.hpp"

namespace tekser::api {

void SupplierViewCache::note_change(const std::string& id) {
  ++epoch_;
  recent_.push_back(id);
  if (recent_.size() > kRecentChanges) recent_.pop_front();
}

std::shared_ptr<const SupplierView> SupplierViewCache::find(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (serving_) {
    if (auto it = views_.find(id); it != views_.end()) {
      ++hits_;
      return it->second;
    }
  }
  ++misses_;
  return nullptr;
}

std::uint64_t SupplierViewCache::epoch() const {
  std::lock_guard lock(mutex_);
  return epoch_;
}

void SupplierViewCache::keep(const std::string& id, std::shared_ptr<const SupplierView> view,
                             std::uint64_t epoch_before_read) {
  std::lock_guard lock(mutex_);
  if (!serving_ || capacity_ == 0 || epoch_before_read > epoch_) return;
  const auto changes_since = epoch_ - epoch_before_read;
  if (changes_since > recent_.size()) return;  // too long ago to tell
  for (auto it = recent_.end() - static_cast<std::ptrdiff_t>(changes_since); it != recent_.end();
       ++it)
    if (*it == id || *it == kAllSuppliers) return;  // it changed while it was read
  if (views_.size() >= capacity_ && !views_.count(id))
    views_.erase(views_.begin());  // any one: a view is cheap to read again
  views_[id] = std::move(view);
}

void SupplierViewCache::forget(const std::string& id) {
  std::lock_guard lock(mutex_);
  note_change(id);
  ++forgotten_;
  if (id == kAllSuppliers) {
    views_.clear();
  } else {
    views_.erase(id);
  }
}

void SupplierViewCache::listening() {
  std::lock_guard lock(mutex_);
  note_change(kAllSuppliers);
  views_.clear();  // what changed while nobody listened is unknown
  serving_ = capacity_ > 0;
}

void SupplierViewCache::deaf() {
  std::lock_guard lock(mutex_);
  note_change(kAllSuppliers);
  views_.clear();
  serving_ = false;
}

SupplierViewCache::Stats SupplierViewCache::stats() const {
  std::lock_guard lock(mutex_);
  return {hits_, misses_, forgotten_, views_.size(), serving_};
}

}  // namespace tekser::api

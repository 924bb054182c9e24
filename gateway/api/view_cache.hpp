// The supplier views this replica has read, kept in memory so that GET /v1/suppliers/{id} is
// answered without a database round trip (issue 16 item 4).
//
// A view is only as good as the word that it has not changed since: every change to a supplier,
// its current facts or its sources' answers is announced by PostgreSQL (migration 0150, channel
// tekser_supplier_changed), whichever replica or operator made it, and this replica's own writes
// are forgotten here before their response leaves (read-your-writes). While the listener is not
// connected nothing is served from here: every read goes to the database.
//
// A read that races a change never keeps a stale view: it notes the epoch before it reads, and
// what it read is kept only if no change to that supplier was announced meanwhile (the last
// kRecentChanges changes are remembered by id; a read older than those is not kept). Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/store/store.hpp"

namespace tekser::api {

struct RenderedView;  // view_json.hpp

// Everything the API shows about a supplier.
struct SupplierView {
  store::SupplierRecord supplier;
  std::vector<store::StoredFact> facts;
  std::vector<store::SourceStatus> sources;
  // Its JSON's fixed parts, serialized once when a current view is read from the database (none
  // for a view of a day gone by, or one read for a single answer).
  std::shared_ptr<const RenderedView> rendered;
};

// The PostgreSQL channel of the change notices, and the payload that names every supplier.
inline constexpr const char* kSupplierChangedChannel = "tekser_supplier_changed";
inline constexpr const char* kAllSuppliers = "*";

class SupplierViewCache {
 public:
  // At most `capacity` views (0: the cache is off, every read goes to the database).
  explicit SupplierViewCache(std::size_t capacity) : capacity_(capacity) {}

  // A view kept and still current; none: read it from the database.
  std::shared_ptr<const SupplierView> find(const std::string& id);
  // Taken before a read from the database, and given back to keep().
  std::uint64_t epoch() const;
  // Keeps what a read found, unless a change was announced since `epoch_before_read`.
  void keep(const std::string& id, std::shared_ptr<const SupplierView> view,
            std::uint64_t epoch_before_read);

  // A change to supplier `id` (kAllSuppliers: to any).
  void forget(const std::string& id);
  // The change notices are (again) arriving: serve from memory, starting empty.
  void listening();
  // The notices stopped (the listener lost its connection): forget everything, serve nothing.
  void deaf();

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t forgotten = 0;  // notices and own writes that forgot a view
    std::size_t size = 0;
    bool serving = false;
  };
  Stats stats() const;

 private:
  void note_change(const std::string& id);  // under the lock

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  bool serving_ = false;  // the listener is connected
  std::uint64_t epoch_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const SupplierView>> views_;
  static constexpr std::size_t kRecentChanges = 1024;
  std::deque<std::string> recent_;  // the ids of the last changes, newest last; epoch_ is the
                                    // number of changes ever, so recent_ covers the epochs
                                    // (epoch_ - recent_.size(), epoch_]
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::uint64_t forgotten_ = 0;
};

}  // namespace tekser::api

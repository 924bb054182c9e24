// Notices PostgreSQL sends on one channel (LISTEN), on a connection and a thread of their own:
// waiting for a notice blocks, and never on the database pool or an I/O thread.
//
// The handlers run on the listener's thread. `listening` runs each time LISTEN is in place (at
// start, and again after the connection was lost and came back): notices sent before then were
// not received, so whoever relies on them must assume that anything may have changed. `lost`
// runs when the connection breaks (the database restarted, the network): from then until the
// next `listening`, notices are missed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tekser::store {

class ChangeListener {
 public:
  struct Handlers {
    std::function<void()> listening;
    std::function<void(const std::string& payload)> notice;
    std::function<void(const std::string& why)> lost;
  };

  // Starts listening at once; `retry_after`: the pause before connecting again after a failure.
  ChangeListener(std::string conninfo, std::string channel, Handlers handlers,
                 std::chrono::milliseconds retry_after = std::chrono::seconds(1));
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  // Stops and joins the thread (also done by the destructor); no handler runs afterwards.
  void stop();

 private:
  void run();
  bool stopping() const;

  std::string conninfo_;
  std::string channel_;
  Handlers handlers_;
  std::chrono::milliseconds retry_after_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tekser::store

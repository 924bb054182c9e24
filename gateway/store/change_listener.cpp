#include "gateway/store/change_listener.hpp"

#include <pqxx/pqxx>

namespace tekser::store {
namespace {

// How long one wait for a notice lasts before the listener looks whether it is to stop.
constexpr long kPollMicroseconds = 200'000;

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, const std::string& channel,
           const std::function<void(const std::string&)>& notice)
      : pqxx::notification_receiver(connection, channel), notice_(notice) {}
  void operator()(const std::string& payload, int /*backend_pid*/) override {
    if (notice_) notice_(payload);
  }

 private:
  const std::function<void(const std::string&)>& notice_;
};

}  // namespace

ChangeListener::ChangeListener(std::string conninfo, std::string channel, Handlers handlers,
                               std::chrono::milliseconds retry_after)
    : conninfo_(std::move(conninfo)),
      channel_(std::move(channel)),
      handlers_(std::move(handlers)),
      retry_after_(retry_after),
      thread_([this] { run(); }) {}

ChangeListener::~ChangeListener() {
  stop();
}

void ChangeListener::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool ChangeListener::stopping() const {
  std::lock_guard lock(mutex_);
  return stop_;
}

void ChangeListener::run() {
  while (!stopping()) {
    std::string why;
    try {
      pqxx::connection connection(conninfo_);
      Receiver receiver(connection, channel_, handlers_.notice);  // LISTEN, now
      if (handlers_.listening) handlers_.listening();
      while (!stopping()) {
        connection.await_notification(0, kPollMicroseconds);
        if (!connection.is_open()) throw pqxx::broken_connection("the connection was closed");
      }
      return;
    } catch (const std::exception& e) {
      why = e.what();
    }
    if (handlers_.lost) handlers_.lost(why);
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, retry_after_, [this] { return stop_; });
  }
}

}  // namespace tekser::store

#include "gateway/resilience/breaker.hpp"

#include <algorithm>

namespace tekser::resilience {

std::string_view to_string(BreakerState state) {
  switch (state) {
    case BreakerState::closed:
      return "closed";
    case BreakerState::open:
      return "open";
    case BreakerState::half_open:
      return "half_open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(BreakerPolicy policy) : policy_(policy) {
  policy_.failure_threshold = std::max(1, policy_.failure_threshold);
  policy_.window = std::max(0, policy_.window);
}

std::optional<Ticket> CircuitBreaker::allow(SteadyTime now) {
  switch (state_) {
    case BreakerState::closed:
      return Ticket{generation_, false};
    case BreakerState::open:
      if (now - opened_at_ < policy_.open_for) return std::nullopt;
      state_ = BreakerState::half_open;
      ++generation_;
      probe_out_ = false;
      [[fallthrough]];
    case BreakerState::half_open:
      if (probe_out_) return std::nullopt;
      probe_out_ = true;
      return Ticket{generation_, true};
  }
  return std::nullopt;
}

void CircuitBreaker::record(const Ticket& ticket, CallResult result, SteadyTime now) {
  if (result == CallResult::failure)
    ++consecutive_failures_;
  else if (result == CallResult::success)
    consecutive_failures_ = 0;
  if (ticket.generation != generation_) return;  // from an earlier period: counted, moves nothing

  if (state_ == BreakerState::half_open) {
    if (!ticket.probe) return;
    probe_out_ = false;
    if (result == CallResult::success) close();
    if (result == CallResult::failure) open(now);
    return;
  }
  if (state_ != BreakerState::closed || result == CallResult::neutral) return;

  if (policy_.window > 0) {
    window_.push_back(result == CallResult::failure);
    if (window_.back()) ++window_failures_;
    if (static_cast<int>(window_.size()) > policy_.window) {
      if (window_.front()) --window_failures_;
      window_.pop_front();
    }
  }
  const bool ratio_exceeded = policy_.window > 0 &&
                              static_cast<int>(window_.size()) == policy_.window &&
                              window_failures_ >= policy_.failure_ratio * policy_.window;
  if (result == CallResult::failure &&
      (consecutive_failures_ >= policy_.failure_threshold || ratio_exceeded))
    open(now);
}

BreakerState CircuitBreaker::state(SteadyTime now) const {
  if (state_ == BreakerState::open && now - opened_at_ >= policy_.open_for)
    return BreakerState::half_open;
  return state_;
}

std::optional<SteadyTime> CircuitBreaker::retry_at() const {
  if (state_ != BreakerState::open) return std::nullopt;
  return opened_at_ + policy_.open_for;
}

void CircuitBreaker::open(SteadyTime now) {
  state_ = BreakerState::open;
  ++generation_;
  opened_at_ = now;
  probe_out_ = false;
  ++times_opened_;
  window_.clear();
  window_failures_ = 0;
}

void CircuitBreaker::close() {
  state_ = BreakerState::closed;
  ++generation_;
  consecutive_failures_ = 0;
  probe_out_ = false;
  window_.clear();
  window_failures_ = 0;
}

}  // namespace tekser::resilience

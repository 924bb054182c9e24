// How the mock bus writes its replies on the wire: the payload shape (typed, declared, jaxb,
// untyped) and the namespace spelling (prefixed, default-ns, rebound) — so that an integration
// tester can reproduce what the real bus sends. A default for all services, one per service
// (tekser-mocks --payload-shape / --envelope-style), and overrides through the admin API for one
// subject, one service or the next N replies; the most specific override that matches wins.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "common/shep/payload.hpp"
#include "mocks/shep_server/fault_admin.hpp"

namespace tekser::mocks {

struct WireStyleOverride {
  std::string id;
  std::optional<std::string> service_id;  // serviceId, or the system's name ("gbd_ul")
  std::optional<std::string> subject;     // BIN/IIN
  shep::WireStyle style;
  std::optional<std::int64_t> remaining;  // replies left; none: until removed
};

class WireStyles {
 public:
  // "typed", or "GbdulInfoByBin_v2=jaxb" / "gbd_ul=jaxb" for one service. Throws
  // std::invalid_argument naming what is wrong.
  void set_default_shape(std::string_view spec);
  void set_default_envelope(std::string_view spec);

  // The style of the next reply of `service_id` (system `system`) about `subject`; an override
  // with a count is used up by it.
  shep::WireStyle take(std::string_view service_id, std::string_view system,
                       std::string_view subject);

  std::string add(WireStyleOverride rule);  // returns its id
  std::size_t clear();                      // the overrides; the defaults stay
  bool remove(std::string_view id);
  boost::json::object to_json() const;

 private:
  mutable std::mutex mutex_;
  shep::WireStyle default_;
  std::map<std::string, shep::PayloadShape, std::less<>> shape_by_service_;
  std::map<std::string, shep::EnvelopeStyle, std::less<>> envelope_by_service_;
  std::vector<WireStyleOverride> overrides_;
  std::uint64_t next_id_ = 1;
};

// Reads a POST /admin/wire-styles body:
//   {"service_id"? | "system"?, "subject"?, "payload_shape"?, "envelope_style"?, "count"?}
// at least one of payload_shape and envelope_style; unknown fields and values are refused, naming
// the field. `services` are the (serviceId, system) pairs on the bus.
std::variant<WireStyleOverride, AdminError> parse_wire_style_override(
    std::string_view body, const std::vector<std::pair<std::string, std::string>>& services);

}  // namespace tekser::mocks

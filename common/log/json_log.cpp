#include "common/log/json_log.hpp"

#include <boost/json.hpp>

#include "common/time/xsd_time.hpp"

namespace tekser::logging {

void JsonLog::write(std::string_view level, std::string_view event, boost::json::object fields) {
  boost::json::object line;
  line["time"] = xsd_time::format_utc(xsd_time::now_ms());
  line["level"] = level;
  line["event"] = event;
  for (auto& field : fields) line[field.key()] = std::move(field.value());
  const auto text = boost::json::serialize(line);
  std::lock_guard lock(mutex_);
  out_ << text << '\n';
  out_.flush();
}

}  // namespace tekser::logging

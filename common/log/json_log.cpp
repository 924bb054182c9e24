#include "common/log/json_log.hpp"

#include <cctype>

#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "common/text/utf8.hpp"
#include "common/time/xsd_time.hpp"

namespace tekser::logging {

namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// Whether the run starting at `at` is the last group of a UUID (8-4-4-4-12): a message or
// trigger id whose last group happens to be all digits is not a BIN/IIN.
bool ends_a_uuid(std::string_view text, std::size_t at) {
  if (at < 24) return false;
  const auto head = text.substr(at - 24, 24);
  for (std::size_t i = 0; i < head.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? head[i] != '-' : !is_hex(head[i])) return false;
  }
  return at == 24 || !is_alnum(text[at - 25]);
}

// The masks of the strings inside `value`, in place (object keys are names, left alone). A string
// that is not UTF-8 (a hostile request target, a reply's bytes quoted in an error) has its bad
// bytes replaced by U+FFFD: Boost.JSON writes strings as they are, and one such byte would make
// the line unreadable to every JSON log reader.
void mask_value(boost::json::value& value) {
  if (auto* s = value.if_string()) {
    if (!text::is_valid_utf8(*s)) *s = text::to_valid_utf8(*s);
    const std::string masked = mask_identifiers(*s);
    if (masked != std::string_view(*s)) *s = masked;
  } else if (auto* a = value.if_array()) {
    for (auto& item : *a) mask_value(item);
  } else if (auto* o = value.if_object()) {
    for (auto& field : *o) mask_value(field.value());
  }
}

}  // namespace

std::string mask_identifiers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (!is_digit(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_digit(text[end])) ++end;
    const auto run = text.substr(i, end - i);
    // Standing alone: digits inside a hex digest or a token are not an identifier.
    const bool alone = (i == 0 || !is_alnum(text[i - 1])) &&
                       (end == text.size() || !is_alnum(text[end])) && !ends_a_uuid(text, i);
    out += run.size() == 12 && alone ? identity::mask(run) : std::string(run);
    i = end;
  }
  return out;
}

void JsonLog::write(std::string_view level, std::string_view event, boost::json::object fields) {
  boost::json::object line;
  line["time"] = xsd_time::format_utc(xsd_time::now_ms());
  line["level"] = level;
  line["event"] = event;
  for (auto& field : fields) {
    mask_value(field.value());
    line[field.key()] = std::move(field.value());
  }
  const auto text = boost::json::serialize(line);
  std::lock_guard lock(mutex_);
  out_ << text << '\n';
  out_.flush();
}

}  // namespace tekser::logging

#include "common/json/duplicate_keys.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>

namespace tekser::json_text {
namespace {

namespace json = boost::json;
using json::error_code;

// A SAX handler for Boost.JSON's basic_parser that only remembers, per open object, the names
// seen so far; it stops the parse at the first repeat.
class DuplicateFinder {
 public:
  static constexpr std::size_t max_object_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_string_size = std::numeric_limits<std::size_t>::max();

  std::optional<std::string> duplicate;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) {
    begin_value();
    frames_.push_back({});
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    frames_.pop_back();
    return true;
  }
  bool on_object_begin(error_code&) {
    begin_value();
    frames_.emplace_back();
    frames_.back().object = true;
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    frames_.pop_back();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, error_code&) { return scalar(); }
  bool on_key_part(json::string_view part, std::size_t, error_code&) {
    key_.append(part.data(), part.size());
    return true;
  }
  bool on_key(json::string_view part, std::size_t, error_code& ec) {
    key_.append(part.data(), part.size());
    auto& frame = frames_.back();
    frame.key = std::move(key_);
    key_.clear();
    if (!frame.keys.insert(frame.key).second) {
      duplicate = path();
      ec = json::error::syntax;  // any error: it only stops the parse
      return false;
    }
    return true;
  }
  bool on_number_part(json::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, error_code&) { return scalar(); }
  bool on_uint64(std::uint64_t, json::string_view, error_code&) { return scalar(); }
  bool on_double(double, json::string_view, error_code&) { return scalar(); }
  bool on_bool(bool, error_code&) { return scalar(); }
  bool on_null(error_code&) { return scalar(); }
  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }

 private:
  struct Frame {
    bool object = false;
    std::set<std::string> keys;  // object: the names seen
    std::string key;             // object: the member being read
    std::size_t elements = 0;    // array: elements begun
  };

  void begin_value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().elements;
  }
  bool scalar() {
    begin_value();
    return true;
  }
  std::string path() const {
    std::string out;
    for (const auto& frame : frames_) {
      if (frame.object)  // an empty name is written "" so that the field names something
        out += (out.empty() ? "" : ".") + (frame.key.empty() ? std::string("\"\"") : frame.key);
      else
        out += "[" + std::to_string(frame.elements - 1) + "]";
    }
    return out;
  }

  std::vector<Frame> frames_;
  std::string key_;
};

}  // namespace

std::optional<std::string> first_duplicate_key(std::string_view text) {
  json::parse_options options;
  options.max_depth = 10'000;  // the real parse applies the caller's depth limit
  json::basic_parser<DuplicateFinder> parser(options);
  error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  return parser.handler().duplicate;
}

}  // namespace tekser::json_text

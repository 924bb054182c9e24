#include "gateway/api/input.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include "common/json/duplicate_keys.hpp"
#include "common/text/utf8.hpp"
#include "gateway/api/reply.hpp"

namespace tekser::api {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// Why `text` (decoded) is not acceptable, or empty.
std::string text_problem(std::string_view text) {
  if (auto bad = text::invalid_utf8_at(text))
    return "not valid UTF-8 (byte " + std::to_string(*bad) + " of the decoded text)";
  if (text.find('\0') != std::string_view::npos) return "must not contain NUL (%00)";
  return {};
}

}  // namespace

void check_target_text(const boost::urls::url_view& url) {
  for (auto segment : url.segments()) {
    if (auto problem = text_problem(segment); !problem.empty())
      throw ApiError{http::status::bad_request, "target", "a path segment is " + problem};
  }
  for (auto param : url.params()) {
    if (auto problem = text_problem(param.key); !problem.empty())
      throw ApiError{http::status::bad_request, "target", "a query parameter's name is " + problem};
    if (auto problem = text_problem(param.value); !problem.empty())
      throw ApiError{http::status::bad_request, std::string(param.key), problem};
  }
}

json::value parse_json_object(std::string_view body) {
  if (auto bad = text::invalid_utf8_at(body))
    throw ApiError{http::status::bad_request, "body",
                   "not valid UTF-8 (byte " + std::to_string(*bad) + ")"};
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  json::error_code ec;
  auto value = json::parse(body, ec, {}, options);
  if (ec == json::error::too_deep)
    throw ApiError{http::status::bad_request, "body",
                   "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
  if (ec) throw ApiError{http::status::bad_request, "body", "not valid JSON: " + ec.message()};
  if (auto duplicate = json_text::first_duplicate_key(body))
    throw ApiError{http::status::bad_request, *duplicate,
                   "duplicate key: the body names it twice in one object"};
  if (!value.is_object())
    throw ApiError{http::status::bad_request, "body", "must be a JSON object"};
  return value;
}

std::string required_string(const json::object& object, std::string_view key,
                            const std::string& path) {
  const auto* v = object.if_contains(key);
  if (!v) throw ApiError{http::status::bad_request, path, "required"};
  if (!v->is_string()) throw ApiError{http::status::bad_request, path, "must be a string"};
  std::string text(v->as_string());
  if (text.empty()) throw ApiError{http::status::bad_request, path, "must not be empty"};
  if (text.find('\0') != std::string::npos)
    throw ApiError{http::status::bad_request, path, "must not contain NUL (\\u0000)"};
  return text;
}

void refuse_unknown_keys(const json::object& object, std::initializer_list<std::string_view> known,
                         const std::string& prefix) {
  for (const auto& [key, _] : object) {
    bool ok = false;
    for (auto k : known) ok = ok || key == k;
    if (ok) continue;
    // An empty member name names nothing: the error names the object it is in (found by fuzz).
    if (key.empty())
      throw ApiError{http::status::bad_request,
                     prefix.empty() ? std::string("body") : prefix.substr(0, prefix.size() - 1),
                     "a member with an empty name is not a field"};
    throw ApiError{http::status::bad_request, prefix + std::string(key), "unknown field"};
  }
}

std::vector<std::string> comma_separated(std::string_view value) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= value.size();) {
    auto comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    out.emplace_back(value.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool is_category(std::string_view name) {
  for (const auto* c : store::kCategories)
    if (name == c) return true;
  return false;
}

std::string category_list() {
  std::string all;
  for (const auto* c : store::kCategories) all += (all.empty() ? "" : ", ") + std::string(c);
  return all;
}

// The body of PUT /v1/suppliers/{id}: {"categories": [...], "consent": {...}?}.
store::SupplierRecord parse_supplier(const identity::Identifier& id, std::string_view body) {
  const auto value = parse_json_object(body);
  const auto& object = value.as_object();
  refuse_unknown_keys(object, {"categories", "consent", "services"}, "");

  store::SupplierRecord record;
  record.id = id.digits;
  record.subject_kind = std::string(identity::to_string(id.kind));

  const auto* categories = object.if_contains("categories");
  if (!categories) throw ApiError{http::status::bad_request, "categories", "required"};
  if (!categories->is_array() || categories->as_array().empty())
    throw ApiError{http::status::bad_request, "categories", "must be a non-empty array"};
  std::set<std::string> seen;
  const auto& list = categories->as_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto path = "categories[" + std::to_string(i) + "]";
    if (!list[i].is_string()) throw ApiError{http::status::bad_request, path, "must be a string"};
    std::string category(list[i].as_string());
    if (!is_category(category))
      throw ApiError{http::status::bad_request, path,
                     "unknown category '" + category + "' (one of: " + category_list() + ")"};
    if (seen.insert(category).second) record.categories.push_back(category);
  }

  // The portal's codes of the goods and services supplied: letters, digits, '.', '_', '-'.
  if (const auto* services = object.if_contains("services"); services && !services->is_null()) {
    if (!services->is_array())
      throw ApiError{http::status::bad_request, "services", "must be an array of service codes"};
    const auto& codes = services->as_array();
    if (codes.size() > kMaxServices)
      throw ApiError{http::status::bad_request, "services",
                     "at most " + std::to_string(kMaxServices) + " codes"};
    record.services.emplace();
    std::set<std::string> seen_codes;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      const auto path = "services[" + std::to_string(i) + "]";
      if (!codes[i].is_string())
        throw ApiError{http::status::bad_request, path, "must be a string"};
      std::string code(codes[i].as_string());
      const bool well_formed =
          !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' ||
                   ch == '-';
          });
      if (!well_formed)
        throw ApiError{http::status::bad_request, path,
                       "a service code is 1 to 64 letters, digits, '.', '_' or '-'"};
      if (seen_codes.insert(code).second) record.services->push_back(std::move(code));
    }
  }

  if (const auto* consent = object.if_contains("consent"); consent && !consent->is_null()) {
    if (!consent->is_object())
      throw ApiError{http::status::bad_request, "consent", "must be an object"};
    const auto& c = consent->as_object();
    refuse_unknown_keys(c, {"kdp_token", "public_key"}, "consent.");
    if (id.kind != identity::SubjectKind::individual)
      throw ApiError{http::status::bad_request, "consent",
                     "a consent token is for an individual (IIN), not a legal entity (BIN)"};
    record.consent = store::Consent{required_string(c, "kdp_token", "consent.kdp_token"),
                                    required_string(c, "public_key", "consent.public_key")};
  }
  return record;
}

}  // namespace tekser::api

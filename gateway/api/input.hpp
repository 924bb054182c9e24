// What the API accepts from outside besides its routes: the request target's decoded path
// segments and query parameters, and JSON bodies (the supplier's PUT body is read here). Each check
// raises a 400 naming the field and the reason, so that a hostile request (invalid UTF-8, JSON
// nested 10 000 deep, a NUL byte that PostgreSQL cannot store) is refused at the door, never a 500
// from deeper down.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/url/url_view.hpp>

#include "common/identity/identity.hpp"
#include "gateway/store/store.hpp"

namespace tekser::api {

// Deepest JSON body accepted (Boost.JSON's default, stated here so that the API's error says it).
inline constexpr std::size_t kMaxJsonDepth = 32;

// Every decoded path segment and query parameter (key and value) is valid UTF-8 without NUL;
// otherwise ApiError 400, field "target" or the parameter's name.
void check_target_text(const boost::urls::url_view& url);

// Parses a JSON body that must be an object. ApiError 400 on field "body": not valid UTF-8
// (with the byte), nested deeper than kMaxJsonDepth, not JSON (with the parser's reason), not an
// object.
boost::json::value parse_json_object(std::string_view body);

// A string member: required, a string, not empty, without NUL; ApiError 400 naming `path`.
std::string required_string(const boost::json::object& object, std::string_view key,
                            const std::string& path);

// ApiError 400 naming `prefix` + the first key of `object` that is not `known`.
void refuse_unknown_keys(const boost::json::object& object,
                         std::initializer_list<std::string_view> known, const std::string& prefix);

// The items of a comma-separated query value ("gbd_ul,kgd"), in order; an empty value or an empty
// item between commas is kept as "" (the caller names it as unknown).
std::vector<std::string> comma_separated(std::string_view value);

// "a, b, c": a list for an error message.
std::string joined(const std::vector<std::string>& items);

bool is_category(std::string_view name);
std::string category_list();  // "technical_aids, sanatorium, ..."

inline constexpr std::size_t kMaxServices = 200;

// The body of PUT /v1/suppliers/{id}: {"categories": [...], "services": [...]?, "consent": {...}?}
// (services: the portal's codes of what the supplier supplies). ApiError 400
// naming the field for anything else. A fuzz target (fuzz/gateway_supplier_put.cpp) feeds it.
store::SupplierRecord parse_supplier(const identity::Identifier& id, std::string_view body);

}  // namespace tekser::api

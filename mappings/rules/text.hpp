// Small text helpers shared by the mappings. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace tekser::mappings {

// A one-line human-readable address from parts in order (largest unit first): empty or missing
// parts are skipped, and so is a part that repeats an earlier one or the city an earlier part
// names ("Алматы" after the region "город Алматы" / "Алматы қаласы"; a city "Қарағанды" after
// "Қарағанды облысы" stays). Parts are joined with ", ". Empty when no part.
std::string address_line(const std::vector<std::optional<std::string>>& parts);

// A string member of a JSON object, or nullopt when it is missing, null or not a string.
std::optional<std::string> member_text(const boost::json::object& object, std::string_view key);

// `label` joined to a value, or nullopt when there is no value: labelled("дом ", "101").
std::optional<std::string> labelled(std::string_view prefix,
                                    const std::optional<std::string>& value,
                                    std::string_view suffix = {});

}  // namespace tekser::mappings

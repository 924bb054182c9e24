// The body of the REST mapping targets: any bytes as one page of a register's JSON reply, read as
// the REST adapters read it (adapters/rest read_json_page: UTF-8, depth, NUL), then mapped for the
// subject its first item names (or a fixed one), as the adapters map a fetched page.
#pragma once

#include <functional>
#include <string>

#include <boost/json/value.hpp>

#include "adapters/rest/json_pages.hpp"
#include "fuzz/check.hpp"
#include "fuzz/target.hpp"

namespace tekser::fuzz {

using RestMapping = std::function<mappings::MappedReply(
    const boost::json::value& page, std::string_view subject, std::string_view today,
    const facts::Provenance& provenance)>;

// `items_key`: where the page lists its items; `subject_key`: the item's BIN/IIN member.
inline int run_rest_mapping(const std::uint8_t* data, std::size_t size, std::string_view system,
                            std::string_view items_key, std::string_view subject_key,
                            const RestMapping& mapping) {
  const auto read = adapters::rest::read_json_page(as_text(data, size));
  if (!read.page) return 0;
  std::string subject = "150340012340";
  if (const auto* object = read.page->if_object()) {
    if (const auto* items = object->if_contains(items_key); items && items->is_array()) {
      const auto& list = items->get_array();
      if (!list.empty() && list[0].is_object())
        if (const auto* id = list[0].get_object().if_contains(subject_key); id && id->is_string())
          subject = std::string(id->get_string());
    }
  }
  check_mapped(mapping(*read.page, subject, "2026-01-15", provenance(system)));
  return 0;
}

}  // namespace tekser::fuzz

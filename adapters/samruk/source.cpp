#include "adapters/samruk/source.hpp"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "adapters/rest/json_pages.hpp"
#include "mappings/samruk/samruk.hpp"

namespace tekser::adapters::samruk {
namespace {

namespace json = boost::json;
namespace mapping = mappings::samruk;

}  // namespace

UnreliableSource::UnreliableSource(net::HttpClient& client, Options options)
    : client_(client), options_(std::move(options)) {}

std::string_view UnreliableSource::system() const {
  return mapping::kSystem;
}
std::string_view UnreliableSource::service_id() const {
  return mapping::kServiceId;
}

bool UnreliableSource::applies_to(const Subject&) const {
  return true;  // legal entities (BIN) and individual entrepreneurs (IIN)
}

boost::asio::awaitable<QueryResult> UnreliableSource::query(const Subject& subject) {
  const auto message_id = net::new_uuid();
  const auto audit = subject.audit;
  const Outgoing outgoing{std::string(system()), std::string(service_id()), message_id, subject.id};
  if (audit) {
    auto opening = audit->open(outgoing);
    const auto refused = co_await std::move(opening);
    if (refused) co_return not_sent(outgoing, *refused);
  }
  const std::string base = options_.base_path +
                           "/api/unreliable-suppliers?bin_iin=" + rest::query_escape(subject.id) +
                           "&list=all&page_size=" + std::to_string(options_.page_size);
  // The page number is ours to count: "next" only says whether another page follows.
  auto page_number = std::make_shared<int>(1);
  rest::NextTarget next = [base,
                           page_number](const json::value& page) -> std::optional<std::string> {
    const auto* link = page.is_object() ? page.as_object().if_contains("next") : nullptr;
    if (!link || !link->is_string()) return std::nullopt;
    return base + "&page=" + std::to_string(++*page_number);
  };
  auto fetch = rest::fetch_json_pages(client_, {rest::bearer(options_.token)}, base, next,
                                      options_.max_pages, message_id, subject.deadline);
  auto fetched = co_await std::move(fetch);
  const auto today = options_.today ? options_.today() : rest::kazakhstan_today(xsd_time::now_ms());
  const std::string subject_id = subject.id;
  rest::PagesMapping map = [&today, &subject_id](const std::vector<json::value>& pages,
                                                 const facts::Provenance& provenance) {
    if (pages.size() == 1) return mapping::map_lists(pages.front(), subject_id, today, provenance);
    json::array results;
    for (const auto& page : pages) {
      const auto* found = page.is_object() ? page.as_object().if_contains("results") : nullptr;
      if (!found || !found->is_array())
        return mapping::map_lists(page, subject_id, today, provenance);  // says malformed
      for (const auto& item : found->as_array()) results.push_back(item);
    }
    return mapping::map_lists(json::object{{"results", std::move(results)}}, subject_id, today,
                              provenance);
  };
  auto answer = rest::to_query_result(std::move(fetched), message_id, system(), service_id(), map,
                                      options_.valid_for);
  if (audit) {
    auto closing = audit->close(outgoing, answer);
    co_await std::move(closing);
  }
  co_return answer;
}

}  // namespace tekser::adapters::samruk

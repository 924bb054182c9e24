#include "adapters/goszakup/source.hpp"

#include <utility>

#include <openssl/evp.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/rest/json_pages.hpp"
#include "mappings/goszakup/goszakup.hpp"

namespace tekser::adapters::goszakup {
namespace {

namespace json = boost::json;
namespace mapping = mappings::goszakup;

std::string rnu_target(const Options& options, std::string_view query) {
  return options.base_path + "/v3/rnu?" + std::string(query);
}

std::string today_of(const Options& options) {
  return options.today ? options.today() : rest::kazakhstan_today(xsd_time::now_ms());
}

// A page's "next_page" says whether more rows follow; the cursor is the last id received.
std::optional<std::int64_t> last_id_if_more(const json::value& page) {
  if (!page.is_object()) return std::nullopt;
  const auto* next = page.as_object().if_contains("next_page");
  if (!next || !next->is_string() || next->as_string().empty()) return std::nullopt;
  const auto* items = page.as_object().if_contains("items");
  if (!items || !items->is_array() || items->as_array().empty()) return std::nullopt;
  const auto& last = items->as_array().back();
  if (!last.is_object()) return std::nullopt;
  const auto* id = last.as_object().if_contains("id");
  if (!id || !id->is_int64()) return std::nullopt;
  return id->as_int64();
}

// Incremental SHA-256 (the digest library hashes one buffer; the mirror streams).
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }
  std::string hex() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_, out, &size);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (unsigned i = 0; i < size; ++i) {
      text += kHex[out[i] >> 4];
      text += kHex[out[i] & 0x0F];
    }
    return text;
  }

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace

RnuSource::RnuSource(net::HttpClient& client, Options options)
    : client_(client), options_(std::move(options)) {}

std::string_view RnuSource::system() const {
  return mapping::kSystem;
}
std::string_view RnuSource::service_id() const {
  return mapping::kServiceId;
}

bool RnuSource::applies_to(const Subject&) const {
  return true;  // BINs (legal entities) and IINs (individual entrepreneurs) alike
}

boost::asio::awaitable<QueryResult> RnuSource::query(const Subject& subject) {
  const auto message_id = net::new_uuid();
  const auto audit = subject.audit;
  const Outgoing outgoing{std::string(system()), std::string(service_id()), message_id, subject.id};
  if (audit) {
    auto opening = audit->open(outgoing);
    const auto refused = co_await std::move(opening);
    if (refused) co_return not_sent(outgoing, *refused);
  }
  const std::string filter = "supplier_biin=" + rest::query_escape(subject.id) +
                             "&limit=" + std::to_string(options_.page_limit);
  const Options& options = options_;
  rest::NextTarget next = [&options,
                           filter](const json::value& page) -> std::optional<std::string> {
    auto last = last_id_if_more(page);
    if (!last) return std::nullopt;
    return rnu_target(options, filter + "&after=" + std::to_string(*last));
  };
  auto fetch =
      rest::fetch_json_pages(client_, {rest::bearer(options_.token)}, rnu_target(options_, filter),
                             next, options_.max_pages, message_id, subject.deadline);
  auto fetched = co_await std::move(fetch);
  const auto today = today_of(options_);
  const std::string supplier = subject.id;
  rest::PagesMapping map = [&today, &supplier](const std::vector<json::value>& pages,
                                               const facts::Provenance& provenance) {
    json::array items;
    for (const auto& page : pages) {
      const auto* found = page.is_object() ? page.as_object().if_contains("items") : nullptr;
      if (!found || !found->is_array()) return mapping::map_rnu(page, supplier, today, provenance);
      for (const auto& item : found->as_array()) items.push_back(item);
    }
    return mapping::map_items(items, supplier, today, provenance);
  };
  auto answer = rest::to_query_result(std::move(fetched), message_id, system(), service_id(), map,
                                      options_.valid_for);
  if (audit) {
    auto closing = audit->close(outgoing, answer);
    co_await std::move(closing);
  }
  co_return answer;
}

boost::asio::awaitable<MirrorResult> mirror(net::HttpClient& client, Options options,
                                            PageCallback on_page) {
  MirrorResult out;
  Sha256 digest;
  const std::string limit = "limit=" + std::to_string(options.page_limit);
  std::optional<std::string> target = rnu_target(options, limit);
  std::optional<std::int64_t> previous_id;
  while (target) {
    if (out.pages >= options.max_pages) {
      out.cause = "more than " + std::to_string(options.max_pages) + " pages";
      co_return out;
    }
    // One page per fetch: the mirror checks the cursor itself.
    rest::NextTarget last_page = [](const json::value&) -> std::optional<std::string> {
      return std::nullopt;
    };
    auto fetch = rest::fetch_json_pages(client, {rest::bearer(options.token)}, *target, last_page,
                                        1, net::new_uuid());
    auto fetched = co_await std::move(fetch);
    if (fetched.exchange.kind != shep::Exchange::Kind::data) {
      out.cause = "page " + std::to_string(out.pages + 1) + ": " + fetched.exchange.cause;
      co_return out;
    }
    const auto& page = fetched.pages.front();
    const auto* items = page.is_object() ? page.as_object().if_contains("items") : nullptr;
    if (!items || !items->is_array()) {
      out.cause = "page " + std::to_string(out.pages + 1) + " has no \"items\" array";
      co_return out;
    }
    if (!out.total) {
      const auto* total = page.as_object().if_contains("total");
      if (total && total->is_int64()) out.total = total->as_int64();
    }
    for (const auto& item : items->as_array()) {
      const auto* id = item.is_object() ? item.as_object().if_contains("id") : nullptr;
      if (!id || !id->is_int64()) {
        out.cause = "page " + std::to_string(out.pages + 1) + ": an item without an integer id";
        co_return out;
      }
      if (previous_id && id->as_int64() <= *previous_id) {
        out.cause = "id " + std::to_string(id->as_int64()) + " after id " +
                    std::to_string(*previous_id) + ": the cursor went back or repeated";
        co_return out;
      }
      previous_id = id->as_int64();
      digest.update(json::serialize(item));
      digest.update("\n");
      if (!on_page) out.rows.push_back(item.as_object());
    }
    out.count += items->as_array().size();
    ++out.pages;
    if (on_page) co_await on_page(items->as_array());
    const auto last = last_id_if_more(page);
    target = last ? std::optional(rnu_target(options, limit + "&after=" + std::to_string(*last)))
                  : std::nullopt;
  }
  out.sha256 = digest.hex();
  if (out.total && *out.total != static_cast<std::int64_t>(out.count)) {
    out.cause = "received " + std::to_string(out.count) + " rows, the register says " +
                std::to_string(*out.total);
    co_return out;
  }
  out.complete = true;
  co_return out;
}

}  // namespace tekser::adapters::goszakup

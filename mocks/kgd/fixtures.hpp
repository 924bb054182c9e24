// The taxpayers the mock KGD knows (fixtures/kgd.json) and the codes it writes. ASSUMED contract
// (contracts/assumed/kgd): every code here is ours until the service passport arrives; they all
// live in this one table so that a real code list changes one file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tekser::mocks::kgd {

// ---- assumed codes ----

// Response/result/code.
inline constexpr std::string_view kResultFound = "00";
inline constexpr std::string_view kResultNotFound = "01";
inline constexpr std::string_view kResultRejected = "02";

struct ResultCode {
  std::string_view code;
  std::string_view message_ru;
  std::string_view message_kk;
};
const ResultCode& result(std::string_view code);

// What a budget classification code (KBK) collects: it decides which total a line counts in.
enum class Levy { tax, pension, social, health };

struct Kbk {
  std::string_view code;
  Levy levy;
  std::string_view name_ru;
  std::string_view name_kk;
};
std::span<const Kbk> kbks();
const Kbk* find_kbk(std::string_view code);

// The published lists. `key` is how fixtures name a list; `code` is what the reply carries.
struct PublishedList {
  std::string_view key;
  std::string_view code;
  std::string_view name_ru;
  std::string_view name_kk;
};
std::span<const PublishedList> lists();
const PublishedList* find_list(std::string_view key);

// ---- fixtures ----

struct Line {
  std::string kbk;
  std::int64_t tax = 0;  // amounts in tiyn (1/100 tenge)
  std::int64_t penalty = 0;
  std::int64_t percent = 0;
  std::int64_t fine = 0;
  std::int64_t total() const { return tax + penalty + percent + fine; }
};

struct Office {
  std::string code;  // charCode
  std::string name_ru;
  std::string name_kk;
  std::optional<std::string> report_date;
  std::vector<Line> lines;
};

struct ListEntry {
  std::string list;  // a PublishedList key
  std::optional<std::string> included_on;
  std::optional<std::string> decision;
  std::optional<std::string> reason_ru;
  std::optional<std::string> reason_kk;
};

// An IIN's registration as an individual entrepreneur (entrepreneurRegistration). ASSUMED codes:
// registered 1, deregistered 2 (activity terminated), suspended 3.
struct EntrepreneurRegistration {
  std::string status;  // registered | deregistered | suspended
  std::optional<std::string> registered_on;
  std::optional<std::string> deregistered_on;
  std::optional<std::string> suspended_from;
  std::optional<std::string> suspended_until;
  std::optional<std::string> reason_ru;
};
struct RegistrationStatus {
  std::string_view status;
  std::string_view code;
  std::string_view name_ru;
  std::string_view name_kk;
};
// THE table of registration statuses; nullptr for a status it does not hold.
const RegistrationStatus* find_registration_status(std::string_view status);

struct Taxpayer {
  std::string id;
  std::string description;
  std::string biin;
  std::string name_ru;
  std::optional<std::string> name_kk;
  std::vector<Office> offices;
  std::vector<ListEntry> lists;
  std::optional<EntrepreneurRegistration> registration;  // an IIN registered as an entrepreneur

  // Sums over the lines, by levy (tiyn).
  std::int64_t total(Levy levy) const;
  std::int64_t total() const;
};

struct Absent {
  std::string id;
  std::string description;
  std::string identifier;
};

struct Register {
  std::vector<Taxpayer> taxpayers;
  std::vector<Absent> absent;
  const Taxpayer* find(std::string_view biin) const;
};

// Parses and checks a fixture document: identifiers (check digit, structure), dates, KBK and list
// codes, amounts (non-negative, at most two decimals), unique ids/identifiers, one entry per list.
// Throws fixtures::FixtureError naming the entry and the field; `source` names the document.
Register parse(std::string_view json_text, std::string_view source);
Register load(const std::filesystem::path& file);

// 1234567 tiyn -> "12345.67".
std::string format_amount(std::int64_t tiyn);

}  // namespace tekser::mocks::kgd

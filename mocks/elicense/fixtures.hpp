// The subjects the mock e-licensing register knows (fixtures/elicense.json) and the codes it
// writes. ASSUMED contract (contracts/assumed/elicense): every code here is ours until the
// service passport arrives; they all live in this one table so that a real code list changes one
// file. The gateway's reading of the same codes is mappings/elicense/codes.hpp.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tekser::mocks::elicense {

// ---- assumed codes ----

inline constexpr std::string_view kResultFound = "00";
inline constexpr std::string_view kResultNotFound = "01";
inline constexpr std::string_view kResultRejected = "02";

struct Coded {
  std::string_view code;
  std::string_view name_ru;
  std::string_view name_kk;
};

const Coded& result(std::string_view code);

// Licensed activities (License/activity).
std::span<const Coded> activities();
const Coded* find_activity(std::string_view code);

// Subtypes of an activity (License/subtype); `activity` is the parent.
struct Subtype {
  std::string_view activity;
  Coded coded;
};
std::span<const Subtype> subtypes();
const Subtype* find_subtype(std::string_view code);

// Notification kinds (Notification/kind).
std::span<const Coded> notification_kinds();
const Coded* find_notification_kind(std::string_view code);

// Statuses. Fixtures name them by key (valid, suspended, revoked, terminated); replies carry the
// code. A notification cannot be revoked (the law ends it: terminated).
struct Status {
  std::string_view key;
  Coded coded;
};
std::span<const Status> statuses();
const Status* find_status(std::string_view key);

// ---- fixtures ----

// A licensor or the authority a notification went to: data, not an assumed code.
struct Authority {
  std::string code;
  std::string name_ru;
  std::string name_kk;
};

struct Licence {
  std::string number;
  std::string activity;               // activities() code
  std::vector<std::string> subtypes;  // subtypes() codes of that activity
  std::string status;                 // statuses() key
  std::string issued;
  std::optional<std::string> expires;  // none: perpetual
  Authority licensor;
};

struct Notification {
  std::string number;
  std::string kind;    // notification_kinds() code
  std::string status;  // statuses() key other than revoked
  std::string date;
  std::optional<Authority> receiver;
};

struct Subject {
  std::string id;
  std::string description;
  std::string biin;
  std::string name_ru;
  std::optional<std::string> name_kk;
  std::vector<Licence> licences;
  std::vector<Notification> notifications;
};

struct Absent {
  std::string id;
  std::string description;
  std::string identifier;
};

struct Register {
  std::vector<Subject> subjects;
  std::vector<Absent> absent;
  const Subject* find(std::string_view biin) const;
};

// Parses and checks a fixture document: identifiers, dates (expiry after issue), codes and their
// coherence (a subtype of the licence's activity, no revoked notification), unique ids, identifiers
// and licence/notification numbers. Throws fixtures::FixtureError naming the entry and the field.
Register parse(std::string_view json_text, std::string_view source);
Register load(const std::filesystem::path& file);

}  // namespace tekser::mocks::elicense

#include "mocks/portal/trigger.hpp"

#include <algorithm>
#include <initializer_list>
#include <regex>
#include <set>

#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "common/json/duplicate_keys.hpp"

namespace tekser::mocks::portal {
namespace {

namespace json = boost::json;

// The patterns of trigger.schema.json, word for word, so that the mock and the schema agree.
const std::regex& uuid_pattern() {
  static const std::regex pattern("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return pattern;
}
const std::regex& timestamp_pattern() {
  static const std::regex pattern(
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{"
      "2})"
      "$");
  return pattern;
}
const std::regex& supplier_id_pattern() {
  static const std::regex pattern("^[A-Za-z0-9._:-]{1,64}$");
  return pattern;
}
const std::regex& step_pattern() {
  static const std::regex pattern("^[a-z][a-z0-9_]{0,63}$");
  return pattern;
}

const std::regex& ground_code_pattern() {
  static const std::regex pattern("^p[0-9]{1,2}\\.[0-9a-z_]{1,32}$");
  return pattern;
}
const std::regex& rule_set_pattern() {
  static const std::regex pattern("^[a-z0-9][a-z0-9.-]{0,63}$");
  return pattern;
}
const std::regex& service_id_pattern() {
  static const std::regex pattern("^[A-Za-z0-9_.-]{1,64}$");
  return pattern;
}
const std::regex& sha256_pattern() {
  static const std::regex pattern("^[0-9a-f]{64}$");
  return pattern;
}
const std::regex& fact_name_pattern() {
  static const std::regex pattern("^[a-z][a-z0-9_]{0,63}$");
  return pattern;
}

constexpr std::int64_t kMaxSequence = 9007199254740991;  // 2^53 - 1: exact in every JSON reader
constexpr std::size_t kMaxGrounds = 16;
constexpr std::size_t kMaxEvidence = 32;
constexpr std::size_t kMaxDeadlineSteps = 8;
constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxMessageId = 128;
// The grounds p.16 makes automatic: the only ones a block, a deregistration or an unblock rest on.
constexpr std::string_view kAutomaticGrounds[] = {"p15.2", "p15.3", "p15.4"};
// Death and termination: never lifted by an unblock (re-registration is by application, p.20).
constexpr std::string_view kFinalGround = "p15.2";
constexpr std::string_view kSystems[] = {"gbd_ul",   "gbd_fl", "kgd",  "elicense",
                                         "goszakup", "samruk", "enis", "pa_checks"};

// Thrown inside this file only; parse_trigger() turns it into a BodyProblem.
struct Refusal {
  std::string field;
  std::string reason;
};

[[noreturn]] void refuse(std::string field, std::string reason) {
  throw Refusal{std::move(field), std::move(reason)};
}

std::string member(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string element(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

std::string json_type(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "unknown";
}

// Unknown members first (a misspelt one explains a "missing" one), then the required ones.
const json::object& as_object(const json::value& value, std::string_view path,
                              std::initializer_list<std::string_view> required,
                              std::initializer_list<std::string_view> optional) {
  if (!value.is_object())
    refuse(path.empty() ? "body" : std::string(path), "must be an object, not " + json_type(value));
  const auto& object = value.as_object();
  for (const auto& field : object) {
    const auto known = [&](std::initializer_list<std::string_view> keys) {
      return std::find(keys.begin(), keys.end(), field.key()) != keys.end();
    };
    if (!known(required) && !known(optional)) refuse(member(path, field.key()), "unknown field");
  }
  for (const auto key : required)
    if (!object.contains(key)) refuse(member(path, key), "is required");
  return object;
}

std::string_view string_at(const json::object& object, std::string_view path,
                           std::string_view key) {
  const auto& value = object.at(key);
  if (!value.is_string()) refuse(member(path, key), "must be a string, not " + json_type(value));
  return value.as_string();
}

std::string_view matching(const json::object& object, std::string_view path, std::string_view key,
                          const std::regex& pattern, std::string_view what) {
  const auto text = string_at(object, path, key);
  if (!std::regex_match(text.begin(), text.end(), pattern))
    refuse(member(path, key),
           "must be " + std::string(what) + ", got '" + std::string(text.substr(0, 80)) + "'");
  return text;
}

std::size_t code_points(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string_view text_at(const json::object& object, std::string_view path, std::string_view key,
                         std::size_t max) {
  const auto text = string_at(object, path, key);
  const auto length = code_points(text);
  if (length == 0) refuse(member(path, key), "must not be empty");
  if (length > max)
    refuse(member(path, key),
           "must be at most " + std::to_string(max) + " characters, has " + std::to_string(length));
  return text;
}

xsd_time::TimePoint timestamp_at(const json::object& object, std::string_view path,
                                 std::string_view key) {
  const auto text =
      matching(object, path, key, timestamp_pattern(),
               "an RFC 3339 date-time with an explicit offset, e.g. 2026-01-15T10:00:00+05:00");
  const auto parsed = xsd_time::parse_datetime(text, true);
  if (!parsed) refuse(member(path, key), "is not a valid date-time: '" + std::string(text) + "'");
  return *parsed;
}

const json::array& array_at(const json::object& object, std::string_view path, std::string_view key,
                            std::size_t max) {
  const auto& value = object.at(key);
  if (!value.is_array()) refuse(member(path, key), "must be an array, not " + json_type(value));
  const auto& array = value.as_array();
  if (array.empty()) refuse(member(path, key), "must have at least one item");
  if (array.size() > max)
    refuse(member(path, key), "must have at most " + std::to_string(max) + " items, has " +
                                  std::to_string(array.size()));
  return array;
}

std::int64_t sequence_at(const json::object& object) {
  const auto& value = object.at("sequence");
  std::int64_t sequence = 0;
  if (value.is_int64()) {
    sequence = value.as_int64();
  } else if (value.is_uint64()) {
    sequence = kMaxSequence + 1;  // beyond int64: out of range all the same
  } else {
    refuse("sequence", "must be an integer, not " +
                           (value.is_double() ? std::string("a number with a fraction or exponent")
                                              : json_type(value)));
  }
  if (sequence < 1 || sequence > kMaxSequence)
    refuse("sequence", "must be an integer from 1 to 2^53-1, got " + json::serialize(value));
  return sequence;
}

std::string supplier_at(const json::object& body) {
  const auto& supplier = as_object(body.at("supplier"), "supplier", {"id"}, {"bin", "iin"});
  const auto id = matching(supplier, "supplier", "id", supplier_id_pattern(),
                           "1..64 characters of A-Z a-z 0-9 . _ : -");
  const bool has_bin = supplier.contains("bin");
  const bool has_iin = supplier.contains("iin");
  if (has_bin && has_iin) refuse("supplier", "must carry exactly one of bin and iin, not both");
  if (!has_bin && !has_iin)
    refuse("supplier", "must carry one of bin (legal entity) or iin (individual)");
  const auto key = has_bin ? "bin" : "iin";
  const auto kind =
      has_bin ? identity::SubjectKind::legal_entity : identity::SubjectKind::individual;
  const auto parsed = identity::parse_as(string_at(supplier, "supplier", key), kind);
  if (!parsed) refuse(member("supplier", key), parsed.error);
  return std::string(id);
}

void check_grounds(const json::object& body, TriggerKind kind) {
  const auto& grounds = array_at(body, "", "grounds", kMaxGrounds);
  std::set<std::string, std::less<>> codes;
  for (std::size_t i = 0; i < grounds.size(); ++i) {
    const auto path = element("grounds", i);
    const auto& ground = as_object(grounds[i], path, {"code", "text_ru"},
                                   {"text_kk", "reason_ru", "reason_kk", "reference"});
    const auto code = matching(ground, path, "code", ground_code_pattern(),
                               "a requirement id of the rule set such as p15.2 or p3.4");
    if (!codes.emplace(code).second)
      refuse(member(path, "code"), "'" + std::string(code) + "' appears twice");
    const bool automatic = std::find(std::begin(kAutomaticGrounds), std::end(kAutomaticGrounds),
                                     code) != std::end(kAutomaticGrounds);
    if (kind == TriggerKind::review) {
      if (!code.starts_with("p13."))
        refuse(member(path, "code"),
               "a review rests on p.13 (a changed legal address), such as "
               "p13.legal_address; got '" +
                   std::string(code) + "'");
    } else if (kind != TriggerKind::warning && !automatic)
      refuse(member(path, "code"), "a " + std::string(to_string(kind)) +
                                       " rests only on p.15 sub-items 2-4 (p15.2, p15.3, "
                                       "p15.4); '" +
                                       std::string(code) + "' belongs in a warning");
    if (kind == TriggerKind::unblock && code == kFinalGround)
      refuse(member(path, "code"),
             "p15.2 (death, termination) is final: an unblock lifts p15.3 or p15.4 only");
    text_at(ground, path, "text_ru", kMaxText);
    for (const auto key : {"text_kk", "reason_ru", "reason_kk", "reference"})
      if (ground.contains(key)) text_at(ground, path, key, kMaxText);
  }
}

void check_evidence(const json::object& body) {
  const auto& evidence = array_at(body, "", "evidence", kMaxEvidence);
  for (std::size_t i = 0; i < evidence.size(); ++i) {
    const auto path = element("evidence", i);
    const auto& item = as_object(
        evidence[i], path,
        {"system", "service_id", "message_id", "received_at", "reply_sha256", "fact"}, {});
    const auto system = string_at(item, path, "system");
    if (std::find(std::begin(kSystems), std::end(kSystems), system) == std::end(kSystems))
      refuse(member(path, "system"),
             "'" + std::string(system) +
                 "' is not one of gbd_ul, gbd_fl, kgd, elicense, goszakup, samruk, enis, "
                 "pa_checks");
    matching(item, path, "service_id", service_id_pattern(),
             "1..64 characters of A-Z a-z 0-9 _ . -");
    text_at(item, path, "message_id", kMaxMessageId);
    timestamp_at(item, path, "received_at");
    matching(item, path, "reply_sha256", sha256_pattern(), "64 lower-case hex digits");
    const auto fact_path = member(path, "fact");
    const auto& fact = as_object(item.at("fact"), fact_path, {"name", "value"}, {});
    matching(fact, fact_path, "name", fact_name_pattern(),
             "a fact name: a-z, 0-9 and _, starting with a letter");
  }
}

// Only a deadline the law gives: `deadline` and `deadlines` come together or not at all;
// `deadline` is the first step's due, and each step falls due after the one before.
void check_deadlines(const json::object& body, xsd_time::TimePoint data_received_at,
                     Trigger& trigger) {
  if (body.contains("deadline") != body.contains("deadlines"))
    refuse(body.contains("deadline") ? "deadlines" : "deadline",
           "is required with " + std::string(body.contains("deadline") ? "deadline" : "deadlines") +
               ": both or neither");
  if (!body.contains("deadline")) return;
  trigger.deadline = timestamp_at(body, "", "deadline");
  if (*trigger.deadline <= data_received_at) refuse("deadline", "must be after data_received_at");
  const auto& steps = array_at(body, "", "deadlines", kMaxDeadlineSteps);
  auto previous = data_received_at;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto path = element("deadlines", i);
    const auto& step = as_object(steps[i], path, {"step", "due", "working_days", "reference"},
                                 {"what_ru", "what_kk", "estimate"});
    matching(step, path, "step", step_pattern(), "a step name: a-z, 0-9 and _");
    const auto due = timestamp_at(step, path, "due");
    if (due <= previous)
      refuse(member(path, "due"),
             i == 0 ? "must be after data_received_at" : "must be after the step before");
    if (i == 0 && due != *trigger.deadline)
      refuse("deadline", "must be the first step's due (deadlines[0].due)");
    const auto& days = step.at("working_days");
    if (!days.is_int64() || days.as_int64() < 1 || days.as_int64() > 30)
      refuse(member(path, "working_days"), "must be an integer from 1 to 30");
    text_at(step, path, "reference", kMaxText);
    for (const auto key : {"what_ru", "what_kk"})
      if (step.contains(key)) text_at(step, path, key, kMaxText);
    if (const auto* estimate = step.if_contains("estimate"); estimate && !estimate->is_bool())
      refuse(member(path, "estimate"), "must be true or false");
    previous = due;
  }
}

Trigger check(const json::value& value) {
  const auto& body = as_object(value, "",
                               {"trigger_id", "kind", "supplier", "sequence", "grounds", "evidence",
                                "rule_set", "created_at", "data_received_at"},
                               {"supersedes", "deadline", "deadlines"});
  Trigger trigger;
  trigger.trigger_id = std::string(
      matching(body, "", "trigger_id", uuid_pattern(), "a UUID in canonical lower-case form"));
  const auto kind_text = string_at(body, "", "kind");
  const auto kind = parse_trigger_kind(kind_text);
  if (!kind)
    refuse("kind", "'" + std::string(kind_text.substr(0, 40)) +
                       "' is not one of block, deregister, unblock, warning, review");
  trigger.kind = *kind;
  trigger.supplier_id = supplier_at(body);
  trigger.sequence = sequence_at(body);
  if (body.contains("supersedes")) {
    const auto supersedes =
        matching(body, "", "supersedes", uuid_pattern(), "a UUID in canonical lower-case form");
    if (supersedes == trigger.trigger_id)
      refuse("supersedes", "names the trigger itself; it must name an earlier trigger");
  }
  check_grounds(body, trigger.kind);
  check_evidence(body);
  matching(body, "", "rule_set", rule_set_pattern(),
           "a rule set id such as order-285-as-amended-2025-08-29");
  const auto created_at = timestamp_at(body, "", "created_at");
  const auto data_received_at = timestamp_at(body, "", "data_received_at");
  if (created_at < data_received_at)
    refuse("created_at", "is before data_received_at: a trigger follows the data");
  check_deadlines(body, data_received_at, trigger);
  trigger.body = body;
  return trigger;
}

}  // namespace

std::string_view to_string(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::block:
      return "block";
    case TriggerKind::deregister:
      return "deregister";
    case TriggerKind::unblock:
      return "unblock";
    case TriggerKind::warning:
      return "warning";
    case TriggerKind::review:
      return "review";
  }
  return "unknown";
}

std::optional<TriggerKind> parse_trigger_kind(std::string_view text) {
  for (const auto kind : {TriggerKind::block, TriggerKind::deregister, TriggerKind::unblock,
                          TriggerKind::warning, TriggerKind::review})
    if (to_string(kind) == text) return kind;
  return std::nullopt;
}

bool is_canonical_uuid(std::string_view text) {
  return std::regex_match(text.begin(), text.end(), uuid_pattern());
}

std::variant<Trigger, BodyProblem> parse_trigger(std::string_view body) {
  boost::system::error_code ec;
  const auto value = json::parse(body, ec);
  if (ec) return BodyProblem{"body", "is not JSON: " + ec.message()};
  // The portal's contract has one value per member: a repeat is the sender's bug, never a choice.
  if (auto duplicate = json_text::first_duplicate_key(body))
    return BodyProblem{*duplicate, "duplicate key: named twice in one object"};
  try {
    return check(value);
  } catch (const Refusal& refusal) {
    return BodyProblem{refusal.field, refusal.reason};
  }
}

}  // namespace tekser::mocks::portal

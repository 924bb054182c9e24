// tekser-ctl: the operators' command line for the gateway's refresh runs, trigger outbox and audit,
// over its HTTP API (gateway/api/operations.hpp). Progress goes to stderr (one redrawn line on a
// terminal, a line every few seconds otherwise), results to stdout.
//
//   tekser-ctl [--url URL] [--token-file FILE] [--json] refresh start [--watch]
//   tekser-ctl refresh status [RUN_ID]        (the latest run when omitted)
//   tekser-ctl refresh watch [RUN_ID]
//   tekser-ctl refresh cancel RUN_ID
//   tekser-ctl refresh list
//   tekser-ctl triggers [--status S] [--kind K] [--overdue] [--supplier ID] [--after N] [--limit N]
//   tekser-ctl triggers show TRIGGER_ID
//   tekser-ctl triggers replay TRIGGER_ID
//   tekser-ctl audit [--subject ID] [--client C] [--system S] [--request-id R] [--since T]
//                    [--until T] [--after N] [--limit N]
//                    (who asked the state systems about whom, and why)
//   tekser-ctl rules dry-run --rule-set FILE [--limit N]
//   tekser-ctl facts re-derive [--system S]... [--supplier ID] [--since T] [--apply] [--limit N]
//   tekser-ctl exchanges export --system S [--subject ID] [--since T] [--until T] --out DIR
//                    [--mask-personal-data]     (replies of the message log as files the mocks
//                                                replay: tekser-mocks --replay DIR)
//
// The API token (the gateway's api.auth) comes from --token-file or the environment's
// TEKSER_TOKEN; it is sent as Authorization: Bearer and never printed. An https --url is checked
// against --ca-file (else the system's CAs); --cert and --key present a client certificate to an
// API that asks for one (api.tls.client_certificate).
//
// Exit codes: 0 success (watch: the run is done), 1 the watched run was cancelled, 2 bad usage,
// 3 the gateway refused (its reason is printed as "field: reason"; also 401/403), 4 the gateway
// is unreachable.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include "common/digest/sha256.hpp"
#include "gateway/cli/format.hpp"
#include "gateway/cli/gateway_client.hpp"
#include "gateway/cli/mask.hpp"

namespace {

namespace json = boost::json;
namespace po = boost::program_options;
using namespace tekser::ctl;
using Clock = std::chrono::steady_clock;

constexpr int kDone = 0;
constexpr int kCancelled = 1;
constexpr int kUsage = 2;
constexpr int kRefused = 3;
constexpr int kUnreachable = 4;

constexpr const char* kUsageText =
    "usage: tekser-ctl [--url URL] [--token-file FILE] [--timeout S] [--json] COMMAND ...\n"
    "  (the API token: --token-file FILE, or the environment's TEKSER_TOKEN)\n"
    "  (https: --ca-file PEM to trust; --cert PEM --key PEM for mutual TLS)\n"
    "  refresh start [--watch]         start a refresh run now (409: shows the running one)\n"
    "  refresh status [RUN_ID]         a run's progress (the latest run when omitted)\n"
    "  refresh watch [RUN_ID]          a progress bar until the run ends (exit 0 done, 1 "
    "cancelled)\n"
    "  refresh cancel RUN_ID           stop handing out the run's work\n"
    "  refresh list                    recent runs and the schedule\n"
    "  triggers [--status pending|delivered|dead] [--kind K] [--overdue] [--supplier ID]\n"
    "           [--after CURSOR] [--limit N]   the trigger outbox in order\n"
    "  triggers show TRIGGER_ID        one trigger with its document (JSON)\n"
    "  triggers replay TRIGGER_ID      put a dead letter back in the delivery queue\n"
    "  rules dry-run --rule-set FILE [--limit N]   a rule set not yet in force over every\n"
    "        watched supplier's current facts: the verdicts and triggers it would change\n"
    "  facts re-derive [--system S]... [--supplier ID] [--since T] [--apply] [--limit N]\n"
    "        today's mappings over the replies kept in the message log: the facts that would\n"
    "        change (--apply records them; no state system is asked). A large log: --timeout\n"
    "  audit [--subject BIN/IIN] [--client C] [--system S] [--request-id R] [--since T]\n"
    "        [--until T] [--after CURSOR] [--limit N]   who asked the state systems about whom,\n"
    "        and why; --request-id: the exchanges one API call caused (its X-Request-Id)\n"
    "        (T: YYYY-MM-DD or 2026-12-07T02:00:00+05:00)\n"
    "exit codes: 0 ok, 1 watched run cancelled, 2 usage, 3 refused by the gateway, 4 unreachable\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Global {
  std::string url = "http://127.0.0.1:8080";
  std::string token_file;
  std::string ca_file;      // TEKSER_CA_FILE
  std::string certificate;  // TEKSER_CLIENT_CERT
  std::string key;          // TEKSER_CLIENT_KEY
  double timeout_seconds = 10;
  bool json_output = false;
};

struct WatchOptions {
  double interval_seconds = 1;   // between two polls
  double every_seconds = 5;      // between two progress lines when stderr is not a terminal
  double patience_seconds = 30;  // how long a watch rides out an unreachable gateway
};

// Reports a reply that is not a success; returns the exit code it stands for.
int fail(const ApiReply& reply, const GatewayClient& client) {
  std::cerr << "tekser-ctl: " << failure_text(reply, client.url(), client.has_token()) << '\n';
  return reply.reached ? kRefused : kUnreachable;
}

void print_lines(const std::vector<std::string>& lines) {
  for (const auto& line : lines) std::cout << line << '\n';
}

std::string status_of(const json::value& run) {
  const auto* s = run.is_object() ? run.as_object().if_contains("status") : nullptr;
  return s && s->is_string() ? std::string(s->as_string()) : "";
}

long long id_of(const json::value& run) {
  const auto* id = run.is_object() ? run.as_object().if_contains("id") : nullptr;
  return id && id->is_int64() ? id->as_int64() : 0;
}

long long run_id_argument(const std::string& text) {
  std::size_t used = 0;
  long long id = 0;
  try {
    id = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || id <= 0)
    throw UsageError("RUN_ID must be a positive integer, got '" + text + "'");
  return id;
}

// Percent-encodes a query value (unreserved characters stay).
std::string query_value(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void sleep_for_seconds(double seconds) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long long>(seconds * 1000)));
}

// Polls the run until it is no longer running, drawing its progress on stderr.
int watch(GatewayClient& client, long long run_id, const WatchOptions& options, bool json_output) {
  const bool terminal = isatty(STDERR_FILENO) == 1;
  const auto every =
      std::chrono::milliseconds(static_cast<long long>(options.every_seconds * 1000));
  const auto patience =
      std::chrono::milliseconds(static_cast<long long>(options.patience_seconds * 1000));
  std::optional<Clock::time_point> last_line;
  std::optional<Clock::time_point> unreachable_since;
  bool ever_reached = false;
  bool line_open = false;  // a redrawn line without its line end yet
  const auto end_line = [&] {
    if (line_open) std::cerr << '\n';
    line_open = false;
  };
  const auto target = "/v1/refresh-runs/" + std::to_string(run_id);
  for (;;) {
    const auto reply = client.get(target);
    const auto now = Clock::now();
    if (!reply.reached && ever_reached) {
      // A restarting gateway (or a replica switch) is ridden out for a while.
      if (!unreachable_since) unreachable_since = now;
      if (now - *unreachable_since < patience) {
        sleep_for_seconds(options.interval_seconds);
        continue;
      }
    }
    if (!reply.ok()) {
      end_line();
      return fail(reply, client);
    }
    ever_reached = true;
    unreachable_since.reset();
    const auto status = status_of(reply.body);
    const bool finished = status != "running";
    const auto line = progress_line(reply.body);
    if (terminal) {
      std::cerr << '\r' << line << "\x1b[K" << std::flush;  // redraw, erase what was longer
      line_open = true;
    } else if (finished || !last_line || now - *last_line >= every) {
      std::cerr << line << '\n' << std::flush;
      last_line = now;
    }
    if (finished) {
      end_line();
      if (json_output)
        std::cout << json::serialize(reply.body) << '\n';
      else
        print_lines(run_summary(reply.body));
      return status == "done" ? kDone : kCancelled;
    }
    sleep_for_seconds(options.interval_seconds);
  }
}

// The latest run's id, or nullopt (with the reason printed and `exit_code` set).
std::optional<long long> latest_run(GatewayClient& client, int& exit_code) {
  const auto reply = client.get("/v1/refresh-runs");
  if (!reply.ok()) {
    exit_code = fail(reply, client);
    return std::nullopt;
  }
  const auto* runs = reply.body.is_object() ? reply.body.as_object().if_contains("runs") : nullptr;
  if (!runs || !runs->is_array() || runs->as_array().empty()) {
    std::cerr << "tekser-ctl: no refresh run yet (start one: tekser-ctl refresh start)\n";
    exit_code = kRefused;
    return std::nullopt;
  }
  return id_of(runs->as_array().front());
}

// The API token: the first line of --token-file (surrounding blanks dropped), else TEKSER_TOKEN;
// empty when neither is given.
std::string api_token(const Global& global) {
  std::string token;
  if (!global.token_file.empty()) {
    std::ifstream in(global.token_file);
    if (!in) throw UsageError("--token-file '" + global.token_file + "': cannot be read");
    std::getline(in, token);
    const auto first = token.find_first_not_of(" \t\r");
    const auto last = token.find_last_not_of(" \t\r");
    token = first == std::string::npos ? "" : token.substr(first, last - first + 1);
    if (token.empty())
      throw UsageError("--token-file '" + global.token_file + "': empty (expected the token)");
  } else if (const char* env = std::getenv("TEKSER_TOKEN"); env && *env) {
    token = env;
  }
  return token;
}

// The TLS settings of an https --url; a flag left out falls back to its environment variable.
// (Given with an http --url, GatewayClient refuses them.)
tekser::net::TlsClientConfig api_tls(Global& global) {
  const auto from_env = [](std::string& value, const char* name) {
    if (value.empty())
      if (const char* env = std::getenv(name); env && *env) value = env;
  };
  from_env(global.ca_file, "TEKSER_CA_FILE");
  from_env(global.certificate, "TEKSER_CLIENT_CERT");
  from_env(global.key, "TEKSER_CLIENT_KEY");
  if (global.certificate.empty() != global.key.empty())
    throw UsageError(global.key.empty() ? "--key: required with --cert (the certificate's key)"
                                        : "--cert: required with --key (the key's certificate)");
  tekser::net::TlsClientConfig tls;
  tls.ca_file = global.ca_file;
  tls.certificate = global.certificate;
  tls.key = global.key;
  return tls;
}

// The flag a TLS setting came from, for messages: "ca_file" -> "--ca-file".
std::string tls_flag(const std::string& field) {
  if (field == "ca_file") return "--ca-file";
  if (field == "certificate") return "--cert";
  if (field == "key") return "--key";
  return field;
}

po::variables_map parse_sub(const std::vector<std::string>& args,
                            const po::options_description& options,
                            const po::positional_options_description& positional) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

int refresh_command(GatewayClient& client, const Global& global, std::vector<std::string> args) {
  if (args.empty()) throw UsageError("refresh: which action? start, status, watch, cancel, list");
  const auto action = args.front();
  args.erase(args.begin());

  WatchOptions watch_options;
  bool watch_flag = false;
  std::string run_text;
  po::options_description options("refresh " + action);
  po::positional_options_description positional;
  if (action == "start" || action == "watch")
    options.add_options()("interval", po::value(&watch_options.interval_seconds),
                          "seconds between two polls (default 1)")(
        "every", po::value(&watch_options.every_seconds),
        "seconds between two progress lines when stderr is not a terminal (default 5)");
  if (action == "start") options.add_options()("watch", po::bool_switch(&watch_flag));
  if (action == "status" || action == "watch" || action == "cancel") {
    options.add_options()("run", po::value(&run_text));
    positional.add("run", 1);
  }
  if (action != "start" && action != "status" && action != "watch" && action != "cancel" &&
      action != "list")
    throw UsageError("refresh: unknown action '" + action +
                     "' (start, status, watch, cancel, list)");
  parse_sub(args, options, positional);
  if (watch_options.interval_seconds <= 0 || watch_options.every_seconds <= 0)
    throw UsageError("--interval and --every must be positive");

  if (action == "list") {
    const auto reply = client.get("/v1/refresh-runs");
    if (!reply.ok()) return fail(reply, client);
    if (global.json_output)
      std::cout << json::serialize(reply.body) << '\n';
    else
      print_lines(runs_table(reply.body));
    return kDone;
  }

  if (action == "start") {
    const auto reply = client.post("/v1/refresh-runs", R"({"requested_by":"cli"})");
    if (!reply.reached) return fail(reply, client);
    long long run_id = 0;
    if (reply.status == 202) {
      run_id = id_of(reply.body);
      if (global.json_output && !watch_flag)
        std::cout << json::serialize(reply.body) << '\n';
      else
        std::cout << "started refresh run " << run_id << ": "
                  << reply.body.at("total").to_number<long long>() << " suppliers, rule set "
                  << reply.body.at("rule_set").as_string().c_str() << '\n';
    } else if (reply.status == 409 && reply.body.is_object() &&
               reply.body.as_object().contains("run")) {
      const auto& running = reply.body.at("run");
      run_id = id_of(running);
      std::cerr << "tekser-ctl: " << failure_text(reply, client.url()) << '\n'
                << progress_line(running) << '\n';
      if (!watch_flag) return kRefused;
    } else {
      return fail(reply, client);
    }
    std::cout << std::flush;
    return watch_flag ? watch(client, run_id, watch_options, global.json_output) : kDone;
  }

  long long run_id = 0;
  if (!run_text.empty()) {
    run_id = run_id_argument(run_text);
  } else if (action == "cancel") {
    throw UsageError("refresh cancel: RUN_ID is required");
  } else {
    int exit_code = kDone;
    const auto latest = latest_run(client, exit_code);
    if (!latest) return exit_code;
    run_id = *latest;
  }
  if (action == "watch") return watch(client, run_id, watch_options, global.json_output);

  const auto target = "/v1/refresh-runs/" + std::to_string(run_id);
  const auto reply = action == "cancel" ? client.post(target + "/cancel") : client.get(target);
  if (!reply.ok()) return fail(reply, client);
  if (global.json_output) {
    std::cout << json::serialize(reply.body) << '\n';
  } else {
    if (action == "cancel")
      std::cout << (status_of(reply.body) == "cancelled"
                        ? "run " + std::to_string(run_id) + " is cancelled"
                        : "run " + std::to_string(run_id) + " had already ended (" +
                              status_of(reply.body) + ")")
                << '\n';
    print_lines(run_summary(reply.body));
  }
  return kDone;
}

int triggers_command(GatewayClient& client, const Global& global, std::vector<std::string> args) {
  const std::string action =
      !args.empty() && (args.front() == "replay" || args.front() == "show") ? args.front() : "list";
  if (action != "list") args.erase(args.begin());

  if (action != "list") {
    std::string id;
    po::options_description options("triggers " + action);
    options.add_options()("id", po::value(&id));
    po::positional_options_description positional;
    positional.add("id", 1);
    parse_sub(args, options, positional);
    if (id.empty()) throw UsageError("triggers " + action + ": TRIGGER_ID is required");
    const auto target = "/v1/triggers/" + query_value(id);
    const auto reply = action == "replay" ? client.post(target + "/replay") : client.get(target);
    if (!reply.ok()) return fail(reply, client);
    if (action == "show" || global.json_output) {
      std::cout << json::serialize(reply.body) << '\n';
    } else {
      std::cout << "trigger " << id << " is back in the delivery queue (status "
                << reply.body.at("status").as_string().c_str() << ", attempts "
                << reply.body.at("attempts").to_number<long long>() << ")\n";
    }
    return kDone;
  }

  std::string status, kind, supplier;
  long long after = 0;
  int limit = 50;
  bool overdue = false;
  po::options_description options("triggers");
  options.add_options()("status", po::value(&status), "pending, delivered or dead")(
      "kind", po::value(&kind), "block, deregister, unblock, warning or review")(
      "overdue", po::bool_switch(&overdue), "only those not delivered by their deadline")(
      "supplier", po::value(&supplier), "only this supplier's (BIN/IIN)")(
      "after", po::value(&after), "the cursor to continue after")("limit", po::value(&limit),
                                                                  "how many (1..1000, default 50)");
  parse_sub(args, options, {});
  std::string target =
      "/v1/triggers?after=" + std::to_string(after) + "&limit=" + std::to_string(limit);
  if (!status.empty()) target += "&status=" + query_value(status);
  if (!kind.empty()) target += "&kind=" + query_value(kind);
  if (!supplier.empty()) target += "&supplier=" + query_value(supplier);
  if (overdue) target += "&overdue=true";
  const auto reply = client.get(target);
  if (!reply.ok()) return fail(reply, client);
  if (global.json_output)
    std::cout << json::serialize(reply.body) << '\n';
  else
    print_lines(triggers_table(reply.body, limit));
  return kDone;
}

int rules_command(GatewayClient& client, const Global& global, std::vector<std::string> args) {
  if (args.empty() || args.front() != "dry-run") throw UsageError("rules: the action is dry-run");
  args.erase(args.begin());
  std::string file;
  int limit = 100;
  po::options_description options("rules dry-run");
  options.add_options()("rule-set", po::value(&file), "the rule set file (JSON) to try")(
      "limit", po::value(&limit), "how many changed suppliers to list (1..10000, default 100)");
  parse_sub(args, options, {});
  if (file.empty()) throw UsageError("rules dry-run: --rule-set FILE is required");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UsageError("rules dry-run: --rule-set: cannot read " + file);
  std::ostringstream text;
  text << in.rdbuf();
  const auto reply =
      client.post("/v1/rule-sets/dry-run?limit=" + std::to_string(limit), text.str());
  if (!reply.ok()) return fail(reply, client);
  if (global.json_output)
    std::cout << json::serialize(reply.body) << '\n';
  else
    print_lines(dry_run_report(reply.body));
  return kDone;
}

int facts_command(GatewayClient& client, const Global& global, std::vector<std::string> args) {
  if (args.empty() || args.front() != "re-derive")
    throw UsageError("facts: the action is re-derive");
  args.erase(args.begin());
  std::vector<std::string> systems;
  std::string since, supplier;
  bool apply = false;
  int limit = 100;
  po::options_description options("facts re-derive");
  options.add_options()("system", po::value(&systems),
                        "only this system's replies (repeatable; default: all kept per supplier)")(
      "supplier", po::value(&supplier), "only this supplier's replies (BIN/IIN)")(
      "since", po::value(&since), "only replies received at or after (YYYY-MM-DD or xsd:dateTime)")(
      "apply", po::bool_switch(&apply), "record the changed facts (default: only show them)")(
      "limit", po::value(&limit), "how many changes to list (1..10000, default 100)");
  parse_sub(args, options, {});
  std::string target = "/v1/facts/re-derive?limit=" + std::to_string(limit);
  for (const auto& system : systems) target += "&system=" + query_value(system);
  if (!since.empty()) target += "&since=" + query_value(since);
  if (!supplier.empty()) target += "&supplier=" + query_value(supplier);
  if (apply) target += "&apply=true";
  const auto reply = client.post(target, "");
  if (!reply.ok()) return fail(reply, client);
  if (global.json_output)
    std::cout << json::serialize(reply.body) << '\n';
  else
    print_lines(rederive_report(reply.body));
  return kDone;
}

int audit_command(GatewayClient& client, const Global& global, std::vector<std::string> args) {
  std::string subject, client_id, system, request_id, since, until;
  long long after = 0;
  int limit = 50;
  po::options_description options("audit");
  options.add_options()("subject", po::value(&subject), "only about this BIN/IIN")(
      "client", po::value(&client_id), "only asked by this API client (or refresh-run:N)")(
      "system", po::value(&system), "only of this state system")(
      "request-id", po::value(&request_id), "only caused by this API request (X-Request-Id)")(
      "since", po::value(&since), "asked at or after (YYYY-MM-DD or xsd:dateTime)")(
      "until", po::value(&until), "asked before")(
      "after", po::value(&after), "the cursor to continue after")("limit", po::value(&limit),
                                                                  "how many (1..1000, default 50)");
  parse_sub(args, options, {});
  std::string target =
      "/v1/audit?after=" + std::to_string(after) + "&limit=" + std::to_string(limit);
  if (!subject.empty()) target += "&subject=" + query_value(subject);
  if (!client_id.empty()) target += "&client=" + query_value(client_id);
  if (!system.empty()) target += "&system=" + query_value(system);
  if (!request_id.empty()) target += "&request_id=" + query_value(request_id);
  if (!since.empty()) target += "&since=" + query_value(since);
  if (!until.empty()) target += "&until=" + query_value(until);
  const auto reply = client.get(target);
  if (!reply.ok()) return fail(reply, client);
  if (global.json_output)
    std::cout << json::serialize(reply.body) << '\n';
  else
    print_lines(audit_table(reply.body, limit));
  return kDone;
}

// A file-name part from text the gateway returned: letters, digits, '.', '_', '-' kept, anything
// else '_' (no separator, no "..").
std::string file_part(const std::string& text) {
  std::string out;
  for (const unsigned char c : text)
    out += std::isalnum(c) || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '_';
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

// "2026-01-15T10:00:00.123+05:00" -> "20260115T100000.123+0500": sorts as the time does.
std::string stamp(const std::string& datetime) {
  std::string out;
  for (const char c : datetime)
    if (c != '-' && c != ':') out += c;
  return file_part(out);
}

std::string text_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Written to a temporary file, then renamed: a reader (the mocks loading the folder) never sees
// half a file.
void write_file(const std::filesystem::path& file, std::string_view bytes) {
  auto temporary = file;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw std::runtime_error(temporary.string() + ": cannot be written");
  }
  std::filesystem::rename(temporary, file);
}

// The replies of one system (outcome data or no_data: the answers) as files the mocks replay.
int exchanges_command(GatewayClient& client, const Global& global, std::vector<std::string> args) {
  if (args.empty() || args.front() != "export") throw UsageError("exchanges: which action? export");
  args.erase(args.begin());
  std::string system, subject, since, until, out_dir;
  bool mask = false;
  po::options_description options("exchanges export");
  options.add_options()("system", po::value(&system), "the state system (gbd_ul, gbd_fl, ...)")(
      "subject", po::value(&subject), "only about this BIN/IIN")(
      "since", po::value(&since), "started at or after (YYYY-MM-DD or xsd:dateTime)")(
      "until", po::value(&until), "started before")("out", po::value(&out_dir),
                                                    "the folder to write into")(
      "mask-personal-data", po::bool_switch(&mask),
      "replace names, birth dates, addresses and document numbers (the subject's id stays)");
  parse_sub(args, options, {});
  if (system.empty()) throw UsageError("exchanges export: --system is required");
  if (out_dir.empty()) throw UsageError("exchanges export: --out is required");
  const std::filesystem::path out(out_dir);
  std::filesystem::create_directories(out);

  // The index of the folder: what earlier exports wrote, by file, and this one's.
  std::map<std::string, json::value> index;
  const auto index_file = out / "index.json";
  if (std::ifstream in(index_file); in) {
    std::ostringstream text;
    text << in.rdbuf();
    json::error_code ec;
    const auto old = json::parse(text.str(), ec);
    if (!ec && old.is_object())
      if (const auto* list = old.as_object().if_contains("exchanges"); list && list->is_array())
        for (const auto& e : list->as_array())
          if (e.is_object()) index[text_field(e.as_object(), "file")] = e;
  }

  long long after = 0;
  int written = 0, skipped = 0, masked_values = 0;
  json::array exported;
  for (;;) {
    std::string target = "/v1/exchanges?system=" + query_value(system) +
                         "&outcome=data,no_data&limit=100&after=" + std::to_string(after);
    if (!subject.empty()) target += "&subject=" + query_value(subject);
    if (!since.empty()) target += "&since=" + query_value(since);
    if (!until.empty()) target += "&until=" + query_value(until);
    const auto reply = client.get(target);
    if (!reply.ok()) return fail(reply, client);
    const auto& page = reply.body.at("exchanges").as_array();
    if (page.empty()) break;
    after = reply.body.at("next_after").to_number<long long>();
    for (const auto& row_value : page) {
      const auto& row = row_value.as_object();
      const auto message_id = text_field(row, "message_id");
      const auto row_subject = text_field(row, "subject");
      const auto service_id = text_field(row, "service_id");
      const auto started_at = text_field(row, "started_at");
      const auto reply_sha256 = text_field(row, "reply_sha256");
      std::string body = text_field(row, "reply");
      // Only SOAP replies about a subject can be replayed (a REST register's JSON cannot).
      if (row_subject.empty() || body.find('<') == std::string::npos) {
        ++skipped;
        continue;
      }
      // The message log keeps a reply's bytes as received whenever they were UTF-8: then the
      // file is the reply exactly, and its SHA-256 the one the facts' provenance names.
      const bool exact = tekser::digest::sha256_hex(body) == reply_sha256;
      int masked_here = 0;
      if (mask) {
        try {
          auto result = mask_personal_data(body);
          body = std::move(result.xml);
          masked_here = result.masked;
        } catch (const std::invalid_argument& e) {
          std::cerr << "tekser-ctl: " << message_id << ": not masked, not exported: " << e.what()
                    << '\n';
          ++skipped;
          continue;
        }
      }
      const auto dir = out / file_part(service_id) / file_part(row_subject);
      std::filesystem::create_directories(dir);
      const auto name = stamp(started_at) + "_" + file_part(message_id);
      write_file(dir / (name + ".xml"), body);
      const auto relative =
          (std::filesystem::path(file_part(service_id)) / file_part(row_subject) / (name + ".xml"))
              .generic_string();
      json::object sidecar{{"file", relative},
                           {"service_id", service_id},
                           {"system", text_field(row, "system")},
                           {"subject", row_subject},
                           {"message_id", message_id},
                           {"started_at", started_at},
                           {"outcome", text_field(row, "outcome")},
                           {"signature", text_field(row, "signature")},
                           {"reply_sha256", reply_sha256},
                           {"file_sha256", tekser::digest::sha256_hex(body)},
                           {"exact", exact && !mask},
                           {"masked", mask},
                           {"masked_values", masked_here}};
      write_file(dir / (name + ".json"), json::serialize(sidecar) + "\n");
      index[relative] = sidecar;
      exported.push_back(sidecar);
      masked_values += masked_here;
      ++written;
    }
  }
  json::array all;
  for (auto& [file, entry] : index) all.push_back(std::move(entry));
  write_file(index_file, json::serialize(json::object{{"exchanges", std::move(all)}}) + "\n");
  if (global.json_output) {
    std::cout << json::serialize(json::object{{"written", written},
                                              {"skipped", skipped},
                                              {"masked_values", masked_values},
                                              {"exchanges", std::move(exported)}})
              << '\n';
  } else {
    std::cout << "exported " << written << " replies of " << system << " to " << out.string();
    if (mask) std::cout << " (" << masked_values << " personal values masked)";
    if (skipped > 0) std::cout << "; " << skipped << " skipped (no SOAP reply about a subject)";
    std::cout << '\n';
  }
  return kDone;
}

int run(int argc, char** argv) {
  Global global;
  po::options_description options("tekser-ctl");
  options.add_options()("help,h", "show this help")(
      "url", po::value(&global.url),
      "the gateway's API (default http://127.0.0.1:8080, or TEKSER_URL)")(
      "token-file", po::value(&global.token_file),
      "a file holding the API token (default: the environment's TEKSER_TOKEN)")(
      "ca-file", po::value(&global.ca_file),
      "PEM bundle of the CAs an https gateway's certificate may come from (or TEKSER_CA_FILE; "
      "default: the system's)")(
      "cert", po::value(&global.certificate),
      "PEM client certificate for an API on mutual TLS (or TEKSER_CLIENT_CERT)")(
      "key", po::value(&global.key), "its PEM private key (or TEKSER_CLIENT_KEY)")(
      "timeout", po::value(&global.timeout_seconds), "seconds per request (default 10)")(
      "json", po::bool_switch(&global.json_output), "print the API's JSON instead of text")(
      "command", po::value<std::string>())("arguments", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("command", 1).add("arguments", -1);
  const auto parsed = po::command_line_parser(argc, argv)
                          .options(options)
                          .positional(positional)
                          .allow_unregistered()
                          .run();
  po::variables_map vm;
  po::store(parsed, vm);
  po::notify(vm);
  if (vm.count("help") || !vm.count("command")) {
    (vm.count("help") ? std::cout : std::cerr) << kUsageText;
    return vm.count("help") ? kDone : kUsage;
  }
  if (!vm.count("url"))
    if (const char* env = std::getenv("TEKSER_URL"); env && *env) global.url = env;
  if (global.timeout_seconds <= 0) throw UsageError("--timeout must be positive");

  // What follows the command, in order: its action, arguments and options.
  auto rest = po::collect_unrecognized(parsed.options, po::include_positional);
  rest.erase(rest.begin());
  const auto command = vm["command"].as<std::string>();
  if (command != "refresh" && command != "triggers" && command != "audit" &&
      command != "exchanges" && command != "rules" && command != "facts")
    throw UsageError("unknown command '" + command +
                     "' (refresh, triggers, audit, exchanges, rules, facts)");

  GatewayClient client(
      global.url, std::chrono::milliseconds(static_cast<long long>(global.timeout_seconds * 1000)),
      api_token(global), api_tls(global));
  if (command == "audit") return audit_command(client, global, rest);
  if (command == "exchanges") return exchanges_command(client, global, rest);
  if (command == "rules") return rules_command(client, global, rest);
  if (command == "facts") return facts_command(client, global, rest);
  return command == "refresh" ? refresh_command(client, global, rest)
                              : triggers_command(client, global, rest);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "tekser-ctl: " << e.what() << "\n\n" << kUsageText;
    return kUsage;
  } catch (const po::error& e) {
    std::cerr << "tekser-ctl: " << e.what() << "\n\n" << kUsageText;
    return kUsage;
  } catch (const BadUrl& e) {
    std::cerr << "tekser-ctl: " << e.what() << '\n';
    return kUsage;
  } catch (const tekser::net::TlsError& e) {  // a --ca-file, --cert or --key it cannot use
    std::cerr << "tekser-ctl: " << tls_flag(e.field()) << ": " << e.reason() << '\n';
    return kUsage;
  } catch (const std::exception& e) {
    std::cerr << "tekser-ctl: " << e.what() << '\n';
    return kRefused;
  }
}

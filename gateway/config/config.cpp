#include "gateway/config/config.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "common/identity/identity.hpp"
#include "common/shep/services.hpp"
#include "gateway/refresh/schedule.hpp"

namespace tekser::config {
namespace {

[[noreturn]] void fail(std::string_view source, const std::string& path, const std::string& why) {
  throw ConfigError(std::string(source) + ": " + path + ": " + why);
}

std::string join(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// Walks one mapping node: every key must be known; each known key's reader gets its node.
class Section {
 public:
  Section(const YAML::Node& node, std::string path, std::string_view source)
      : node_(node), path_(std::move(path)), source_(source) {
    if (node_ && !node_.IsNull() && !node_.IsMap()) fail(source_, display(), "expected a mapping");
  }

  using Reader = std::function<void(const YAML::Node&, const std::string& path)>;

  Section& on(const std::string& key, Reader reader) {
    readers_.emplace(key, std::move(reader));
    return *this;
  }

  void read() {
    if (!node_ || node_.IsNull()) return;
    for (const auto& item : node_) {
      const auto key = item.first.as<std::string>();
      const auto it = readers_.find(key);
      if (it == readers_.end()) {
        std::string known;
        for (const auto& [k, _] : readers_) known += (known.empty() ? "" : ", ") + k;
        fail(source_, join(path_, key), "unknown key (known here: " + known + ")");
      }
      it->second(item.second, join(path_, key));
    }
  }

 private:
  std::string display() const { return path_.empty() ? "(top level)" : path_; }
  YAML::Node node_;
  std::string path_;
  std::string_view source_;
  std::map<std::string, Reader> readers_;
};

std::string scalar(const YAML::Node& node, const std::string& path, std::string_view source) {
  if (!node.IsScalar()) fail(source, path, "expected a scalar value");
  return node.Scalar();
}

long long integer(const YAML::Node& node, const std::string& path, std::string_view source,
                  long long min, long long max) {
  const auto text = scalar(node, path, source);
  long long value = 0;
  std::size_t used = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    fail(source, path, "expected an integer, got '" + text + "'");
  if (value < min || value > max)
    fail(
        source, path,
        "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text);
  return value;
}

std::string non_empty(const YAML::Node& node, const std::string& path, std::string_view source) {
  auto text = scalar(node, path, source);
  if (text.empty()) fail(source, path, "must not be empty");
  return text;
}

std::chrono::milliseconds millis(const YAML::Node& node, const std::string& path,
                                 std::string_view source) {
  return std::chrono::milliseconds(integer(node, path, source, 1, 3'600'000));
}

// A sequence of non-empty scalars (a single scalar is not taken for a one-item list).
std::vector<std::string> string_list(const YAML::Node& node, const std::string& path,
                                     std::string_view source) {
  if (!node.IsSequence()) fail(source, path, "expected a list");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i)
    out.push_back(non_empty(node[i], path + "[" + std::to_string(i) + "]", source));
  return out;
}

ReplySignature::Policy policy(const YAML::Node& node, const std::string& path,
                              std::string_view source) {
  const auto text = scalar(node, path, source);
  for (auto p : {ReplySignature::Policy::ignore, ReplySignature::Policy::verify_if_present,
                 ReplySignature::Policy::require})
    if (to_string(p) == text) return p;
  fail(source, path, "expected require, verify_if_present or ignore, got '" + text + "'");
}

// resilience: default first, then each system's keys over a copy of it (whatever their order in
// the file).
void read_resilience(const YAML::Node& node, const std::string& path, std::string_view src,
                     Resilience& out) {
  std::vector<std::pair<std::string, YAML::Node>> systems;
  auto policy = [&](const YAML::Node& n, const std::string& p, ResiliencePolicy& r) {
    Section(n, p, src)
        .on("failure_threshold",
            [&](auto& v, auto& q) {
              r.failure_threshold = static_cast<int>(integer(v, q, src, 1, 10000));
            })
        .on("failure_rate_percent",
            [&](auto& v, auto& q) {
              r.failure_rate_percent = static_cast<int>(integer(v, q, src, 1, 100));
            })
        .on("window",
            [&](auto& v, auto& q) { r.window = static_cast<int>(integer(v, q, src, 0, 10000)); })
        .on("open_seconds",
            [&](auto& v, auto& q) { r.open = std::chrono::seconds(integer(v, q, src, 1, 86400)); })
        .on("max_attempts",
            [&](auto& v, auto& q) { r.max_attempts = static_cast<int>(integer(v, q, src, 1, 10)); })
        .on("backoff_base_ms", [&](auto& v, auto& q) { r.backoff_base = millis(v, q, src); })
        .on("backoff_cap_ms", [&](auto& v, auto& q) { r.backoff_cap = millis(v, q, src); })
        .on("deadline_ms", [&](auto& v, auto& q) { r.deadline = millis(v, q, src); })
        .read();
    if (r.backoff_cap < r.backoff_base)
      fail(src, p + ".backoff_cap_ms", "must not be shorter than backoff_base_ms");
  };
  Section(node, path, src)
      .on("default", [&](auto& v, auto& q) { policy(v, q, out.defaults); })
      .on("systems",
          [&](const YAML::Node& sn, const std::string& sp) {
            if (!sn.IsMap()) fail(src, sp, "expected a mapping of system -> policy");
            for (const auto& item : sn) {
              const auto system = item.first.as<std::string>();
              bool known = false;
              std::string names;
              for (const auto* k : kResilienceSystems) {
                known = known || system == k;
                names += (names.empty() ? "" : ", ") + std::string(k);
              }
              if (!known) fail(src, join(sp, system), "unknown system (known: " + names + ")");
              systems.emplace_back(system, item.second);
            }
          })
      .on("unavailable_codes",
          [&](auto& v, auto& q) { out.unavailable_codes = string_list(v, q, src); })
      .read();
  for (const auto& [system, n] : systems) {
    auto& r = out.systems[system] = out.defaults;
    policy(n, join(join(path, "systems"), system), r);
  }
}

bool flag(const YAML::Node& node, const std::string& path, std::string_view source) {
  const auto text = scalar(node, path, source);
  if (text == "true") return true;
  if (text == "false") return false;
  fail(source, path, "expected true or false, got '" + text + "'");
}

std::string tls_version(const YAML::Node& node, const std::string& path, std::string_view source) {
  auto text = scalar(node, path, source);
  if (text != "1.2" && text != "1.3") fail(source, path, "expected 1.2 or 1.3, got '" + text + "'");
  return text;
}

// shep.tls, goszakup.tls, samruk.tls. Files are only named here; main.cpp loads them.
void read_tls_client(const YAML::Node& node, const std::string& path, std::string_view src,
                     std::optional<TlsClient>& out) {
  auto& tls = out.emplace();
  Section(node, path, src)
      .on("ca_file", [&](auto& v, auto& q) { tls.ca_file = non_empty(v, q, src); })
      .on("ca_dir", [&](auto& v, auto& q) { tls.ca_dir = non_empty(v, q, src); })
      .on("certificate", [&](auto& v, auto& q) { tls.certificate = non_empty(v, q, src); })
      .on("key", [&](auto& v, auto& q) { tls.key = non_empty(v, q, src); })
      .on("pkcs12", [&](auto& v, auto& q) { tls.pkcs12 = non_empty(v, q, src); })
      .on("password", [&](auto& v, auto& q) { tls.password = scalar(v, q, src); })
      .on("ciphers", [&](auto& v, auto& q) { tls.ciphers = non_empty(v, q, src); })
      .on("min_version", [&](auto& v, auto& q) { tls.min_version = tls_version(v, q, src); })
      .on("verify_host", [&](auto& v, auto& q) { tls.verify_host = flag(v, q, src); })
      .read();
  const bool pem = !tls.certificate.empty() || !tls.key.empty();
  if (pem && !tls.pkcs12.empty())
    fail(src, path, "give either certificate and key, or pkcs12 (the client certificate)");
  if (pem && (tls.certificate.empty() || tls.key.empty()))
    fail(src, path + (tls.key.empty() ? ".key" : ".certificate"),
         "certificate and key go together");
}

void read_api_tls(const YAML::Node& node, const std::string& path, std::string_view src,
                  std::optional<ApiTls>& out) {
  auto& tls = out.emplace();
  Section(node, path, src)
      .on("certificate", [&](auto& v, auto& q) { tls.certificate = non_empty(v, q, src); })
      .on("key", [&](auto& v, auto& q) { tls.key = non_empty(v, q, src); })
      .on("password", [&](auto& v, auto& q) { tls.password = scalar(v, q, src); })
      .on("client_ca", [&](auto& v, auto& q) { tls.client_ca = non_empty(v, q, src); })
      .on("client_certificate",
          [&](auto& v, auto& q) {
            const auto mode = scalar(v, q, src);
            if (mode == "none")
              tls.client_certificate = ApiTls::ClientCertificate::none;
            else if (mode == "optional")
              tls.client_certificate = ApiTls::ClientCertificate::optional;
            else if (mode == "require")
              tls.client_certificate = ApiTls::ClientCertificate::require;
            else
              fail(src, q, "expected none, optional or require, got '" + mode + "'");
          })
      .on("ciphers", [&](auto& v, auto& q) { tls.ciphers = non_empty(v, q, src); })
      .on("min_version", [&](auto& v, auto& q) { tls.min_version = tls_version(v, q, src); })
      .read();
  if (tls.certificate.empty()) fail(src, path + ".certificate", "required");
  if (tls.key.empty()) fail(src, path + ".key", "required");
  if (tls.client_certificate != ApiTls::ClientCertificate::none && tls.client_ca.empty())
    fail(src, path + ".client_ca",
         "required when client_certificate is optional or require (the CAs that issue them)");
}

// A tls section only makes sense with an https URL: refused rather than silently unused.
void require_https(const std::optional<TlsClient>& tls, const std::string& url,
                   const std::string& key, std::string_view source,
                   const std::string& url_key = "url") {
  if (!tls) return;
  std::string scheme = url.substr(0, url.find(':'));
  for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (scheme != "https")
    fail(source, key + ".tls", "given, but " + key + "." + url_key + " is not https: " + url);
}

}  // namespace

std::string_view to_string(ReplySignature::Policy policy) {
  switch (policy) {
    case ReplySignature::Policy::ignore:
      return "ignore";
    case ReplySignature::Policy::verify_if_present:
      return "verify_if_present";
    case ReplySignature::Policy::require:
      return "require";
  }
  return "ignore";
}

Config parse(std::string_view yaml_text, std::string_view source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    throw ConfigError(std::string(source) + ": not valid YAML: " + e.what());
  }
  Config c;
  const auto src = source;
  Section(root, "", src)
      .on("listen",
          [&](const YAML::Node& n, const std::string& p) {
            Section(n, p, src)
                .on("host", [&](auto& v, auto& q) { c.listen.host = non_empty(v, q, src); })
                .on("port",
                    [&](auto& v, auto& q) {
                      c.listen.port = static_cast<unsigned short>(integer(v, q, src, 0, 65535));
                    })
                .on("read_timeout_ms",
                    [&](auto& v, auto& q) { c.listen.read_timeout = millis(v, q, src); })
                .on("max_connections",
                    [&](auto& v, auto& q) {
                      c.listen.max_connections =
                          static_cast<std::size_t>(integer(v, q, src, 1, 1'000'000));
                    })
                .read();
          })
      .on("api",
          [&](const YAML::Node& n, const std::string& p) {
            Section(n, p, src)
                .on("auth",
                    [&](const YAML::Node& an, const std::string& ap) {
                      auto& auth = c.api.auth.emplace();
                      bool mode_given = false;
                      Section(an, ap, src)
                          .on("mode",
                              [&](auto& v, auto& q) {
                                const auto mode = scalar(v, q, src);
                                if (mode == "clients")
                                  auth.mode = ApiAuth::Mode::clients;
                                else if (mode == "open")
                                  auth.mode = ApiAuth::Mode::open;
                                else
                                  fail(src, q, "expected clients or open, got '" + mode + "'");
                                mode_given = true;
                              })
                          .on("clients_file",
                              [&](auto& v, auto& q) { auth.clients_file = non_empty(v, q, src); })
                          .read();
                      if (auth.mode == ApiAuth::Mode::open && !auth.clients_file.empty())
                        fail(src, ap + ".clients_file", "not used in mode open (remove one)");
                      if (auth.mode == ApiAuth::Mode::clients && auth.clients_file.empty())
                        fail(src, ap + ".clients_file",
                             mode_given ? "required in mode clients"
                                        : "required (or mode: open, for a developer's machine)");
                    })
                .on("tls", [&](const YAML::Node& tn,
                               const std::string& tp) { read_api_tls(tn, tp, src, c.api.tls); })
                .on("view_cache_entries",
                    [&](auto& v, auto& q) {
                      c.api.view_cache_entries =
                          static_cast<std::size_t>(integer(v, q, src, 0, 10'000'000));
                    })
                .read();
          })
      .on("port_file", [&](auto& v, auto& q) { c.port_file = non_empty(v, q, src); })
      .on("io_threads",
          [&](auto& v, auto& q) {
            c.io_threads = static_cast<std::size_t>(integer(v, q, src, 1, 64));
          })
      .on("database",
          [&](const YAML::Node& n, const std::string& p) {
            Section(n, p, src)
                .on("url", [&](auto& v, auto& q) { c.database.url = non_empty(v, q, src); })
                .on("pool_size",
                    [&](auto& v, auto& q) {
                      c.database.pool_size = static_cast<std::size_t>(integer(v, q, src, 1, 64));
                    })
                .on("statement_timeout_ms",
                    [&](auto& v, auto& q) {
                      c.database.statement_timeout =
                          std::chrono::milliseconds(integer(v, q, src, 100, 3'600'000));
                    })
                .on("wait_timeout_ms",
                    [&](auto& v, auto& q) {
                      c.database.wait_timeout =
                          std::chrono::milliseconds(integer(v, q, src, 10, 600'000));
                    })
                .on("readiness_timeout_ms",
                    [&](auto& v, auto& q) {
                      c.database.readiness_timeout =
                          std::chrono::milliseconds(integer(v, q, src, 100, 60'000));
                    })
                .read();
          })
      .on("audit",
          [&](const YAML::Node& n, const std::string& p) {
            Section(n, p, src)
                .on("interrupted_after_ms",
                    [&](auto& v, auto& q) {
                      c.audit.interrupted_after =
                          std::chrono::milliseconds(integer(v, q, src, 1000, 7 * 86'400'000LL));
                    })
                .on("sweep_every_ms",
                    [&](auto& v, auto& q) {
                      c.audit.sweep_every =
                          std::chrono::milliseconds(integer(v, q, src, 100, 86'400'000));
                    })
                .read();
          })
      .on("shep",
          [&](const YAML::Node& n, const std::string& p) {
            Section(n, p, src)
                .on("url", [&](auto& v, auto& q) { c.shep.url = non_empty(v, q, src); })
                .on("sender_id", [&](auto& v, auto& q) { c.shep.sender_id = non_empty(v, q, src); })
                .on("password", [&](auto& v, auto& q) { c.shep.password = scalar(v, q, src); })
                .on("connect_timeout_ms",
                    [&](auto& v, auto& q) { c.shep.connect_timeout = millis(v, q, src); })
                .on("read_timeout_ms",
                    [&](auto& v, auto& q) { c.shep.read_timeout = millis(v, q, src); })
                .on("total_timeout_ms",
                    [&](auto& v, auto& q) { c.shep.total_timeout = millis(v, q, src); })
                .on("max_concurrent",
                    [&](auto& v, auto& q) {
                      c.shep.max_concurrent = static_cast<std::size_t>(integer(v, q, src, 1, 1024));
                    })
                .on("reply_signature",
                    [&](const YAML::Node& rs, const std::string& rp) {
                      auto& signature = c.shep.reply_signature;
                      Section(rs, rp, src)
                          .on("policy",
                              [&](auto& v, auto& q) { signature.policy = policy(v, q, src); })
                          .on("trusted_certificates",
                              [&](auto& v, auto& q) {
                                for (auto& file : string_list(v, q, src))
                                  signature.trusted_certificates.emplace_back(file);
                              })
                          .read();
                    })
                .on("request_signing",
                    [&](const YAML::Node& rs, const std::string& rp) {
                      auto& signing = c.shep.request_signing.emplace();
                      Section(rs, rp, src)
                          .on("key", [&](auto& v, auto& q) { signing.key = non_empty(v, q, src); })
                          .on("certificate",
                              [&](auto& v, auto& q) { signing.certificate = non_empty(v, q, src); })
                          .on("pkcs12",
                              [&](auto& v, auto& q) { signing.pkcs12 = non_empty(v, q, src); })
                          .on("password",
                              [&](auto& v, auto& q) { signing.password = scalar(v, q, src); })
                          .read();
                      const bool pem = !signing.key.empty() || !signing.certificate.empty();
                      if (pem && !signing.pkcs12.empty())
                        fail(src, rp, "give either key and certificate, or pkcs12");
                      if (pem && (signing.key.empty() || signing.certificate.empty()))
                        fail(src, rp, "key and certificate go together");
                      if (!pem && signing.pkcs12.empty())
                        fail(src, rp, "required: key and certificate, or pkcs12");
                    })
                .on("tls", [&](const YAML::Node& tn,
                               const std::string& tp) { read_tls_client(tn, tp, src, c.shep.tls); })
                .read();
          })
      .on("sources",
          [&](const YAML::Node& n, const std::string& p) {
            Section section(n, p, src);
            section
                .on("requestor_bin",
                    [&](auto& v, auto& q) {
                      auto bin = non_empty(v, q, src);
                      auto parsed = identity::parse_as(bin, identity::SubjectKind::legal_entity);
                      if (!parsed) fail(src, q, parsed.error);
                      c.sources.requestor_bin = bin;
                    })
                .on("gbd_fl_sender_code",
                    [&](auto& v, auto& q) { c.sources.gbd_fl_sender_code = non_empty(v, q, src); })
                .on("facts_valid_for_hours", [&](auto& v, auto& q) {
                  c.sources.facts_valid_for = std::chrono::hours(integer(v, q, src, 1, 24 * 366));
                });
            // sources.<system>: per SHEP service settings, the systems of the contract table.
            for (const auto& service : shep::services()) {
              const std::string system(service.system);
              section.on(system, [&, system](const YAML::Node& sn, const std::string& sp) {
                Section(sn, sp, src)
                    .on("payload_style",
                        [&, system](auto& v, auto& q) {
                          const auto text = non_empty(v, q, src);
                          const auto shape = shep::parse_payload_shape(text);
                          if (!shape)
                            fail(src, q, "'" + text + "' is not typed, declared, jaxb or untyped");
                          c.sources.payload_styles[system] = *shape;
                        })
                    .read();
              });
            }
            section.read();
          })
      .on("goszakup",
          [&](const YAML::Node& n, const std::string& p) {
            c.goszakup.emplace();
            Section(n, p, src)
                .on("url", [&](auto& v, auto& q) { c.goszakup->url = non_empty(v, q, src); })
                .on("token", [&](auto& v, auto& q) { c.goszakup->token = scalar(v, q, src); })
                .on("tls",
                    [&](const YAML::Node& tn, const std::string& tp) {
                      read_tls_client(tn, tp, src, c.goszakup->tls);
                    })
                .read();
            if (c.goszakup->url.empty()) fail(src, p + ".url", "required");
          })
      .on("samruk",
          [&](const YAML::Node& n, const std::string& p) {
            c.samruk.emplace();
            Section(n, p, src)
                .on("url", [&](auto& v, auto& q) { c.samruk->url = non_empty(v, q, src); })
                .on("token", [&](auto& v, auto& q) { c.samruk->token = scalar(v, q, src); })
                .on("tls",
                    [&](const YAML::Node& tn, const std::string& tp) {
                      read_tls_client(tn, tp, src, c.samruk->tls);
                    })
                .read();
            if (c.samruk->url.empty()) fail(src, p + ".url", "required");
          })
      .on("refresh",
          [&](const YAML::Node& n, const std::string& p) {
            auto& r = c.refresh;
            auto limit = [&](const YAML::Node& ln, const std::string& lp, Limit& out) {
              Section(ln, lp, src)
                  .on("max_concurrent",
                      [&](auto& v, auto& q) {
                        out.max_concurrent = static_cast<int>(integer(v, q, src, 1, 1024));
                      })
                  .on("rate_per_second",
                      [&](auto& v, auto& q) {
                        out.rate_per_second = static_cast<double>(integer(v, q, src, 0, 100000));
                      })
                  .on("max_wait_ms",
                      [&](auto& v, auto& q) {
                        out.max_wait = std::chrono::milliseconds(integer(v, q, src, 1, 3'600'000));
                      })
                  .read();
            };
            Section(n, p, src)
                .on("schedule",
                    [&](auto& v, auto& q) {
                      r.schedule = non_empty(v, q, src);
                      try {
                        refresh::Schedule::parse(r.schedule);
                      } catch (const refresh::ScheduleError& e) {
                        fail(src, q, e.what());
                      }
                    })
                .on("catch_up_hours",
                    [&](auto& v, auto& q) {
                      r.catch_up = std::chrono::hours(integer(v, q, src, 0, 24 * 7));
                    })
                .on("replica", [&](auto& v, auto& q) { r.replica = non_empty(v, q, src); })
                .on("workers",
                    [&](auto& v, auto& q) {
                      r.workers = static_cast<int>(integer(v, q, src, 1, 512));
                    })
                .on("batch",
                    [&](auto& v, auto& q) {
                      r.batch = static_cast<int>(integer(v, q, src, 1, 1000));
                    })
                .on("lease_seconds",
                    [&](auto& v, auto& q) {
                      r.lease = std::chrono::seconds(integer(v, q, src, 5, 3600));
                    })
                .on("max_attempts",
                    [&](auto& v, auto& q) {
                      r.max_attempts = static_cast<int>(integer(v, q, src, 1, 100));
                    })
                .on("deregister_policy",
                    [&](auto& v, auto& q) { r.deregister_policy = non_empty(v, q, src); })
                .on("calendar_dir",
                    [&](auto& v, auto& q) { r.calendar_dir = non_empty(v, q, src); })
                .on("limits",
                    [&](const YAML::Node& ln, const std::string& lp) {
                      if (!ln.IsMap()) fail(src, lp, "expected a mapping of system -> limits");
                      for (const auto& item : ln) {
                        const auto system = item.first.as<std::string>();
                        if (system == "default")
                          limit(item.second, join(lp, system), r.default_limit);
                        else
                          limit(item.second, join(lp, system), r.limits[system]);
                      }
                    })
                .read();
          })
      .on("resilience", [&](const YAML::Node& n,
                            const std::string& p) { read_resilience(n, p, src, c.resilience); })
      .on("portal",
          [&](const YAML::Node& n, const std::string& p) {
            auto& portal = c.portal.emplace();
            Section(n, p, src)
                .on("webhook_url",
                    [&](auto& v, auto& q) { portal.webhook_url = non_empty(v, q, src); })
                .on("secret", [&](auto& v, auto& q) { portal.secret = non_empty(v, q, src); })
                .on("secret_file",
                    [&](auto& v, auto& q) { portal.secret_file = non_empty(v, q, src); })
                .on("max_attempts",
                    [&](auto& v, auto& q) {
                      portal.max_attempts = static_cast<int>(integer(v, q, src, 1, 100000));
                    })
                .on("workers",
                    [&](auto& v, auto& q) {
                      portal.workers = static_cast<int>(integer(v, q, src, 1, 64));
                    })
                .on("connect_timeout_ms",
                    [&](auto& v, auto& q) { portal.connect_timeout = millis(v, q, src); })
                .on("total_timeout_ms",
                    [&](auto& v, auto& q) { portal.total_timeout = millis(v, q, src); })
                .on("backoff_initial_ms",
                    [&](auto& v, auto& q) { portal.backoff_initial = millis(v, q, src); })
                .on("backoff_max_ms",
                    [&](auto& v, auto& q) { portal.backoff_max = millis(v, q, src); })
                .on("tls", [&](const YAML::Node& tn,
                               const std::string& tp) { read_tls_client(tn, tp, src, portal.tls); })
                .read();
            if (portal.webhook_url.empty()) fail(src, p + ".webhook_url", "required");
            if (portal.backoff_max < portal.backoff_initial)
              fail(src, p + ".backoff_max_ms", "must not be below backoff_initial_ms");
            if (portal.secret && portal.secret_file)
              fail(src, p + ".secret", "give either secret or secret_file, not both");
          })
      .read();

  require_https(c.shep.tls, c.shep.url, "shep", source);
  if (c.goszakup) require_https(c.goszakup->tls, c.goszakup->url, "goszakup", source);
  if (c.samruk) require_https(c.samruk->tls, c.samruk->url, "samruk", source);
  if (c.portal)
    require_https(c.portal->tls, c.portal->webhook_url, "portal", source, "webhook_url");
  if (c.shep.total_timeout < c.shep.connect_timeout)
    fail(source, "shep.total_timeout_ms", "must not be shorter than shep.connect_timeout_ms");
  if (c.shep.reply_signature.policy != ReplySignature::Policy::ignore &&
      c.shep.reply_signature.trusted_certificates.empty())
    fail(source, "shep.reply_signature.trusted_certificates",
         "required when the policy is " + std::string(to_string(c.shep.reply_signature.policy)) +
             " (the certificates replies may be signed with)");
  if (c.sources.requestor_bin.empty())
    fail(source, "sources.requestor_bin", "required (ГБД ЮЛ needs the requesting system's BIN)");
  if (c.sources.gbd_fl_sender_code.empty())
    fail(source, "sources.gbd_fl_sender_code", "required (ГБД ФЛ needs the sender's code)");
  return c;
}

void apply_environment(Config& config) {
  if (const char* url = std::getenv("TEKSER_DATABASE_URL"); url && *url) config.database.url = url;
  if (const char* pw = std::getenv("TEKSER_SHEP_PASSWORD"); pw && *pw) config.shep.password = pw;
  if (const char* pw = std::getenv("TEKSER_SHEP_SIGNING_PASSWORD");
      pw && *pw && config.shep.request_signing)
    config.shep.request_signing->password = pw;
  if (const char* t = std::getenv("TEKSER_GOSZAKUP_TOKEN"); t && *t && config.goszakup)
    config.goszakup->token = t;
  if (const char* t = std::getenv("TEKSER_SAMRUK_TOKEN"); t && *t && config.samruk)
    config.samruk->token = t;
  // The passwords of the TLS client keys (and of the API listener's key).
  if (const char* pw = std::getenv("TEKSER_SHEP_TLS_PASSWORD"); pw && *pw && config.shep.tls)
    config.shep.tls->password = pw;
  if (const char* pw = std::getenv("TEKSER_GOSZAKUP_TLS_PASSWORD");
      pw && *pw && config.goszakup && config.goszakup->tls)
    config.goszakup->tls->password = pw;
  if (const char* pw = std::getenv("TEKSER_SAMRUK_TLS_PASSWORD");
      pw && *pw && config.samruk && config.samruk->tls)
    config.samruk->tls->password = pw;
  if (const char* pw = std::getenv("TEKSER_PORTAL_TLS_PASSWORD");
      pw && *pw && config.portal && config.portal->tls)
    config.portal->tls->password = pw;
  if (const char* pw = std::getenv("TEKSER_API_TLS_PASSWORD"); pw && *pw && config.api.tls)
    config.api.tls->password = pw;
  if (const char* s = std::getenv("TEKSER_PORTAL_SECRET"); s && *s && config.portal) {
    config.portal->secret = s;
    config.portal->secret_file.reset();
  }
}

void require_api_auth(const Config& config, std::string_view source) {
  if (!config.api.auth)
    throw ConfigError(
        std::string(source) +
        ": api.auth: required — the API must know who may call it. Give "
        "api.auth.clients_file (a YAML file of clients with the SHA-256 of their token or "
        "certificate and their scopes; see README.md, \"Access to the API\"), or, on a "
        "developer's machine only, api.auth: {mode: open} to answer anyone without credentials");
}

Config load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  auto config = parse(text.str(), file.string());
  apply_environment(config);
  if (config.database.url.empty())
    throw ConfigError(file.string() +
                      ": database.url: required (or set TEKSER_DATABASE_URL in the environment)");
  require_api_auth(config, file.string());
  return config;
}

}  // namespace tekser::config

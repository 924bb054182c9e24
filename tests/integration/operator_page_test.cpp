// Issue 17 item 9: the operator's page (GET /ui/) in Debian's headless Chromium, over a real
// refresh run. The world: a first run whose triggers the mock portal refuses for good (422: dead
// letters), then a second run of many suppliers with every SOAP system slowed down, so that it
// is mid-way while the browser looks. The page must show that run's progress as the API reports
// it, every state system the gateway knows with its breaker and the latency it measured, the
// outbox counts and the dead letters; its screenshot is kept as a test artefact; a click on a
// dead letter's replay button sends it again, and the portal then accepts it.
//
// The browser is driven over --remote-debugging-pipe (the DevTools protocol, JSON messages
// ending in NUL on file descriptors 3 and 4): each wait polls the page with a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
// Every SOAP exchange of the second run takes this long at the mocks (under the gateway's
// 1.5 s read timeout): with one worker and 50 suppliers the run lasts well over 25 s.
constexpr int kSoapLatencyMs = 500;
constexpr int kSlowRunSuppliers = 50;
constexpr auto kPageDeadline = 60s;

std::string base64_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '+') value = 62;
    if (c == '/') value = 63;
    if (value < 0) continue;  // padding
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

// Headless Chromium in a process group of its own (killed whole at the end), with one page
// attached over the DevTools pipe.
class Chromium {
 public:
  Chromium() : profile_(make_temp_dir()) {
    int to_browser[2];
    int from_browser[2];
    if (pipe2(to_browser, O_CLOEXEC) != 0 || pipe2(from_browser, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe failed");
    // The browser reads commands on fd 3 and writes answers on fd 4.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_browser[0], 3);
    posix_spawn_file_actions_adddup2(&actions, from_browser[1], 4);
    const auto log = (profile_ / "chromium.log").string();
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    std::vector<std::string> args{kChromium,
                                  "--headless=new",
                                  "--no-sandbox",
                                  "--disable-gpu",
                                  "--remote-debugging-pipe",
                                  "--user-data-dir=" + (profile_ / "profile").string(),
                                  "--no-first-run",
                                  "--no-default-browser-check",
                                  "--window-size=1280,1000",
                                  "about:blank"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, kChromium, &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(to_browser[0]);
    close(from_browser[1]);
    write_fd_ = to_browser[1];
    read_fd_ = from_browser[0];
    if (rc != 0) throw std::runtime_error("cannot start " + std::string(kChromium));

    const auto target = command("Target.createTarget", {{"url", "about:blank"}});
    session_ = text(
        command("Target.attachToTarget", {{"targetId", target.at("targetId")}, {"flatten", true}})
            .at("sessionId"));
  }

  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;

  ~Chromium() {
    if (write_fd_ >= 0) close(write_fd_);
    if (read_fd_ >= 0) close(read_fd_);
    if (pid_ > 0) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    fs::remove_all(profile_, ignored);
  }

  // One DevTools command (on the page's session unless `browser`); its result, or throws.
  json::value command(const std::string& method, json::object params = {}, bool browser = true,
                      std::chrono::milliseconds deadline = 30s) {
    const long long id = ++last_id_;
    json::object message{{"id", id}, {"method", method}, {"params", std::move(params)}};
    if (!browser) message["sessionId"] = session_;
    const auto bytes = json::serialize(message) + '\0';
    for (std::size_t sent = 0; sent < bytes.size();) {
      const auto n = write(write_fd_, bytes.data() + sent, bytes.size() - sent);
      if (n <= 0) throw std::runtime_error("chromium: the pipe closed: " + log());
      sent += static_cast<std::size_t>(n);
    }
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      for (auto end = buffer_.find('\0'); end != std::string::npos; end = buffer_.find('\0')) {
        const auto reply = json::parse(buffer_.substr(0, end));
        buffer_.erase(0, end + 1);
        const auto* reply_id = reply.as_object().if_contains("id");
        if (!reply_id || reply_id->as_int64() != id) continue;  // an event, or an older answer
        if (const auto* error = reply.as_object().if_contains("error"))
          throw std::runtime_error(method + ": " + json::serialize(*error));
        return reply.at("result");
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      pollfd fd{read_fd_, POLLIN, 0};
      if (left.count() <= 0 || poll(&fd, 1, static_cast<int>(left.count())) <= 0)
        throw std::runtime_error("chromium: no answer to " + method + " in time: " + log());
      char chunk[65536];
      const auto n = read(read_fd_, chunk, sizeof chunk);
      if (n <= 0) throw std::runtime_error("chromium: the pipe closed: " + log());
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  void navigate(const std::string& url) { command("Page.navigate", {{"url", url}}, false); }

  // The value of a JavaScript expression in the page (JSON-serialisable).
  json::value evaluate(const std::string& expression) {
    const auto result =
        command("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}}, false);
    if (const auto* thrown = result.as_object().if_contains("exceptionDetails"))
      throw std::runtime_error(expression + ": " + json::serialize(*thrown));
    const auto& value = result.at("result").as_object();
    return value.contains("value") ? value.at("value") : json::value(nullptr);
  }

  // The whole page as PNG bytes, at 1280 px wide and as tall as the page.
  std::string screenshot() {
    const auto height = evaluate("document.documentElement.scrollHeight").to_number<int>();
    command("Emulation.setDeviceMetricsOverride",
            {{"width", 1280}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}},
            false);
    const auto shot = command("Page.captureScreenshot", {{"format", "png"}}, false);
    return base64_decode(shot.at("data").as_string());
  }

  std::string log() const { return read_file(profile_ / "chromium.log"); }

 private:
  fs::path profile_;
  pid_t pid_ = -1;
  int write_fd_ = -1;
  int read_fd_ = -1;
  long long last_id_ = 0;
  std::string buffer_;
  std::string session_;
};

class OperatorPageTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    if (access(kChromium, X_OK) != 0) {
      const char* ci = std::getenv("CI");
      if (ci && std::string_view(ci) == "true")
        FAIL() << kChromium << " is missing in CI: deploy/install-deps.sh installs chromium";
      GTEST_SKIP() << kChromium << " is not installed (apt-get install chromium, or run "
                   << "deploy/install-deps.sh): the operator's page is not tested here";
    }
    start_population_mocks("rnu=0.05,liquidated=0.05,deceased=0.05");
    refresh_workers_ = 1;
    start_refreshing_gateway();
  }

  void register_supplier(const json::value& subject) {
    const auto id = text(subject.at("id"));
    const auto reply =
        put(id, supplier_body(subject.at("kind") != "legal_entity", subject.at("services")));
    ASSERT_EQ(reply.status, 201u) << id << ": " << json::serialize(reply.body);
  }

  // Every trigger delivered or given up (dead): nothing left pending.
  void wait_outbox_settled() {
    json::array pending;
    wait_until(
        "the outbox to settle",
        [&] {
          pending = gateway_triggers("&status=pending");
          return pending.empty();
        },
        [&] { return json::serialize(pending); });
  }

  // A gauge of the gateway's /metrics, e.g. tekser_triggers{status="dead"}.
  long long gauge(const std::string& series) {
    const auto reply = http_call(port_, http::verb::get, "/metrics", {}, 10s, "text/plain",
                                 {{"Authorization", bearer(kTestToken)}});
    const auto& body = reply.response.body();
    const auto at = body.find("\n" + series + " ");
    if (reply.error || at == std::string::npos)
      throw std::runtime_error("no " + series + " in /metrics");
    return std::stoll(body.substr(at + series.size() + 2));
  }

  // The text of the page's element `id` ("" when it is absent or hidden by its section).
  static std::string page_text(Chromium& page, const std::string& id) {
    const auto value =
        page.evaluate("(document.getElementById('" + id + "') || {textContent: ''}).textContent");
    return value.is_string() ? std::string(value.as_string()) : std::string();
  }

  // Polls the page until `expression` is true, with a deadline (while the page is still loading,
  // what it names may not exist yet: not yet true).
  void wait_page(Chromium& page, const std::string& what, const std::string& expression) {
    const auto until = std::chrono::steady_clock::now() + kPageDeadline;
    while (page.evaluate("(() => { try { return Boolean(" + expression +
                         "); } catch (e) { return false; } })()") != true) {
      if (std::chrono::steady_clock::now() > until)
        throw std::runtime_error(
            "timed out waiting for the page: " + what +
            "; it shows: " + text(page.evaluate("document.body ? document.body.innerText : ''")));
      std::this_thread::sleep_for(100ms);
    }
  }
};

TEST_F(OperatorPageTest, ShowsARunningRefreshTheSystemsAndTheOutboxAndReplaysADeadLetter) {
  const auto population = get(mocks_port_, "/admin/population/subjects?limit=200");
  std::vector<json::value> blocked, clean;
  for (const auto& s : population.at("subjects").as_array()) {
    std::set<std::string> traits;
    for (const auto& t : s.at("traits").as_array()) traits.insert(text(t));
    if (traits.empty())
      clean.push_back(s);
    else if (traits.contains("rnu") || traits.contains("liquidated") || traits.contains("deceased"))
      blocked.push_back(s);
  }
  ASSERT_GE(blocked.size(), 3u) << "the population (seed 7) changed";
  ASSERT_GE(clean.size(), static_cast<std::size_t>(kSlowRunSuppliers));

  // The first run: blocks the portal refuses for good (422 is final), so they become dead letters.
  mocks_post("/admin/portal/faults", R"({"mode":"status","status":422})");
  for (std::size_t i = 0; i < 3; ++i) ASSERT_NO_FATAL_FAILURE(register_supplier(blocked[i]));
  wait_run_done(start_run());
  wait_outbox_settled();
  const auto dead = gateway_triggers("&status=dead");
  ASSERT_GE(dead.size(), 1u);
  ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/portal/faults").status, 200u);

  // The second run: clean suppliers (nothing to trigger, so the outbox stands still), every SOAP
  // system slowed down and one worker: it is mid-way while the browser looks.
  mocks_post("/admin/faults", R"({"system":"shep","mode":"latency","latency_ms":)" +
                                  std::to_string(kSoapLatencyMs) + "}");
  for (int i = 0; i < kSlowRunSuppliers; ++i) ASSERT_NO_FATAL_FAILURE(register_supplier(clean[i]));
  const auto run_id = start_run();
  json::value before;
  wait_until(
      "the second run to be under way",
      [&] {
        before = run(run_id);
        return before.at("progress").at("done").as_int64() >= 3;
      },
      [&] { return json::serialize(before); });
  const auto ready = get(port_, "/readyz");  // the systems the gateway knows now
  const auto outbox_before = std::make_tuple(gauge(R"(tekser_triggers{status="pending"})"),
                                             gauge(R"(tekser_triggers{status="delivered"})"),
                                             gauge(R"(tekser_triggers{status="dead"})"));

  // The page, its token in the fragment (never the query: fragments reach no server log).
  Chromium page;
  page.navigate("http://127.0.0.1:" + std::to_string(port_) + "/ui/#token=" + kTestToken);
  const auto id = std::to_string(run_id);
  wait_page(page, "the second run shown with the latency of its systems",
            "document.getElementById('main').dataset.loaded === 'true' && "
            "document.getElementById('run-id').textContent === '" +
                id +
                "' && document.querySelector('#systems-table tr[data-system=\"gbd_ul\"]') && "
                "!document.querySelector('#systems-table tr[data-system=\"gbd_ul\"]')"
                ".children[6].textContent.startsWith('—')");
  // The token left the address bar once kept.
  EXPECT_EQ(page.evaluate("location.hash"), "");

  // The run's numbers as the API reports them: the total exactly, the finished items between
  // what the API said before the page asked and after it showed them.
  const auto shown_done = std::stoll(page_text(page, "run-done"));
  const auto shown_failed = std::stoll(page_text(page, "run-failed"));
  const auto shown_percent = page_text(page, "run-percent");
  const auto after = run(run_id);
  EXPECT_EQ(page_text(page, "run-status"), "running");
  EXPECT_EQ(page_text(page, "run-total"), std::to_string(after.at("total").as_int64()));
  EXPECT_GE(shown_done, before.at("progress").at("done").as_int64());
  EXPECT_LE(shown_done, after.at("progress").at("done").as_int64());
  EXPECT_EQ(shown_failed, 0);
  EXPECT_EQ(text(after.at("status")), "running") << "the run ended before the page was read";
  char percent[32];
  std::snprintf(percent, sizeof percent, "%.1f",
                100.0 * static_cast<double>(shown_done + shown_failed) /
                    static_cast<double>(after.at("total").as_int64()));
  EXPECT_EQ(shown_percent, percent);

  // Every state system the gateway knows, with its breaker; the slowed ones with the latency
  // the message log measured (the 95th percentile of a window that holds slowed exchanges).
  for (const auto& source : ready.at("sources").as_array()) {
    const auto system = text(source.at("system"));
    SCOPED_TRACE(system);
    const auto row = "#systems-table tr[data-system=\"" + system + "\"]";
    EXPECT_EQ(page.evaluate("document.querySelector('" + row + "') !== null"), true);
    EXPECT_EQ(page.evaluate("document.querySelector('" + row + " td.state').textContent"),
              json::value("closed"));
  }
  for (const char* system : {"gbd_ul", "kgd"}) {
    SCOPED_TRACE(system);
    const auto p95 = page.evaluate(std::string("document.querySelector('#systems-table "
                                               "tr[data-system=\"") +
                                   system + "\"]').children[6].textContent");
    ASSERT_TRUE(p95.is_string()) << json::serialize(p95);
    EXPECT_GE(std::stoi(std::string(p95.as_string())), kSoapLatencyMs) << p95.as_string();
  }

  // The outbox as /metrics counts it (it stands still in this run), and each dead letter with
  // its replay button.
  EXPECT_EQ(page_text(page, "outbox-pending"), std::to_string(std::get<0>(outbox_before)));
  EXPECT_EQ(page_text(page, "outbox-delivered"), std::to_string(std::get<1>(outbox_before)));
  EXPECT_EQ(page_text(page, "outbox-dead"), std::to_string(std::get<2>(outbox_before)));
  EXPECT_EQ(std::get<2>(outbox_before), static_cast<long long>(dead.size()));
  for (const auto& t : dead) {
    const auto trigger = text(t.at("id"));
    EXPECT_EQ(page.evaluate("document.querySelector('#dead-table button[data-replay=\"" + trigger +
                            "\"]') !== null"),
              true)
        << trigger;
  }

  // The screenshot of the run in progress, kept in the build folder.
  const fs::path artefacts = TEKSER_TEST_ARTEFACTS_DIR;
  fs::create_directories(artefacts);
  const auto png = artefacts / "ui-refresh.png";
  std::ofstream(png, std::ios::binary) << page.screenshot();
  ASSERT_GT(fs::file_size(png), 10'000u);
  std::cout << "operator's page screenshot: " << png.string() << std::endl;
  RecordProperty("screenshot", png.string());

  // A click on the first dead letter's button replays it (POST /v1/triggers/{id}/replay); the
  // page says so, the portal (no longer refusing) accepts it, and the page's count follows.
  const auto replayed = text(dead[0].at("id"));
  page.evaluate("document.querySelector('#dead-table button[data-replay=\"" + replayed +
                "\"]').click()");
  wait_page(page, "the replay's result",
            "document.getElementById('replay-result').dataset.replayed === '" + replayed + "'");
  EXPECT_EQ(page_text(page, "replay-result"), "Trigger " + replayed + " replayed: now pending.");
  json::value trigger;
  wait_until(
      "the replayed trigger to be delivered",
      [&] {
        trigger = get(port_, "/v1/triggers/" + replayed);
        return trigger.at("status") == "delivered";
      },
      [&] { return json::serialize(trigger); });
  bool accepted = false;
  for (const auto& a : portal_triggers()) accepted = accepted || a.trigger_id == replayed;
  EXPECT_TRUE(accepted) << "the mock portal did not accept " << replayed;
  wait_page(page, "the dead letters to count one less",
            "document.getElementById('outbox-dead').textContent === '" +
                std::to_string(dead.size() - 1) + "'");
  EXPECT_EQ(page.evaluate("document.querySelector('#dead-table button[data-replay=\"" + replayed +
                          "\"]') === null"),
            true);

  call(port_, http::verb::post, "/v1/refresh-runs/" + id + "/cancel");
}

}  // namespace
}  // namespace tekser::integration

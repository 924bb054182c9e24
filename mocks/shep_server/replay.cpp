#include "mocks/shep_server/replay.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "common/shep/envelope.hpp"
#include "common/time/xsd_time.hpp"
#include "common/xml/ns.hpp"

namespace tekser::mocks {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kWsseNs =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ReplayError(file.string() + ": cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Newest first: by the original exchange's time, then by file name (which starts with it).
long long time_key(const Recording& r) {
  if (auto parsed = xsd_time::parse_datetime(r.started_at))
    return parsed->time_since_epoch().count();
  return -1;
}
bool newer(const Recording& a, const Recording& b) {
  const auto ta = time_key(a);
  const auto tb = time_key(b);
  if (ta != tb) return ta > tb;
  return a.file.filename().string() > b.file.filename().string();
}

Recording read_recording(const fs::path& file) {
  Recording r;
  r.file = fs::absolute(file).lexically_normal();
  r.envelope = read_all(file);
  auto sidecar = file;
  sidecar.replace_extension(".json");
  if (fs::exists(sidecar)) {
    json::error_code ec;
    const auto meta = json::parse(read_all(sidecar), ec);
    if (ec || !meta.is_object())
      throw ReplayError(sidecar.string() + ": not a JSON object (" + ec.message() + ")");
    r.service_id = string_field(meta.as_object(), "service_id");
    r.subject = string_field(meta.as_object(), "subject");
    r.started_at = string_field(meta.as_object(), "started_at");
    r.message_id = string_field(meta.as_object(), "message_id");
    if (r.service_id.empty() || r.subject.empty())
      throw ReplayError(sidecar.string() + ": service_id and subject are required");
  } else {
    // Without a sidecar the folders say it: <service_id>/<subject>/<file>.xml
    r.subject = file.parent_path().filename().string();
    r.service_id = file.parent_path().parent_path().filename().string();
    if (r.subject.empty() || r.service_id.empty())
      throw ReplayError(file.string() + ": no sidecar .json and not under <service_id>/<subject>/");
  }
  const auto parsed = shep::parse_reply(r.envelope);
  if (parsed.kind != shep::ParsedReply::Kind::response)
    throw ReplayError(file.string() + ": not a SendMessageResponse" +
                      (parsed.problem.empty() ? std::string() : " (" + parsed.problem + ")"));
  return r;
}

pugi::xml_node child_local(const pugi::xml_node& parent, std::string_view local) {
  for (auto c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && xml::local_name(c) == local) return c;
  return {};
}

void set_text(pugi::xml_node node, const std::string& text) {
  while (node.first_child()) node.remove_child(node.first_child());
  node.text().set(text.c_str());
}

}  // namespace

std::size_t ReplayStore::load(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ReplayError(dir.string() + ": not a folder");
  std::vector<Recording> found;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".xml") files.push_back(it->path());
  if (ec) throw ReplayError(dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) found.push_back(read_recording(file));

  std::lock_guard lock(mutex_);
  dirs_.push_back(fs::absolute(dir).lexically_normal().string());
  for (auto& r : found) {
    auto& list = recordings_[{r.service_id, r.subject}];
    list.push_back(std::move(r));
    std::stable_sort(list.begin(), list.end(), newer);
  }
  return found.size();
}

std::size_t ReplayStore::clear() {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [key, list] : recordings_) n += list.size();
  recordings_.clear();
  dirs_.clear();
  return n;
}

std::size_t ReplayStore::size() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [key, list] : recordings_) n += list.size();
  return n;
}

std::optional<Recording> ReplayStore::find(std::string_view service_id,
                                           std::string_view subject) const {
  std::lock_guard lock(mutex_);
  const auto it = recordings_.find({std::string(service_id), std::string(subject)});
  if (it == recordings_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

json::object ReplayStore::to_json() const {
  std::lock_guard lock(mutex_);
  json::array dirs;
  for (const auto& d : dirs_) dirs.emplace_back(d);
  json::array keys;
  std::size_t total = 0;
  for (const auto& [key, list] : recordings_) {
    json::array files;
    for (const auto& r : list)
      files.push_back(json::object{
          {"file", r.file.string()}, {"started_at", r.started_at}, {"message_id", r.message_id}});
    total += list.size();
    keys.push_back(json::object{{"service_id", key.first},
                                {"subject", key.second},
                                {"served", list.front().file.string()},
                                {"recordings", std::move(files)}});
  }
  return {{"dirs", std::move(dirs)}, {"count", total}, {"keys", std::move(keys)}};
}

std::string replay_envelope(std::string_view recorded, const std::string& message_id,
                            const std::string& correlation_id, const std::string& response_date,
                            const std::string& session_id) {
  pugi::xml_document doc;
  const unsigned options = xml::safe_parse_options() | pugi::parse_declaration |
                           pugi::parse_ws_pcdata | pugi::parse_comments;
  if (!doc.load_buffer(recorded.data(), recorded.size(), options, pugi::encoding_utf8))
    throw ReplayError("the recording is not well-formed XML");
  auto envelope = doc.document_element();
  if (auto header = xml::child(envelope, {shep::kSoapNs, "Header"})) {
    for (auto security = xml::child(header, {kWsseNs, "Security"}); security;
         security = xml::child(header, {kWsseNs, "Security"}))
      header.remove_child(security);
  }
  auto info = xml::find_path(envelope, {{shep::kSoapNs, "Body"},
                                        {shep::kTypesNs, "SendMessageResponse"},
                                        {"", "response"},
                                        {"", "responseInfo"}});
  if (!info) throw ReplayError("the recording has no SendMessageResponse/response/responseInfo");
  auto id = child_local(info, "messageId");
  if (!id) throw ReplayError("the recording's responseInfo has no messageId");
  set_text(id, message_id);
  auto correlation = child_local(info, "correlationId");
  if (!correlation) {
    // The contract's order: messageId, correlationId, responseDate, ...
    correlation = info.insert_child_after(pugi::node_element, id);
    // The same prefix as messageId's, if it has one (SHEP writes them unqualified).
    const std::string id_name = id.name();
    const auto colon = id_name.find(':');
    const std::string name =
        colon == std::string::npos ? "correlationId" : id_name.substr(0, colon) + ":correlationId";
    correlation.set_name(name.c_str());
  }
  set_text(correlation, correlation_id);
  if (auto date = child_local(info, "responseDate")) set_text(date, response_date);
  if (auto session = child_local(info, "sessionId")) set_text(session, session_id);
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

}  // namespace tekser::mocks

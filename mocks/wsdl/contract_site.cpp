#include "mocks/wsdl/contract_site.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <pugixml.hpp>

namespace tekser::mocks::wsdl {
namespace {

namespace http = boost::beast::http;
namespace fs = std::filesystem;

constexpr std::string_view kWsdlNs = "http://schemas.xmlsoap.org/wsdl/";
constexpr std::string_view kWsdlSoapNs = "http://schemas.xmlsoap.org/wsdl/soap/";

HttpAction answer(http::status status, unsigned version, std::string_view content_type,
                  std::string body) {
  HttpResponse response{status, version};
  response.set(http::field::server, "tekser-mocks");
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return HttpAction{HttpAction::Kind::respond, std::move(response)};
}

HttpAction text_error(http::status status, unsigned version, std::string message) {
  return answer(status, version, "text/plain; charset=utf-8", std::move(message) + "\n");
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The namespace URI bound to the prefix of `node`'s name, looked up through its ancestors.
std::string_view namespace_of(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  const std::string attribute =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  for (auto n = node; n; n = n.parent()) {
    if (auto a = n.attribute(attribute.c_str())) return a.value();
  }
  return {};
}

std::string_view local_name(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Visits every element of the document.
template <typename Visit>
void for_each_element(pugi::xml_node node, const Visit& visit) {
  for (auto child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    visit(child);
    for_each_element(child, visit);
  }
}

bool is_contract_file(const fs::path& path) {
  const auto extension = path.extension().string();
  return extension == ".wsdl" || extension == ".xsd";
}

}  // namespace

std::string safe_host(const HttpRequest& request) {
  const auto found = request.find(http::field::host);
  if (found == request.end()) return {};
  const std::string_view host = found->value();
  if (host.empty() || host.size() > 255) return {};
  for (const char c : host) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' ||
                         c == ']';
    if (!allowed) return {};
  }
  return std::string(host);
}

ContractSite::ContractSite(fs::path contracts_dir, fs::path assumed_dir,
                           std::string sync_channel_path)
    : contracts_dir_(std::move(contracts_dir)),
      assumed_dir_(std::move(assumed_dir)),
      sync_channel_path_(std::move(sync_channel_path)),
      service_wsdl_(read_file(contracts_dir_ / kServiceWsdl)) {}

HttpAction ContractSite::wsdl(const HttpRequest& request) const {
  const unsigned version = request.version();
  const auto host = safe_host(request);
  if (host.empty())
    return text_error(http::status::bad_request, version,
                      "a Host header (host[:port]) is needed to write the WSDL's addresses");
  const std::string base = "http://" + host;
  pugi::xml_document doc;
  if (!doc.load_buffer(service_wsdl_.data(), service_wsdl_.size()))
    throw std::runtime_error("the SyncChannel WSDL does not parse");
  // The import is relative to the WSDL's folder in the contracts tree, which /contracts serves.
  const auto wsdl_folder = fs::path(kServiceWsdl).parent_path().string();
  for_each_element(doc, [&](pugi::xml_node element) {
    const auto ns = namespace_of(element);
    const auto local = local_name(element);
    if (ns == kWsdlNs && local == "import") {
      auto location = element.attribute("location");
      const std::string relative = location.value();
      if (!relative.empty() && relative.find("://") == std::string::npos)
        location.set_value(
            (base + std::string(kContractsPath) + "/" + wsdl_folder + "/" + relative).c_str());
    } else if (ns == kWsdlSoapNs && local == "address") {
      element.attribute("location").set_value((base + sync_channel_path_).c_str());
    }
  });
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return answer(http::status::ok, version, "text/xml; charset=utf-8", out.str());
}

HttpAction ContractSite::file(const HttpRequest& request) const {
  const unsigned version = request.version();
  if (request.method() != http::verb::get && request.method() != http::verb::head)
    return text_error(http::status::method_not_allowed, version, "use GET");
  const auto target = boost::urls::parse_origin_form(request.target());
  if (!target) return text_error(http::status::bad_request, version, "malformed request target");
  std::string path = target->path();
  if (!path.starts_with(std::string(kContractsPath) + "/"))
    return text_error(http::status::not_found, version, "no such contract file");
  const fs::path relative = fs::path(path.substr(kContractsPath.size() + 1)).lexically_normal();
  // No way out of the two folders: no absolute paths, no "..", only schema files.
  if (relative.empty() || relative.is_absolute() || relative.begin()->string() == ".." ||
      !is_contract_file(relative))
    return text_error(http::status::not_found, version,
                      "no such contract file: " + relative.generic_string());
  fs::path file = contracts_dir_ / relative;
  if (relative.begin()->string() == "assumed") {
    file =
        assumed_dir_ / fs::path(relative.generic_string().substr(std::string("assumed/").size()));
  }
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    return text_error(http::status::not_found, version,
                      "no such contract file: " + relative.generic_string());
  return answer(http::status::ok, version, "text/xml; charset=utf-8", read_file(file));
}

}  // namespace tekser::mocks::wsdl

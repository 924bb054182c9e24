// The published contracts: the WSDL's addresses point at the server that was asked, the files
// it imports are served, and nothing outside the two contract folders is.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <pugixml.hpp>

#include "mocks/shep_server/routes.hpp"
#include "mocks/wsdl/contract_site.hpp"
#include "test_support.hpp"

namespace tekser::mocks::wsdl {
namespace {

namespace http = boost::beast::http;

HttpRequest get(std::string target, std::string host = "127.0.0.1:8089") {
  HttpRequest request{http::verb::get, target, 11};
  if (!host.empty()) request.set(http::field::host, host);
  return request;
}

const ContractSite& site() {
  static const ContractSite s(testing::contracts_dir(), TEKSER_ASSUMED_CONTRACTS_DIR,
                              std::string(kSyncChannelPath));
  return s;
}

TEST(ContractSite, WsdlAddressAndImportPointAtTheAskedHost) {
  const auto action = site().wsdl(get("/bip-sync-wss-gost/?wsdl", "mocks.test:8089"));
  ASSERT_EQ(action.kind, HttpAction::Kind::respond);
  ASSERT_EQ(action.response.result(), http::status::ok);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(action.response.body().c_str()));
  const auto root = doc.document_element();
  EXPECT_STREQ(
      root.child("wsdl:import").attribute("location").value(),
      "http://mocks.test:8089/contracts/shep/SyncChannel/v10/Interfaces/ISyncChannel.wsdl");
  EXPECT_STREQ(root.child("wsdl:service")
                   .child("wsdl:port")
                   .child("soap:address")
                   .attribute("location")
                   .value(),
               "http://mocks.test:8089/bip-sync-wss-gost/");
}

TEST(ContractSite, WsdlWithoutAUsableHostIsRefused) {
  EXPECT_EQ(site().wsdl(get("/bip-sync-wss-gost/?wsdl", "")).response.result(),
            http::status::bad_request);
  EXPECT_EQ(site().wsdl(get("/bip-sync-wss-gost/?wsdl", "evil.test/\"><x")).response.result(),
            http::status::bad_request);
}

TEST(ContractSite, ServesTheImportedFilesAndTheAssumedContracts) {
  const auto wsdl =
      site().file(get("/contracts/shep/SyncChannel/v10/Interfaces/ISyncChannel.wsdl"));
  EXPECT_EQ(wsdl.response.result(), http::status::ok);
  EXPECT_NE(wsdl.response.body().find("ISyncChannel"), std::string::npos);
  // A relative schemaLocation (../../../common/…) resolved by a client stays inside the tree.
  EXPECT_EQ(site().file(get("/contracts/shep/common/v10/Types/ErrorInfo.xsd")).response.result(),
            http::status::ok);
  EXPECT_EQ(site().file(get("/contracts/gbd-ul/GbdulInfoByBin_v2.xsd")).response.result(),
            http::status::ok);
  EXPECT_EQ(site().file(get("/contracts/assumed/kgd/KGD_TaxpayerStatus.xsd")).response.result(),
            http::status::ok);
}

TEST(ContractSite, NothingOutsideTheContractFolders) {
  for (const char* target :
       {"/contracts/../docs/BRIEF.md", "/contracts/%2e%2e/%2e%2e/etc/passwd",
        "/contracts/shep/../../../../etc/hostname", "/contracts/README.md",
        "/contracts/assumed/README.md", "/contracts/no/such.xsd", "/contracts/"}) {
    SCOPED_TRACE(target);
    EXPECT_EQ(site().file(get(target)).response.result(), http::status::not_found);
  }
  HttpRequest post{http::verb::post, "/contracts/gbd-ul/GbdulInfoByBin_v2.xsd", 11};
  EXPECT_EQ(site().file(post).response.result(), http::status::method_not_allowed);
}

}  // namespace
}  // namespace tekser::mocks::wsdl

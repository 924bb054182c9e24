// The gateway's request signatures, checked by the mocks as SHEP checks a sender
// (--request-signature require, --trusted-request-cert): a gateway that signs with the trusted
// key gets its data and the mocks' journal records every request's signatures as valid with the
// gateway's certificate; an unsigned gateway and one signing with a key the bus does not trust
// are refused — the source's answer is unknown with the bus's cause, never data, never a block.
#include "common/xmlsig/xmlsig.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kActiveBin = "150340012340";  // ГБД ЮЛ: registered, every register clean
constexpr const char* kLiquidatedBin = "080940003154";  // ГБД ЮЛ: liquidated
constexpr const char* kGbdUl = "GbdulInfoByBin_v2";

// A signing key of the gateway's, made with the openssl command line in a folder of its own.
struct GatewayKey {
  fs::path dir = make_temp_dir();
  fs::path key = dir / "gateway.key";
  fs::path certificate = dir / "gateway.pem";
  std::string sha256;

  explicit GatewayKey(const std::string& common_name) {
    const auto command =
        "openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj '/CN=" + common_name +
        "' -keyout '" + key.string() + "' -out '" + certificate.string() + "' >'" +
        (dir / "openssl.log").string() + "' 2>&1";
    if (std::system(command.c_str()) != 0)
      throw std::runtime_error(command + ": " + read_file(dir / "openssl.log"));
    sha256 = xmlsig::SigningKey::load_pem(key, certificate).certificate().sha256_fingerprint;
  }
  ~GatewayKey() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

const GatewayKey& trusted_key() {
  static const GatewayKey key("tekser gateway (trusted by the bus)");
  return key;
}

class RequestSignatureTest : public GatewayTest {
 protected:
  // Each test starts the mocks and the gateway itself, with the options it is about.
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    schema_ = std::make_unique<store::test::FreshSchema>();
  }

  // The mocks demand signed requests and trust the trusted key's certificate; the gateway signs
  // with `signing_key` (none: unsigned).
  void start(const GatewayKey* signing_key) {
    mocks_ = std::make_unique<ChildProcess>(
        [](const fs::path& dir) {
          auto args = mocks_args(dir, "127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
          for (const auto& arg :
               {std::string("--request-signature"), std::string("require"),
                std::string("--trusted-request-cert"), trusted_key().certificate.string()})
            args.push_back(arg);
          return args;
        },
        "mocks");
    mocks_port_ = mocks_->wait_listening();
    if (signing_key)
      extra_shep_yaml_ = "  request_signing: {key: '" + signing_key->key.string() +
                         "', certificate: '" + signing_key->certificate.string() + "'}\n";
    start_gateway();
  }

  json::value verified(const std::string& id) {
    const auto created = put(id, R"({"categories":["technical_aids"]})");
    EXPECT_LT(created.status, 300u) << json::serialize(created.body);
    auto reply = verify(id);
    EXPECT_EQ(reply.status, 200u) << json::serialize(reply.body);
    return reply.body;
  }

  // The mocks' journal entries of the SOAP systems for `subject`.
  json::array soap_journal(const std::string& subject) {
    const auto reply = mocks_admin(http::verb::get, "/admin/journal?subject=" + subject);
    json::array soap;
    for (const auto& entry : reply.body.as_array())
      if (!is_text(entry.at("system"), "goszakup") && !is_text(entry.at("system"), "samruk"))
        soap.push_back(entry);
    return soap;
  }

  std::string requirement_outcome(const std::string& id, std::string_view requirement) {
    const auto reply = call(port_, http::verb::get,
                            "/v1/suppliers/" + id + "/eligibility?category=technical_aids");
    EXPECT_EQ(reply.status, 200u) << json::serialize(reply.body);
    for (const auto& r : reply.body.at("verdicts").as_array().at(0).at("requirements").as_array())
      if (is_text(r.at("id"), requirement)) return json::serialize(r.at("outcome"));
    return "missing";
  }

  static std::string text(const json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  }
};

TEST_F(RequestSignatureTest, TrustedSignedRequestsGetDataAndTheJournalSaysValid) {
  start(&trusted_key());
  const auto view = verified(kActiveBin);
  EXPECT_EQ(source(view, "gbd_ul").at("outcome"), "data") << json::serialize(view);
  EXPECT_EQ(fact(view, "gbd_ul", "status").at("value").at("value"), "active");
  EXPECT_EQ(source(view, "kgd").at("outcome"), "data");
  EXPECT_EQ(source(view, "elicense").at("outcome"), "data");

  const auto journal = soap_journal(kActiveBin);
  ASSERT_FALSE(journal.empty());
  for (const auto& entry : journal) {
    EXPECT_EQ(entry.at("signature"), "valid") << json::serialize(entry);
    EXPECT_EQ(entry.at("signer_sha256"), json::value(trusted_key().sha256));
    EXPECT_TRUE(entry.at("signature_problem").is_null()) << json::serialize(entry);
    // Only ГБД ЮЛ wants the request data signed too, and gets it.
    if (is_text(entry.at("service_id"), kGbdUl)) {
      EXPECT_EQ(entry.at("payload_signature"), "valid") << json::serialize(entry);
      EXPECT_EQ(entry.at("payload_signer_sha256"), json::value(trusted_key().sha256));
      EXPECT_EQ(entry.at("validation"), "valid");
    } else {
      EXPECT_TRUE(entry.at("payload_signature").is_null()) << json::serialize(entry);
    }
  }
}

TEST_F(RequestSignatureTest, UnsignedRequestsAreRefusedAndNothingIsBlocked) {
  start(nullptr);
  const auto view = verified(kLiquidatedBin);
  for (const auto* system : {"gbd_ul", "kgd", "elicense"}) {
    const auto s = source(view, system);
    EXPECT_EQ(s.at("outcome"), "refused") << json::serialize(s);
    EXPECT_NE(text(s.at("cause")).find("SE_SIGNATURE_MISSING"), std::string::npos)
        << json::serialize(s);
  }
  EXPECT_TRUE(fact(view, "gbd_ul", "status").is_null()) << json::serialize(view);
  EXPECT_EQ(source(view, "goszakup").at("outcome"), "data") << "REST registers are not signed";
  // The liquidation the bus would have reported stays unknown: no deregistration, no block.
  EXPECT_EQ(requirement_outcome(kLiquidatedBin, "p15.2"), "\"unknown\"");

  const auto journal = soap_journal(kLiquidatedBin);
  ASSERT_FALSE(journal.empty());
  for (const auto& entry : journal) {
    EXPECT_EQ(entry.at("signature"), "absent") << json::serialize(entry);
    EXPECT_EQ(entry.at("outcome"), "SE_SIGNATURE_MISSING");
    EXPECT_NE(text(entry.at("signature_problem")).find("requires one"), std::string::npos);
  }
}

TEST_F(RequestSignatureTest, ASignerTheBusDoesNotTrustIsRefused) {
  const GatewayKey untrusted("tekser gateway (unknown to the bus)");
  start(&untrusted);
  const auto view = verified(kActiveBin);
  const auto gbd_ul = source(view, "gbd_ul");
  EXPECT_EQ(gbd_ul.at("outcome"), "refused") << json::serialize(gbd_ul);
  EXPECT_NE(text(gbd_ul.at("cause")).find("SE_SIGNATURE_INVALID"), std::string::npos)
      << json::serialize(gbd_ul);
  EXPECT_NE(text(gbd_ul.at("cause")).find("not trusted"), std::string::npos)
      << json::serialize(gbd_ul);
  EXPECT_TRUE(fact(view, "gbd_ul", "status").is_null());

  const auto journal = soap_journal(kActiveBin);
  ASSERT_FALSE(journal.empty());
  for (const auto& entry : journal) {
    EXPECT_EQ(entry.at("signature"), "invalid") << json::serialize(entry);
    EXPECT_EQ(entry.at("signer_sha256"), json::value(untrusted.sha256));
    EXPECT_EQ(entry.at("outcome"), "SE_SIGNATURE_INVALID");
  }
}

}  // namespace
}  // namespace tekser::integration

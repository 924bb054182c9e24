// WS-Security on SHEP's replies, end to end: the mocks sign every reply with their key, the
// gateway verifies it against the certificates it trusts and records the outcome in each fact's
// provenance. The mocks' signature faults drive the three cases: a valid signature (facts say
// so), an invalid one (that source's answer is unknown, with a signature cause — never data,
// never a block), a missing one (accepted and recorded under verify_if_present, unknown under
// require).
#include <cstdlib>
#include <set>

#include <unistd.h>

#include "common/xmlsig/xmlsig.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kActiveBin = "150340012340";  // ГБД ЮЛ: registered, every register clean
constexpr const char* kLiquidatedBin = "080940003154";  // ГБД ЮЛ: liquidated
constexpr const char* kGbdUl = "GbdulInfoByBin_v2";

class SignatureTest : public GatewayTest {
 protected:
  void inject(const std::string& service_id, const std::string& mode, int count = 1) {
    const auto reply = mocks_admin(http::verb::post, "/admin/faults",
                                   R"({"service_id":")" + service_id + R"(","mode":")" + mode +
                                       R"(","count":)" + std::to_string(count) + "}");
    ASSERT_EQ(reply.status / 100, 2u) << json::serialize(reply.body);
  }

  json::value verified(const std::string& id, const std::string& categories) {
    const auto created = put(id, R"({"categories":)" + categories + "}");
    EXPECT_LT(created.status, 300u) << json::serialize(created.body);
    auto reply = verify(id);
    EXPECT_EQ(reply.status, 200u) << json::serialize(reply.body);
    return reply.body;
  }

  static std::string text(const json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  }

  // The signature status of every fact of `system` in a supplier view, when they all agree.
  static std::string signature_of(const json::value& view, std::string_view system) {
    std::set<std::string> seen;
    for (const auto& f : view.at("facts").as_array())
      if (is_text(f.at("system"), system)) seen.insert(text(f.at("provenance").at("signature")));
    if (seen.size() != 1) return "facts disagree or none: " + std::to_string(seen.size());
    return *seen.begin();
  }

  // The outcome of one requirement of the supplier's verdict for `category`.
  std::string requirement_outcome(const std::string& id, const std::string& category,
                                  std::string_view requirement) {
    const auto reply =
        call(port_, http::verb::get, "/v1/suppliers/" + id + "/eligibility?category=" + category);
    EXPECT_EQ(reply.status, 200u) << json::serialize(reply.body);
    for (const auto& r : reply.body.at("verdicts").as_array().at(0).at("requirements").as_array())
      if (is_text(r.at("id"), requirement)) return text(r.at("outcome"));
    return "missing";
  }
};

TEST_F(SignatureTest, FactsFromSignedRepliesCarryAValidSignatureAndTheSigner) {
  const auto view = verified(kActiveBin, R"(["technical_aids"])");
  const auto status = fact(view, "gbd_ul", "status");
  ASSERT_FALSE(status.is_null()) << json::serialize(view);
  EXPECT_EQ(status.at("provenance").at("signature"), "valid");
  EXPECT_EQ(status.at("provenance").at("signer_sha256"), json::value(test_signing_key().sha256));

  // Every SOAP system's facts are signed; the REST registers have no XML signature to check.
  for (const auto& f : view.at("facts").as_array()) {
    const auto system = text(f.at("system"));
    const auto expected = system == "goszakup" || system == "samruk" ? "not_checked" : "valid";
    EXPECT_EQ(f.at("provenance").at("signature"), expected) << json::serialize(f);
  }

  // Stored, not only reported: a plain read and the history say the same, and so does the log.
  const auto read = call(port_, http::verb::get, std::string("/v1/suppliers/") + kActiveBin);
  EXPECT_EQ(fact(read.body, "gbd_ul", "status").at("provenance").at("signature"), "valid");
  const auto history =
      call(port_, http::verb::get, std::string("/v1/suppliers/") + kActiveBin + "/history");
  for (const auto& h : history.body.at("history").as_array()) {
    if (is_text(h.at("system"), "gbd_ul")) {
      EXPECT_EQ(h.at("provenance").at("signature"), "valid") << json::serialize(h);
    }
  }
  auto connection = db();
  pqxx::work txn(*connection);
  const auto row =
      txn.exec_params1("SELECT signature, signer_sha256 FROM message_log WHERE message_id = $1",
                       text(status.at("provenance").at("message_id")));
  EXPECT_EQ(row[0].as<std::string>(), "valid");
  EXPECT_EQ(row[1].as<std::string>(), test_signing_key().sha256);
}

TEST_F(SignatureTest, MocksPublishTheCertificateTheySignWith) {
  const auto reply =
      http_call(mocks_port_, http::verb::get, "/admin/signing-certificate", "", 10s, "");
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.result_int(), 200u);
  EXPECT_EQ(reply.response.body(), read_file(test_signing_key().certificate));
  EXPECT_EQ(read_file(mocks_->dir() / "signing.pem"), read_file(test_signing_key().certificate));
}

TEST_F(SignatureTest, InvalidSignatureMakesOnlyThatSourceUnknownAndBlocksNothing) {
  inject(kGbdUl, "invalid_signature");
  const auto view = verified(kLiquidatedBin, R"(["technical_aids"])");

  const auto gbd_ul = source(view, "gbd_ul");
  EXPECT_EQ(gbd_ul.at("outcome"), "unavailable") << json::serialize(gbd_ul);
  EXPECT_NE(text(gbd_ul.at("cause")).find("signature invalid"), std::string::npos)
      << json::serialize(gbd_ul);
  // Never data: the liquidation the tampered reply still shows is not taken as a fact.
  EXPECT_TRUE(fact(view, "gbd_ul", "status").is_null()) << json::serialize(view);
  // The other systems answered, signed, as usual (KGD does not know this company).
  EXPECT_EQ(source(view, "kgd").at("outcome"), "no_data");
  EXPECT_EQ(source(view, "elicense").at("outcome"), "data");
  EXPECT_EQ(signature_of(view, "elicense"), "valid");

  // No block: deregistration on termination (p.15 item 2, a block under p.16) is unknown, never
  // failed, while ГБД ЮЛ's answer is untrusted.
  EXPECT_EQ(requirement_outcome(kLiquidatedBin, "technical_aids", "p15.2"), "unknown");

  // The log keeps the refused reply, its signature status and its signer.
  auto connection = db();
  pqxx::work txn(*connection);
  const auto row = txn.exec1(
      "SELECT signature, outcome, cause FROM message_log WHERE system = 'gbd_ul' "
      "ORDER BY id DESC LIMIT 1");
  EXPECT_EQ(row[0].as<std::string>(), "invalid");
  EXPECT_EQ(row[1].as<std::string>(), "unavailable");
  EXPECT_NE(row[2].as<std::string>().find("digest"), std::string::npos) << row[2].c_str();
  txn.commit();

  // The fault spent, the next reply verifies and its facts arrive.
  const auto again = verify(kLiquidatedBin);
  EXPECT_EQ(source(again.body, "gbd_ul").at("outcome"), "data");
  EXPECT_EQ(fact(again.body, "gbd_ul", "status").at("value").at("value"), "liquidated");
  EXPECT_EQ(fact(again.body, "gbd_ul", "status").at("provenance").at("signature"), "valid");
  EXPECT_EQ(requirement_outcome(kLiquidatedBin, "technical_aids", "p15.2"), "fail")
      << "with a trusted reply the liquidation counts";
}

TEST_F(SignatureTest, InvalidSignatureKeepsTheLastGoodFacts) {
  const auto first = verified(kActiveBin, R"(["technical_aids"])");
  ASSERT_EQ(fact(first, "gbd_ul", "status").at("value").at("value"), "active");
  inject(kGbdUl, "invalid_signature");
  const auto second = verify(kActiveBin);
  EXPECT_EQ(source(second.body, "gbd_ul").at("outcome"), "unavailable");
  EXPECT_EQ(fact(second.body, "gbd_ul", "status").at("value").at("value"), "active");
  EXPECT_EQ(second.body.at("verification").at("facts_changed"), 0);
}

TEST_F(SignatureTest, MissingSignatureIsAcceptedAndRecordedUnderVerifyIfPresent) {
  inject(kGbdUl, "missing_signature");
  const auto view = verified(kActiveBin, R"(["technical_aids"])");
  EXPECT_EQ(source(view, "gbd_ul").at("outcome"), "data");
  const auto status = fact(view, "gbd_ul", "status");
  ASSERT_FALSE(status.is_null()) << json::serialize(view);
  EXPECT_EQ(status.at("provenance").at("signature"), "absent");
  EXPECT_TRUE(status.at("provenance").at("signer_sha256").is_null());
  EXPECT_EQ(signature_of(view, "gbd_ul"), "absent");
  EXPECT_EQ(signature_of(view, "kgd"), "valid");
}

TEST_F(SignatureTest, MissingSignatureUnderRequireMakesTheSourceUnknown) {
  reply_signature_policy_ = "require";
  start_gateway();
  inject(kGbdUl, "missing_signature");
  const auto view = verified(kActiveBin, R"(["technical_aids"])");
  const auto gbd_ul = source(view, "gbd_ul");
  EXPECT_EQ(gbd_ul.at("outcome"), "unavailable") << json::serialize(gbd_ul);
  EXPECT_NE(text(gbd_ul.at("cause")).find("signature missing"), std::string::npos)
      << json::serialize(gbd_ul);
  EXPECT_TRUE(fact(view, "gbd_ul", "status").is_null());
  EXPECT_EQ(source(view, "kgd").at("outcome"), "data");

  // Signed replies pass under require.
  const auto again = verify(kActiveBin);
  EXPECT_EQ(fact(again.body, "gbd_ul", "status").at("provenance").at("signature"), "valid");
}

TEST_F(SignatureTest, ASignerTheGatewayDoesNotTrustIsRefused) {
  // The gateway trusts a certificate of its own that the mocks' key does not match.
  const auto dir = make_temp_dir();
  const auto other = dir / "someone-else.pem";
  ASSERT_EQ(
      std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj '/CN=other' "
                   "-keyout '" +
                   (dir / "other.key").string() + "' -out '" + other.string() + "' >/dev/null 2>&1")
                      .c_str()),
      0);
  trusted_certificate_ = other;
  start_gateway();  // reads the file before it listens
  fs::remove_all(dir);

  const auto view = verified(kActiveBin, R"(["technical_aids"])");
  for (const auto* system : {"gbd_ul", "kgd", "elicense"}) {
    const auto s = source(view, system);
    EXPECT_EQ(s.at("outcome"), "unavailable") << json::serialize(s);
    EXPECT_NE(text(s.at("cause")).find("not trusted"), std::string::npos) << json::serialize(s);
  }
  EXPECT_EQ(source(view, "goszakup").at("outcome"), "data") << "REST registers are not signed";
}

TEST_F(SignatureTest, RequestsAreSignedWhenTheGatewayHasAKey) {
  extra_shep_yaml_ = "  request_signing: {key: '" + test_signing_key().key.string() +
                     "', certificate: '" + test_signing_key().certificate.string() + "'}\n";
  start_gateway();
  const auto view = verified(kActiveBin, R"(["technical_aids"])");
  EXPECT_EQ(source(view, "gbd_ul").at("outcome"), "data") << "the bus takes a signed request";
  const auto journal = mocks_admin(http::verb::get, std::string("/admin/journal?subject=") +
                                                        kActiveBin + "&service_id=" + kGbdUl);
  ASSERT_EQ(journal.body.as_array().size(), 1u);
  EXPECT_EQ(journal.body.as_array()[0].at("validation"), "valid");

  // What was sent (the message log keeps it) verifies against the gateway's certificate.
  auto connection = db();
  pqxx::work txn(*connection);
  const auto request = txn.exec1(
      "SELECT request_body FROM message_log WHERE system = 'gbd_ul' ORDER BY id DESC LIMIT 1");
  const auto check = xmlsig::verify_soap_body(
      request[0].as<std::string>(), xmlsig::TrustStore::load({test_signing_key().certificate}));
  EXPECT_EQ(check.status, xmlsig::Verification::Status::valid) << check.reason;
}

// The local run (deploy/run.sh): no key given, the mocks make an ephemeral one and write its
// certificate where the gateway's configuration points.
TEST_F(SignatureTest, EphemeralKeyIsTrustedThroughTheCertificateFile) {
  mocks_ = std::make_unique<ChildProcess>(
      [](const fs::path& dir) {
        return std::vector<std::string>{TEKSER_MOCKS_BINARY,
                                        "--listen",
                                        "127.0.0.1:0",
                                        "--port-file",
                                        (dir / "port").string(),
                                        "--contracts",
                                        TEKSER_CONTRACTS_DIR,
                                        "--fixtures",
                                        TEKSER_MOCKS_FIXTURES,
                                        "--signing-cert-out",
                                        (dir / "ephemeral.pem").string()};
      },
      "mocks");
  mocks_port_ = mocks_->wait_listening();
  const auto certificate = read_file(mocks_->dir() / "ephemeral.pem");
  ASSERT_NE(certificate.find("BEGIN CERTIFICATE"), std::string::npos);
  trusted_certificate_ = mocks_->dir() / "ephemeral.pem";
  start_gateway();

  const auto view = verified(kActiveBin, R"(["technical_aids"])");
  const auto status = fact(view, "gbd_ul", "status");
  ASSERT_FALSE(status.is_null()) << json::serialize(view);
  EXPECT_EQ(status.at("provenance").at("signature"), "valid");
  EXPECT_NE(status.at("provenance").at("signer_sha256"), json::value(test_signing_key().sha256))
      << "signed with the ephemeral key, not the test key";
}

// SHEP signs with GOST: a bus whose key is GOST R 34.10-2012 (512, Streebog) signs its replies and
// demands GOST-signed requests; the gateway, with a GOST key of its own, is served and verifies
// the replies — and each fact's provenance names the algorithm.
TEST_F(SignatureTest, AGostSignedBusIsVerifiedAndTheProvenanceSaysGost) {
  const auto dir = fs::temp_directory_path() / ("tekser-gost-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto make = [&dir](const std::string& name) {
    const auto key = dir / (name + ".key");
    const auto cert = dir / (name + ".pem");
    const auto command =
        "openssl genpkey -engine gost -algorithm gost2012_512 -pkeyopt "
        "paramset:A -out '" +
        key.string() +
        "' 2>/dev/null && openssl req "
        "-x509 -engine gost -md_gost12_512 -days 2 -subj '/CN=" +
        name + "' -key '" + key.string() + "' -out '" + cert.string() + "' 2>/dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return std::pair{key, cert};
  };
  const auto [bus_key, bus_cert] = make("gost-bus");
  const auto [gateway_key, gateway_cert] = make("gost-gateway");
  mocks_ = std::make_unique<ChildProcess>(
      [&](const fs::path& mdir) {
        auto args = mocks_args(mdir, "127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
        // The GOST key replaces the RSA test key the fixture gives.
        for (std::size_t i = 0; i + 1 < args.size(); ++i) {
          if (args[i] == "--signing-key") args[i + 1] = bus_key.string();
          if (args[i] == "--signing-cert") args[i + 1] = bus_cert.string();
        }
        for (const auto& arg : {std::string("--request-signature"), std::string("require"),
                                std::string("--trusted-request-cert"), gateway_cert.string()})
          args.push_back(arg);
        return args;
      },
      "mocks");
  mocks_port_ = mocks_->wait_listening();
  trusted_certificate_ = bus_cert;
  reply_signature_policy_ = "require";
  extra_shep_yaml_ = "  request_signing: {key: '" + gateway_key.string() + "', certificate: '" +
                     gateway_cert.string() + "'}\n";
  start_gateway();

  const auto view = verified(kActiveBin, R"(["technical_aids"])");
  const auto status = fact(view, "gbd_ul", "status");
  ASSERT_FALSE(status.is_null()) << json::serialize(view);
  const auto& provenance = status.at("provenance");
  EXPECT_EQ(provenance.at("signature"), "valid");
  EXPECT_EQ(provenance.at("signature_algorithm"),
            "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512");
  // The bus accepted the gateway's GOST signatures, on the Body and on ГБД ЮЛ's payload.
  const auto journal =
      mocks_admin(http::verb::get, std::string("/admin/journal?subject=") + kActiveBin +
                                       "&service_id=GbdulInfoByBin_v2");
  ASSERT_EQ(journal.body.as_array().size(), 1u);
  EXPECT_EQ(journal.body.as_array()[0].at("signature"), "valid");
  EXPECT_EQ(journal.body.as_array()[0].at("payload_signature"), "valid");
  // The message log keeps the algorithm of the reply's signature too.
  auto connection = db();
  pqxx::work txn(*connection);
  const auto row = txn.exec_params1(
      "SELECT signature, signature_algorithm FROM message_log WHERE message_id = $1",
      std::string(provenance.at("message_id").as_string()));
  EXPECT_EQ(row[0].as<std::string>(), "valid");
  EXPECT_NE(row[1].as<std::string>().find("gostr34102015"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tekser::integration

#include "tests/store/test_db.hpp"

#include "common/digest/sha256.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace tekser::store::test {
namespace {

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string random_suffix() {
  static std::mt19937_64 engine{std::random_device{}()};
  std::ostringstream out;
  out << std::hex << engine();
  return out.str();
}

}  // namespace

std::string conninfo() {
  if (const char* direct = std::getenv("TEKSER_TEST_PG"); direct && *direct) return direct;
  if (const char* file = std::getenv("TEKSER_TEST_PG_FILE"); file && *file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return trim(text.str());
  }
  return {};
}

FreshSchema::FreshSchema() : name_("store_test_" + random_suffix()) {
  pqxx::connection admin(conninfo());
  pqxx::nontransaction txn(admin);
  txn.exec("CREATE SCHEMA " + txn.quote_name(name_));
}

FreshSchema::~FreshSchema() {
  try {
    pqxx::connection admin(conninfo());
    pqxx::nontransaction txn(admin);
    txn.exec("DROP SCHEMA IF EXISTS " + txn.quote_name(name_) + " CASCADE");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop schema " << name_ << ": " << e.what();
  }
}

std::unique_ptr<pqxx::connection> FreshSchema::connect() const {
  auto connection = std::make_unique<pqxx::connection>(conninfo());
  pqxx::nontransaction txn(*connection);
  txn.exec_params("SELECT set_config('search_path', quote_ident($1), false)", name_);
  return connection;
}

SupplierRecord technical_aids_supplier(const std::string& id, const std::string& kind) {
  SupplierRecord s;
  s.id = id;
  s.subject_kind = kind;
  s.categories = {"technical_aids"};
  return s;
}

MessageLogEntry gbd_ul_exchange(const std::string& message_id, const std::string& supplier_id,
                                const std::optional<std::string>& reply) {
  MessageLogEntry m;
  m.message_id = message_id;
  m.supplier_id = supplier_id;
  m.system = "gbd_ul";
  m.service_id = "GbdulInfoByBin_v2";
  m.endpoint = "http://127.0.0.1:1/bip-sync-wss-gost/";
  m.request_body = "<request/>";
  if (reply) {
    m.response_body = reply;
    m.http_status = 200;
    m.reply_sha256 = digest::sha256_hex(*reply);
  }
  return m;
}

void StoreTest::SetUp() {
  if (conninfo().empty())
    GTEST_FAIL() << "no PostgreSQL for the store tests: run them through ctest (which starts a "
                    "throw-away cluster), or set TEKSER_TEST_PG to a conninfo";
  schema_ = std::make_unique<FreshSchema>();
  connection_ = schema_->connect();
  store_ = std::make_unique<Store>(*connection_);
  store_->migrate();
}

std::string query_value(pqxx::connection& connection, const std::string& sql) {
  pqxx::nontransaction txn(connection);
  auto row = txn.exec1(sql);
  return row[0].is_null() ? std::string("<null>") : row[0].as<std::string>();
}

}  // namespace tekser::store::test

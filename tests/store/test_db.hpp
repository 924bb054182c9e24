// Test support for the store: the throw-away cluster's conninfo and a schema of one's own.
//
// The conninfo comes from TEKSER_TEST_PG when set, else from the file named by
// TEKSER_TEST_PG_FILE (which the ctest fixture sets to /tmp/tekser-pg-test-<build hash>/conninfo,
// written by deploy/pg/pg-local.sh start). Every test works in a fresh schema, so tests need no
// order and leave nothing behind.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "gateway/store/store.hpp"

namespace tekser::store::test {

// Empty when neither variable leads to a conninfo.
std::string conninfo();

// A uniquely named schema, created on construction and dropped (with everything in it) on
// destruction.
class FreshSchema {
 public:
  FreshSchema();
  ~FreshSchema();
  FreshSchema(const FreshSchema&) = delete;
  FreshSchema& operator=(const FreshSchema&) = delete;

  const std::string& name() const { return name_; }
  // A new connection whose search_path is this schema only.
  std::unique_ptr<pqxx::connection> connect() const;

 private:
  std::string name_;
};

// A watched supplier in the technical-aids category, without consent.
SupplierRecord technical_aids_supplier(const std::string& id,
                                       const std::string& kind = "legal_entity");

// A ГБД ЮЛ exchange about `supplier_id` as a verify logs it; with a reply, HTTP 200, the reply and
// its SHA-256. Outcome, cause, times and signature are the test's.
MessageLogEntry gbd_ul_exchange(const std::string& message_id, const std::string& supplier_id,
                                const std::optional<std::string>& reply);

// A fixture with a fresh schema, a connection into it and a migrated Store.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void add_supplier(const std::string& id, const std::string& kind = "legal_entity") {
    store_->upsert_supplier(technical_aids_supplier(id, kind));
  }

  std::unique_ptr<FreshSchema> schema_;
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<Store> store_;
};

// Runs one query in its own transaction and returns the first field of the first row as text.
std::string query_value(pqxx::connection& connection, const std::string& sql);

}  // namespace tekser::store::test

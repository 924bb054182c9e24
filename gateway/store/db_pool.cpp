#include "gateway/store/db_pool.hpp"

namespace tekser::store {
namespace {
// One connection per worker thread: libpqxx connections are not thread-safe, and a worker runs
// one job at a time. A thread belongs to one pool, so each pool's workers have their own.
thread_local std::unique_ptr<pqxx::connection> tls_connection;
}  // namespace

DbPool::DbPool(std::string conninfo, std::size_t threads, DbPoolOptions options)
    : conninfo_(std::move(conninfo)), threads_(threads), options_(options), pool_(threads) {}

DbPool::~DbPool() {
  stop();
}

// Lets queued work finish (a verification being written is not cut in half), then joins.
void DbPool::stop() {
  pool_.join();
}

pqxx::connection& DbPool::connection() {
  if (!tls_connection || !tls_connection->is_open()) {
    auto fresh = std::make_unique<pqxx::connection>(conninfo_);
    if (options_.statement_timeout.count() > 0) {
      pqxx::nontransaction txn(*fresh, "tekser_statement_timeout");
      txn.exec("SET statement_timeout = " + std::to_string(options_.statement_timeout.count()));
    }
    tls_connection = std::move(fresh);
  }
  return *tls_connection;
}

void DbPool::drop_broken_connection() {
  if (tls_connection && !tls_connection->is_open()) tls_connection.reset();
}

std::string DbPool::wait_timeout_message() const {
  return "database: no connection free within " + std::to_string(options_.wait_timeout.count()) +
         " ms (all " + std::to_string(threads_) + " busy)";
}

std::string DbPool::timeout_message(const pqxx::sql_error& e) const {
  return "database: a statement ran past the statement timeout (" +
         std::to_string(options_.statement_timeout.count()) + " ms): " + e.what();
}

}  // namespace tekser::store

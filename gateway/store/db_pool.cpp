#include "gateway/store/db_pool.hpp"

namespace tekser::store {
namespace {
// One connection per worker thread: libpqxx connections are not thread-safe, and a worker runs
// one job at a time.
thread_local std::unique_ptr<pqxx::connection> tls_connection;
}  // namespace

DbPool::DbPool(std::string conninfo, std::size_t threads)
    : conninfo_(std::move(conninfo)), pool_(threads) {}

DbPool::~DbPool() {
  stop();
}

// Lets queued work finish (a verification being written is not cut in half), then joins.
void DbPool::stop() {
  pool_.join();
}

pqxx::connection& DbPool::connection() {
  if (!tls_connection || !tls_connection->is_open())
    tls_connection = std::make_unique<pqxx::connection>(conninfo_);
  return *tls_connection;
}

void DbPool::drop_broken_connection() {
  if (tls_connection && !tls_connection->is_open()) tls_connection.reset();
}

}  // namespace tekser::store

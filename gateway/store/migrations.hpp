// The store's schema migrations, embedded at build time from gateway/store/migrations/*.sql
// (embed_migrations.cmake). Internal to the store: Store::migrate() applies them.
#pragma once

#include <span>
#include <string_view>

namespace tekser::store {

struct Migration {
  int version;            // from the file name: 0001_init.sql -> 1
  std::string_view name;  // "init"
  std::string_view sql;   // the whole file, possibly several statements
};

std::span<const Migration> embedded_migrations();

}  // namespace tekser::store

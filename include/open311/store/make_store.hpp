#pragma once

#include "open311/config.hpp"
#include "open311/store/store.hpp"

#include <memory>

namespace open311 {

/// Opens the store the configuration names, applying pending migrations: PostgreSQL when
/// `db_path` is a postgresql:// URI, else the SQLite file `db_path` (created when missing).
/// Throws StoreError when it cannot; its message never holds the URI's password.
std::unique_ptr<Store> make_store(const Config& config);

}  // namespace open311

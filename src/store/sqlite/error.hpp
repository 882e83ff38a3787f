#pragma once

#include "open311/store/store_error.hpp"

#include <sqlite3.h>

#include <string_view>

namespace open311::store {

/// The one place SQLite's result codes become StoreErrc values (by primary code, so that every
/// extended code such as SQLITE_BUSY_SNAPSHOT follows its family).
StoreErrc store_errc(int sqlite_rc);

/// Throws StoreError with SQLite's message for `rc` unless it is OK/ROW/DONE.
void check(sqlite3* db, int rc, std::string_view what);

}  // namespace open311::store

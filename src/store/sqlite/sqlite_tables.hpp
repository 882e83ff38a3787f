#pragma once

#include "store/copy/tables.hpp"

#include <memory>
#include <string>

namespace open311::store {

/// The tables of an existing, migrated SQLite file, as one end of a copy.
std::unique_ptr<copy::Tables> open_sqlite_tables(const std::string& path);

}  // namespace open311::store

#pragma once

#include "store/copy/tables.hpp"

#include <memory>
#include <string>

namespace open311::store::pg {

/// The tables of an existing, migrated PostgreSQL schema, as one end of a copy.
std::unique_ptr<copy::Tables> open_postgres_tables(const std::string& url);

}  // namespace open311::store::pg

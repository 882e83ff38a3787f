#pragma once

#include "open311/config.hpp"
#include "open311/store/store.hpp"

#include <memory>

namespace open311 {

/// Opens the store the configuration names (today the SQLite file `db_path`, created when
/// missing), applying pending migrations. Throws StoreError when it cannot.
std::unique_ptr<Store> make_store(const Config& config);

}  // namespace open311

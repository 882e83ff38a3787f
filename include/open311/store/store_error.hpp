#pragma once

#include <string>
#include <system_error>
#include <type_traits>

namespace open311 {

/// What went wrong in a store, in terms a caller can act on; every backend maps its own codes
/// to these (SQLite's in store/sqlite/database.cpp), so callers never see a database's codes.
enum class StoreErrc {
    /// Another writer held the data (busy, locked, a serialization failure): nothing was
    /// written, and the same call may succeed when retried.
    conflict = 1,
    /// A uniqueness, foreign key or check rule refused the write: retrying cannot help.
    constraint,
    /// The database cannot be reached or used: it cannot be opened, the connection was lost,
    /// an I/O error, a full disk, a read-only file.
    unavailable,
    /// The database's content is damaged or is not a database.
    corrupt,
    /// The database was written by a newer version of this program (its schema is unknown).
    incompatible,
    /// A cursor or lease token that this store did not hand out (a caller's bug, or a client
    /// that made one up).
    invalid_token,
    /// Anything else: a bug (a statement that does not prepare), or a store that is closing.
    internal,
};

/// The category of StoreErrc values ("open311.store").
const std::error_category& store_category() noexcept;

inline std::error_code make_error_code(StoreErrc e) noexcept {
    return {static_cast<int>(e), store_category()};
}

}  // namespace open311

template <>
struct std::is_error_code_enum<open311::StoreErrc> : std::true_type {};

namespace open311 {

/// Raised by a store for real faults; never shown to clients. `code()` compares equal to a
/// StoreErrc (`e.code() == StoreErrc::conflict`).
class StoreError : public std::system_error {
public:
    /// Counts itself in the process's metrics (open311_store_errors_total, by kind).
    StoreError(StoreErrc code, const std::string& what);
    /// True when the same call may succeed if made again.
    bool retryable() const { return code() == StoreErrc::conflict; }
};

}  // namespace open311

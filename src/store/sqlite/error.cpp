#include "store/sqlite/error.hpp"

#include <string>

namespace open311::store {

StoreErrc store_errc(int sqlite_rc) {
    switch (sqlite_rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return StoreErrc::conflict;
        case SQLITE_CONSTRAINT:
            return StoreErrc::constraint;
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
        case SQLITE_PROTOCOL:
        case SQLITE_NOLFS:
            return StoreErrc::unavailable;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return StoreErrc::corrupt;
        default:
            return StoreErrc::internal;
    }
}

void check(sqlite3* db, int rc, std::string_view what) {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) {
        return;
    }
    std::string message = std::string(what) + ": " + sqlite3_errstr(rc);
    if (db != nullptr) {
        message += " (" + std::string(sqlite3_errmsg(db)) + ")";
    }
    throw StoreError(store_errc(rc), message);
}

}  // namespace open311::store

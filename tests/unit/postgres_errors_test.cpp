// PostgreSQL's SQLSTATEs in the terms a caller acts on (StoreErrc).
#include "store/postgres/pq.hpp"

#include <gtest/gtest.h>

namespace open311::store::pg {
namespace {

TEST(PostgresErrors, SqlStatesMapToStoreErrc) {
    EXPECT_EQ(store_errc("40001"), StoreErrc::conflict);     // serialization failure
    EXPECT_EQ(store_errc("40P01"), StoreErrc::conflict);     // deadlock detected
    EXPECT_EQ(store_errc("55P03"), StoreErrc::conflict);     // lock not available
    EXPECT_EQ(store_errc("23505"), StoreErrc::constraint);   // unique violation
    EXPECT_EQ(store_errc("23503"), StoreErrc::constraint);   // foreign key violation
    EXPECT_EQ(store_errc("22021"), StoreErrc::constraint);   // not UTF-8
    EXPECT_EQ(store_errc("08006"), StoreErrc::unavailable);  // connection failure
    EXPECT_EQ(store_errc("57P01"), StoreErrc::unavailable);  // admin shutdown
    EXPECT_EQ(store_errc("53300"), StoreErrc::unavailable);  // too many connections
    EXPECT_EQ(store_errc("3D000"), StoreErrc::unavailable);  // no such database
    EXPECT_EQ(store_errc("28P01"), StoreErrc::unavailable);  // wrong password
    EXPECT_EQ(store_errc("XX001"), StoreErrc::corrupt);      // data corrupted
    EXPECT_EQ(store_errc("42601"), StoreErrc::internal);     // syntax error: a bug
    EXPECT_TRUE(StoreError(store_errc("40P01"), "x").retryable());
}

}  // namespace
}  // namespace open311::store::pg

# Included by CTest after the store tests are discovered: labels the PostgreSQL half of the
# contract `store` and `postgres` (gtest_discover_tests passes one label only).
if(open311_store_postgres_tests)
    set_tests_properties(${open311_store_postgres_tests} PROPERTIES LABELS "store;postgres")
endif()

# Included by CTest after the tests are discovered: labels the PostgreSQL tests `postgres`
# beside their kind (gtest_discover_tests passes one label only), so that `ctest -L postgres`
# selects them and `ctest -LE postgres` leaves them out.
if(open311_store_postgres_tests)
    set_tests_properties(${open311_store_postgres_tests} PROPERTIES LABELS "store;postgres")
endif()
if(open311_integration_postgres_tests)
    set_tests_properties(${open311_integration_postgres_tests}
                         PROPERTIES LABELS "integration;postgres")
endif()
if(open311_integration_second_pass_tests)
    set_tests_properties(${open311_integration_second_pass_tests}
                         PROPERTIES LABELS "integration;postgres")
endif()

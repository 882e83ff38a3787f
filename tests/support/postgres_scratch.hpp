#pragma once

// Scratch space in the throw-away PostgreSQL cluster of scripts/with-postgres.sh, which names
// it in OPEN311D_TEST_POSTGRES_URL. Without that variable these throw, failing the test: the
// PostgreSQL tests are left out only explicitly (`ctest -LE postgres`).
#include "store/postgres/pq.hpp"

#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

namespace open311::test {

/// The cluster's URI; throws when none is given.
inline const std::string& postgres_server_url() {
    static const std::string url = [] {
        const char* env = std::getenv("OPEN311D_TEST_POSTGRES_URL");
        return std::string(env == nullptr ? "" : env);
    }();
    if (url.empty()) {
        throw std::runtime_error(
            "OPEN311D_TEST_POSTGRES_URL is not set: run the tests through "
            "scripts/with-postgres.sh (or leave PostgreSQL out with `ctest -LE postgres`)");
    }
    return url;
}

/// `url` with one more connection parameter.
inline std::string with_parameter(const std::string& url, const std::string& parameter) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

/// A name no other test uses: `prefix` and 12 random hex digits.
inline std::string fresh_name(const std::string& prefix) {
    std::random_device random;
    std::string name = prefix;
    for (int i = 0; i < 12; ++i) {
        name += "0123456789abcdef"[random() % 16];
    }
    return name;
}

/// A schema of its own, dropped with everything in it at the end; its URI reaches it through
/// the search_path, and names it as the connections' application_name.
class PostgresSchema final {
public:
    PostgresSchema() : name_(fresh_name("open311_test_")) {
        store::pg::Connection(postgres_server_url()).exec("CREATE SCHEMA " + name_);
    }
    ~PostgresSchema() {
        try {
            store::pg::Connection(postgres_server_url()).exec("DROP SCHEMA " + name_ + " CASCADE");
        } catch (const std::exception&) {
            // The cluster is thrown away after the run anyway.
        }
    }
    PostgresSchema(const PostgresSchema&) = delete;
    PostgresSchema& operator=(const PostgresSchema&) = delete;

    const std::string& name() const { return name_; }
    std::string url() const {
        return with_parameter(postgres_server_url(),
                              "options=-c%20search_path%3D" + name_ + "&application_name=" + name_);
    }

private:
    std::string name_;
};

/// A database of its own (for what acts on a whole database), dropped at the end.
class PostgresDatabase final {
public:
    PostgresDatabase() : name_(fresh_name("open311_test_")) {
        store::pg::Connection(postgres_server_url()).exec("CREATE DATABASE " + name_);
    }
    ~PostgresDatabase() {
        try {
            store::pg::Connection(postgres_server_url())
                .exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (const std::exception&) {
            // The cluster is thrown away after the run anyway.
        }
    }
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;

    const std::string& name() const { return name_; }
    std::string url() const { return with_parameter(postgres_server_url(), "dbname=" + name_); }
    /// Runs `sql` on the cluster's own database (ALTER DATABASE, pg_terminate_backend, …).
    static void admin(const std::string& sql) {
        store::pg::Connection(postgres_server_url()).exec(sql);
    }

private:
    std::string name_;
};

}  // namespace open311::test

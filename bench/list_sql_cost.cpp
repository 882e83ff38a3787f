// What SQLite alone costs for the varied list scenario: each of the statements an answer runs
// (the COUNT of X-Total-Count, then the 200-result page), timed apart on a seeded database,
// with the server's own public columns and the same system libsqlite3. No HTTP, no JSON.
//
//   g++ -O2 -std=c++20 -o list_sql_cost bench/list_sql_cost.cpp -lsqlite3
//   ./list_sql_cost DB PATHS_FILE    # PATHS_FILE: one varied list path a line (README.md)
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

struct Query {
    std::string where;
    std::vector<std::string> texts;
    long from = 0;
    long to = 0;
    int offset = 0;
};

std::string param(const std::string& query, const std::string& name) {
    auto at = query.find(name + "=");
    if (at == std::string::npos) {
        return "";
    }
    at += name.size() + 1;
    return query.substr(at, query.find('&', at) - at);
}

long seconds(const std::string& w3c) {
    std::tm t{};
    strptime(w3c.c_str(), "%Y-%m-%dT%H:%M:%SZ", &t);
    return timegm(&t);
}

/// `column IN (?, …)` for a comma list, its values appended to `q.texts`.
void add_in(Query& q, const std::string& column, const std::string& list) {
    q.where += " AND " + column + " IN (";
    std::size_t start = 0;
    for (bool first = true;; first = false) {
        const auto comma = list.find(',', start);
        q.where += first ? "?" : ", ?";
        q.texts.push_back(list.substr(start, comma - start));
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    q.where += ")";
}

Query parse(const std::string& path) {
    const auto query = path.substr(path.find('?') + 1);
    Query q;
    q.where = " WHERE r.state = 'published'";
    add_in(q, "r.service_code", param(query, "service_code"));
    if (!param(query, "status").empty()) {
        add_in(q, "r.status", param(query, "status"));
    }
    q.where += " AND r.requested_at >= ? AND r.requested_at <= ?";
    q.from = seconds(param(query, "start_date"));
    q.to = seconds(param(query, "end_date"));
    q.offset = (std::atoi(param(query, "page").c_str()) - 1) * 200;
    return q;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s DB PATHS_FILE\n", argv[0]);
        return 2;
    }
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "cannot open %s\n", argv[1]);
        return 1;
    }
    sqlite3_exec(db, "PRAGMA mmap_size=2147418112; BEGIN", nullptr, nullptr, nullptr);
    // The public columns of src/store/sqlite/request_query.hpp, the media subquery last.
    const std::string columns =
        "r.seq, r.id, r.service_code, r.state, r.status, r.detailed_status, r.status_notes, "
        "r.title, r.description, r.agency_responsible, r.service_notice, r.requested_at, "
        "r.updated_at, r.expected_at, r.address, r.address_id, r.zipcode, r.lat, r.long, "
        "r.service_object_type, r.service_object_id, r.media_urls, NULL, r.can_be_published, "
        "r.reject_reason, r.api_key_name, r.token, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        "r.version";
    const std::string media =
        ", (SELECT json_group_array(json_array(m.name, m.content_type, m.size)) FROM (SELECT "
        "name, content_type, size FROM request_media WHERE request_seq = r.seq ORDER BY "
        "position) m)";
    const std::string order = " ORDER BY r.requested_at DESC, r.seq DESC LIMIT 200 OFFSET ?";
    const std::vector<std::pair<std::string, std::string>> statements = {
        {"COUNT(*) for X-Total-Count", "SELECT COUNT(*) FROM requests r%W"},
        {"the page's seqs (index only)", "SELECT r.seq FROM requests r%W" + order},
        {"the page's rows, no media", "SELECT " + columns + " FROM requests r%W" + order},
        {"the page's rows, with media", "SELECT " + columns + media + " FROM requests r%W" + order},
    };
    std::vector<Query> queries;
    std::ifstream paths(argv[2]);
    for (std::string line; std::getline(paths, line) && queries.size() < 500;) {
        queries.push_back(parse(line));
    }
    for (int round = 0; round < 2; ++round) {  // the first round warms the page cache
        for (const auto& [name, sql_template] : statements) {
            std::map<std::string, sqlite3_stmt*> prepared;
            long rows = 0;
            const auto started = std::chrono::steady_clock::now();
            for (const auto& q : queries) {
                std::string sql = sql_template;
                sql.replace(sql.find("%W"), 2, q.where);
                auto& s = prepared[sql];
                if (s == nullptr) {
                    sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
                }
                int i = 1;
                for (const auto& t : q.texts) {
                    sqlite3_bind_text(s, i++, t.c_str(), -1, SQLITE_STATIC);
                }
                sqlite3_bind_int64(s, i++, q.from);
                sqlite3_bind_int64(s, i++, q.to);
                if (sql.find("OFFSET") != std::string::npos) {
                    sqlite3_bind_int(s, i, q.offset);
                }
                while (sqlite3_step(s) == SQLITE_ROW) {
                    ++rows;
                    for (int c = 0; c < sqlite3_column_count(s); ++c) {
                        sqlite3_column_text(s, c);  // as the server reads them
                    }
                }
                sqlite3_reset(s);
            }
            const double us = std::chrono::duration<double, std::micro>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
            if (round == 1) {
                std::printf("%-32s %8.1f µs/answer %6.1f rows/answer\n",
                            name.c_str(),
                            us / static_cast<double>(queries.size()),
                            static_cast<double>(rows) / static_cast<double>(queries.size()));
            }
            for (auto& entry : prepared) {
                sqlite3_finalize(entry.second);
            }
        }
    }
    sqlite3_close(db);
}

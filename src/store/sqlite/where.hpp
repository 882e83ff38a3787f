#pragma once

#include "store/sqlite/database.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace open311::store {

/// A WHERE clause built from whitelisted SQL fragments and the values its `?` placeholders
/// take, in order: no text from a client ever becomes SQL.
struct Where {
    std::string sql;
    std::vector<std::variant<std::string, std::int64_t, double>> args;

    /// ANDs `condition` to the clause.
    void add(const std::string& condition) {
        sql += (sql.empty() ? " WHERE " : " AND ") + condition;
    }
    /// `column IN (?, …)` over `values` (the caller skips an empty list).
    template <typename T>
    void add_in(const std::string& column, const std::vector<T>& values) {
        std::string list;
        for (const auto& v : values) {
            list += list.empty() ? "?" : ", ?";
            args.emplace_back(std::string(to_text(v)));
        }
        add(column + " IN (" + list + ")");
    }
    /// Binds the values from placeholder `first` on; returns the next placeholder's index.
    int bind_all(Statement& s, int first = 1) const {
        int i = first;
        for (const auto& a : args) {
            std::visit([&s, &i](const auto& value) { s.bind(i++, value); }, a);
        }
        return i;
    }

private:
    static const std::string& to_text(const std::string& s) { return s; }
    template <typename Enum>
    static const char* to_text(Enum e) {
        return to_string(e);
    }
};

}  // namespace open311::store

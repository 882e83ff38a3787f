#pragma once

// SQL pieces both ends of a copy build from the table list.
#include "store/copy/tables.hpp"

#include <string>

namespace open311::store::copy {

/// `"a", "b", "c"`: the table's columns, quoted.
inline std::string column_list(const Table& table) {
    std::string out;
    for (const auto& column : table.columns) {
        out += (out.empty() ? "\"" : ", \"") + std::string(column.name) + "\"";
    }
    return out;
}

/// The position of `name` among the table's columns.
inline std::size_t column_index(const Table& table, std::string_view name) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (name == table.columns[i].name) {
            return i;
        }
    }
    return table.columns.size();
}

}  // namespace open311::store::copy

// open311d copy --from A --to B: moves a whole database between SQLite and PostgreSQL (or
// between two of either), and says how many rows of each table it copied.
#include "cli/commands.hpp"
#include "store/backends.hpp"

#include "open311/store/copy_database.hpp"

#include <iostream>

namespace open311::cli {

int run_copy(const std::string& from, const std::string& to, bool replace) {
    setup_logging("warn");
    try {
        const auto report = copy_database(from, to, CopyOptions{replace});
        std::int64_t total = 0;
        for (const auto& table : report.tables) {
            std::cout << table.name << ": " << table.rows << "\n";
            total += table.rows;
        }
        std::cout << "copied " << total << " rows from " << store::redacted_database(from) << " to "
                  << store::redacted_database(to)
                  << "; media files stay where they are (media.dir)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "open311d: copy: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace open311::cli

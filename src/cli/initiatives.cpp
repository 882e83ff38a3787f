// `open311d initiatives import FILE.json`: loads or updates initiatives through the same
// change function as the admin API, so every change gets its audit line (actor "cli").
#include "cli/commands.hpp"
#include "cli/with_store.hpp"
#include "initiatives/changes.hpp"
#include "initiatives/import_format.hpp"

#include "open311/store/make_store.hpp"

#include <iostream>
#include <map>
#include <set>

namespace open311::cli {

int run_initiatives_import(const CommonOptions& options, const std::string& file) {
    const auto text = read_input_file(file);
    if (!text) {
        return 1;
    }
    auto config = load(options);
    if (!config) {
        return 2;
    }
    try {
        auto store = make_store(*config);
        std::set<int> known;
        for (const auto& m : store->list_municipalities()) {
            known.insert(m.code);
        }
        auto read = initiatives::read_import_file(*text, known);
        if (!read.errors.empty()) {
            // Nothing is written unless the whole file is valid.
            for (const auto& e : read.errors) {
                std::cerr << "open311d: " << file << ": " << e << "\n";
            }
            return 1;
        }
        std::map<initiatives::Saved, int> counts;
        for (const auto& i : read.initiatives) {
            auto saved = initiatives::save_initiative(*store, i, "cli");
            if (!saved.ok()) {
                std::cerr << "open311d: initiative " << i.id << ": "
                          << saved.errors.front().description << "\n";
                return 1;
            }
            ++counts[*saved.value];
        }
        std::cout << "imported " << read.initiatives.size() << " initiatives from " << file << " ("
                  << counts[initiatives::Saved::created] << " created, "
                  << counts[initiatives::Saved::replaced] << " replaced, "
                  << counts[initiatives::Saved::unchanged] << " unchanged)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "open311d: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace open311::cli

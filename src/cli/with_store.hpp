#pragma once
// What the subcommands that work on a database share: opening it from the configuration, and
// reading an input file.
#include "cli/commands.hpp"

#include "open311/store/make_store.hpp"

#include <iostream>
#include <optional>
#include <string>

namespace open311::cli {

/// Loads the configuration, opens the store and runs `fn(store, config)`; exit code 2 for a
/// configuration error, 1 (with the message on stderr) when the store fails.
template <typename Fn>
int with_store(const CommonOptions& options, Fn fn) {
    auto config = load(options);
    if (!config) {
        return 2;
    }
    try {
        auto store = make_store(*config);
        return fn(*store, *config);
    } catch (const std::exception& e) {
        std::cerr << "open311d: " << e.what() << "\n";
        return 1;
    }
}

/// The whole content of `file`; nullopt (with the message on stderr) when it cannot be read.
std::optional<std::string> read_input_file(const std::string& file);

}  // namespace open311::cli

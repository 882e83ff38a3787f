#pragma once

#include <cstddef>

namespace open311::http {

/// Lets the process hold `max_connections` sockets plus its files: the soft limit of open
/// files (often 1024) is raised towards the hard one, with a warning when that is too low.
void raise_open_files_limit(std::size_t max_connections);

}  // namespace open311::http

#include "http/os_limits.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sys/resource.h>

namespace open311::http {

void raise_open_files_limit(std::size_t max_connections) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    // Room beside the sockets for the files the server opens itself (database, media, spool).
    const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        const rlim_t before = limit.rlim_cur;
        limit.rlim_cur =
            limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
        setrlimit(RLIMIT_NOFILE, &limit);
        if (limit.rlim_cur < wanted) {
            spdlog::warn(
                "open files limit {} (hard limit) is below server.max_connections + 256; "
                "connections beyond it fail to open",
                limit.rlim_cur);
        } else if (before != limit.rlim_cur) {
            spdlog::debug("open files limit raised from {} to {}", before, limit.rlim_cur);
        }
    }
}

}  // namespace open311::http

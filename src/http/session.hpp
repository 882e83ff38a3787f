#pragma once

#include "http/net.hpp"

namespace open311::http {

struct SharedState;

/// Serves an accepted connection until it closes: HTTPS when `tls` is given (the handshake
/// first), plain HTTP otherwise. The session keeps itself alive and registers in `shared` for
/// the graceful stop. The listener calls it on its own context; the session then runs on the
/// context the socket belongs to. `operations`: accepted on metrics.listen.
void run_session(SharedState& shared,
                 tcp::socket&& socket,
                 ssl::context* tls,
                 bool operations = false);

}  // namespace open311::http

#include "store/postgres/change_listener.hpp"

#include "store/postgres/pq.hpp"

#include <charconv>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace open311::store::pg {
namespace {

constexpr int kReconnectMillis = 1000;
/// How long the listener waits for a notification before it checks that its connection is
/// still there (a query on a vanished peer fails once the keepalives give up).
constexpr int kCheckMillis = 30'000;

unsigned parse_concerns(const char* payload) {
    unsigned out = 0;
    const std::string_view text(payload);
    std::from_chars(text.data(), text.data() + text.size(), out);
    return out;
}

}  // namespace

ChangeListener::ChangeListener(std::string conninfo,
                               std::string channel,
                               std::function<bool(int)> own,
                               std::function<void(unsigned)> heard)
    : conninfo_(std::move(conninfo)),
      channel_(std::move(channel)),
      own_(std::move(own)),
      heard_(std::move(heard)) {
    stop_event_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop_event_ < 0) {
        throw StoreError(StoreErrc::internal, "cannot create the listener's stop event");
    }
    try {
        connect();
    } catch (...) {
        close(stop_event_);
        throw;
    }
    thread_ = std::thread([this] { run(); });
}

ChangeListener::~ChangeListener() {
    stopping_ = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = write(stop_event_, &one, sizeof one);
    if (thread_.joinable()) {
        thread_.join();
    }
    close(stop_event_);
}

void ChangeListener::connect() {
    auto c = std::make_unique<Connection>(conninfo_);
    c->exec("LISTEN \"" + channel_ + "\"");
    conn_ = std::move(c);
    connected_ = true;
}

bool ChangeListener::wait(int socket, int millis) {
    pollfd fds[2] = {{stop_event_, POLLIN, 0}, {socket, POLLIN, 0}};
    return poll(fds, socket < 0 ? 1 : 2, millis) > 0;
}

void ChangeListener::run() {
    while (!stopping_) {
        if (!conn_) {
            wait(-1, kReconnectMillis);
            if (stopping_) {
                break;
            }
            try {
                connect();
                heard_(kEverything);  // whatever happened meanwhile: caches start over
            } catch (const StoreError&) {
                continue;  // the database is still away; the next try is in a second
            }
        }
        const bool readable = wait(PQsocket(conn_->handle()), kCheckMillis);
        if (stopping_) {
            break;
        }
        if (!readable) {
            try {
                conn_->exec("SELECT 1");
            } catch (const StoreError&) {
                connected_ = false;
                conn_.reset();
                continue;
            }
        }
        if (PQconsumeInput(conn_->handle()) == 0 || !conn_->healthy()) {
            connected_ = false;
            conn_.reset();
            continue;
        }
        while (PGnotify* n = PQnotifies(conn_->handle())) {
            const int pid = n->be_pid;
            const unsigned concerns = parse_concerns(n->extra);
            PQfreemem(n);
            if (!own_(pid)) {
                heard_(concerns);
            }
        }
    }
}

}  // namespace open311::store::pg

#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace open311::store::pg {

class Connection;

/// Hears the commits of other servers on the same database: a dedicated connection LISTENs on
/// the store's channel, and every write NOTIFYs it in its transaction (delivered on commit).
/// Runs on a thread of its own; a lost connection is reopened, once a second at most.
class ChangeListener final {
public:
    /// `own(pid)` tells this process's connections apart (their notifications are not news);
    /// `heard(concerns)` is called for every other commit, and with every concern after a
    /// reconnect (what happened while disconnected is unknown). Connects before it returns:
    /// StoreError (unavailable) when it cannot.
    ChangeListener(std::string conninfo,
                   std::string channel,
                   std::function<bool(int pid)> own,
                   std::function<void(unsigned concerns)> heard);
    ~ChangeListener();
    ChangeListener(const ChangeListener&) = delete;
    ChangeListener& operator=(const ChangeListener&) = delete;

    /// False while the connection is down: commits elsewhere may then go unheard.
    bool connected() const { return connected_.load(); }

    /// Every concern bit, for a reconnect.
    static constexpr unsigned kEverything = ~0U;

private:
    void connect();
    void run();
    /// Waits until the socket is readable, the stop event fires, or `millis` pass; false when
    /// the time ran out.
    bool wait(int socket, int millis);

    const std::string conninfo_;
    const std::string channel_;
    const std::function<bool(int)> own_;
    const std::function<void(unsigned)> heard_;
    std::unique_ptr<Connection> conn_;
    std::atomic<bool> connected_{false};
    std::atomic<bool> stopping_{false};
    int stop_event_ = -1;  ///< an eventfd that wakes the thread to stop
    std::thread thread_;
};

}  // namespace open311::store::pg

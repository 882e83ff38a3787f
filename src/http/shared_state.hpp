#pragma once

#include "api/api.hpp"
#include "http/request_ids.hpp"
#include "telemetry/http_metrics.hpp"

#include "open311/config.hpp"
#include "open311/store/store.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_set>

namespace boost::asio {
class thread_pool;
}  // namespace boost::asio

namespace open311::http {

/// What the server needs of a session of either stream type.
class SessionBase {
public:
    SessionBase() = default;
    virtual ~SessionBase() = default;
    SessionBase(const SessionBase&) = delete;
    SessionBase& operator=(const SessionBase&) = delete;
    /// Called on stop: an idle connection closes now; a busy one after its reply.
    virtual void shut_down() = 0;
};

/// What every session shares: configuration, the API, the worker pool, the budget for request
/// bodies and the registry of open sessions that stop() drains.
struct SharedState {
    SharedState(const Config& c,
                Store& s,
                boost::asio::thread_pool& w,
                std::shared_ptr<api::Extension> extension)
        : config(c),
          api(c, s, std::move(extension)),
          metrics(api.http_metrics()),
          request_ids(c),
          workers(w),
          reads_block(s.reads_block()) {}

    /// Takes `bytes` of the body budget; false (and nothing taken) when it would go over
    /// max_inflight_body_bytes, so that many large uploads at once cannot exhaust memory.
    bool reserve_body(std::size_t bytes) {
        auto current = inflight_body_bytes.load();
        do {
            if (current + bytes > config.max_inflight_body_bytes) {
                return false;
            }
        } while (!inflight_body_bytes.compare_exchange_weak(current, current + bytes));
        return true;
    }
    void release_body(std::size_t bytes) { inflight_body_bytes -= bytes; }

    const Config& config;
    api::Api api;
    telemetry::HttpMetrics& metrics;
    RequestIds request_ids;
    boost::asio::thread_pool& workers;
    /// The store's reads wait on the network: reads go to the worker pool too.
    const bool reads_block;
    std::atomic<bool> stopping{false};
    /// Bytes of request bodies being received or handled now.
    std::atomic<std::size_t> inflight_body_bytes{0};
    std::mutex sessions_mutex;
    std::unordered_set<SessionBase*> sessions;
    std::condition_variable sessions_done;
    /// Connections open now (sessions.size() without the lock), against max_connections.
    std::atomic<std::size_t> connections{0};
};

}  // namespace open311::http

#pragma once

#include "open311/store/abuse_store.hpp"
#include "open311/store/audit_store.hpp"
#include "open311/store/case_store.hpp"
#include "open311/store/catalogue_store.hpp"
#include "open311/store/change_feed.hpp"
#include "open311/store/initiative_store.hpp"
#include "open311/store/key_store.hpp"
#include "open311/store/media_store.hpp"
#include "open311/store/outbox_store.hpp"
#include "open311/store/request_store.hpp"
#include "open311/store/staff_store.hpp"
#include "open311/store/stats_store.hpp"
#include "open311/store/store_error.hpp"

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace open311 {

/// Everything the server needs from storage: the role interfaces in one object. Code that
/// needs one role should take that role's interface. Implementations are thread-safe and carry
/// no database types, so that another backend can implement them; the contract of every
/// method is pinned by the typed tests in tests/store/, which every backend must pass.
class Store : public CatalogueStore,
              public RequestStore,
              public MediaStore,
              public CaseStore,
              public AuditStore,
              public OutboxStore,
              public KeyStore,
              public AbuseStore,
              public InitiativeStore,
              public StaffStore,
              public StatsStore,
              public ChangeFeed {
public:
    ~Store() override = default;

    /// True when a read may wait on the network (a database server): the HTTP layer then
    /// answers reads on its worker pool, keeping only answers from memory on its I/O threads.
    /// False for a local database, whose indexed reads are quicker than a hand-off.
    virtual bool reads_block() const { return false; }

    /// A request read by find_request_on: what was found, or what failed.
    using RequestFound =
        std::function<void(std::optional<ServiceRequest> request, std::exception_ptr error)>;
    /// True when find_request_on can answer on `loop` (an I/O thread's event loop, whose thread
    /// is the caller) without that thread waiting on the database. A store whose reads block
    /// says so when it has a connection driven by that loop ready, and its catalogue in memory
    /// (the answer names the service). False by default.
    virtual bool reads_on_loop(boost::asio::io_context& /*loop*/) { return false; }
    /// find_request, its result given to `found` once, on the loop's thread, after this
    /// returned; call it on the loop's thread after reads_on_loop said yes. The default reads
    /// at once, on the calling thread, and calls `found` before it returns.
    virtual void find_request_on(boost::asio::io_context& /*loop*/,
                                 const std::string& id,
                                 RequestFound found) {
        std::optional<ServiceRequest> request;
        std::exception_ptr error;
        try {
            request = find_request(id);
        } catch (...) {
            error = std::current_exception();
        }
        found(std::move(request), error);
    }

    /// RequestStore::insert_request_then for a store that commits each write on its own: both
    /// writes now, then `done`, before it returns.
    void insert_request_then(ServiceRequest request,
                             std::optional<IdempotencyRecord> answered,
                             WriteDone done) override {
        std::exception_ptr error;
        try {
            insert_request(request);
            if (answered) {
                complete_idempotency_key(*answered);
            }
        } catch (...) {
            error = std::current_exception();
        }
        done(error);
    }

    /// Names of the schema migrations applied when this store was opened (for the log).
    virtual const std::vector<std::string>& applied_migrations() const = 0;
};

}  // namespace open311

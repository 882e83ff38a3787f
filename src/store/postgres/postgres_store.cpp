// PostgresStore: connections, transactions and the change feed. The roles live in the
// postgres_*.cpp files beside this one.
#include "store/postgres/postgres_store.hpp"

#include "store/postgres/migrate.hpp"
#include "store/postgres/postgres_audit.hpp"

#include <spdlog/spdlog.h>

#include <optional>

namespace open311::store::pg {
namespace {

/// Conflicts (a deadlock, a serialization failure) a write survives before it gives up.
constexpr int kWriteAttempts = 5;

// The channel is named after the schema: notifications are per database already, and one
// database may hold several open311d schemas (one per search_path).
constexpr std::string_view kChannelSql = R"sql(
    SELECT 'open311d_' || md5(COALESCE(current_schema(), '')))sql";

/// Tells the stores of one process apart (their readers share each I/O thread's loop).
std::atomic<std::uint64_t> next_store_id{1};

}  // namespace

PostgresStore::PostgresStore(const Options& options)
    : pool_(options.url, options.pool_size), id_(next_store_id.fetch_add(1)) {
    {
        auto c = pool_.acquire();
        applied_ = pg::migrate(*c);
        channel_ = c->first(kChannelSql, pg::read_text).value_or("open311d_");
    }
    listener_ = std::make_unique<pg::ChangeListener>(
        options.url,
        channel_,
        [this](int pid) { return pool_.owns_backend(pid); },
        [this](unsigned concerns) { committed(concerns); });
    batches_ = std::make_unique<pg::BatchWriter>(
        pool_,
        [this](const pg::BatchWriter::Job& job) { write(job); },
        [this](pg::Connection& c) {
            announce(c, kData);
            committed(kData);
        });
}

PostgresStore::~PostgresStore() {
    batches_.reset();   // writes what is queued, while the pool is still there
    listener_.reset();  // before the members its callbacks use
}

void PostgresStore::write(const std::function<void(pg::Connection&)>& job, unsigned concerns) {
    for (int attempt = 1;; ++attempt) {
        auto c = pool_.acquire();
        std::optional<pg::Transaction> tx;
        try {
            tx.emplace(*c);
        } catch (const StoreError&) {
            // A connection that died while idle fails here, before anything was written: the
            // write is then tried once on a new one. Later failures are not retried, since a
            // COMMIT whose answer was lost may have happened.
            if (attempt == 1 && !c->healthy()) {
                continue;
            }
            throw;
        }
        try {
            job(*c);
            tx->commit();
            announce(*c, concerns);
            break;
        } catch (const StoreError& e) {
            if (!e.retryable() || attempt >= kWriteAttempts) {
                throw;
            }
        }
    }
    committed(concerns);
}

void PostgresStore::announce(pg::Connection& c, unsigned concerns) noexcept {
    // After the commit, in a transaction of its own that does not wait for its WAL flush. A
    // NOTIFY inside the write's own transaction holds PostgreSQL's notification lock until
    // that commit is flushed to disk, which serialised every server's commits one fsync at a
    // time (no group commit: POSTs at a fifth of SQLite's rate). Should this server die
    // between the commit and this line, the other servers' caches still catch up within their
    // one-second lifetime. The channel is hex from md5 and `concerns` a number: nothing to
    // quote.
    try {
        c.exec("BEGIN; SET LOCAL synchronous_commit = off; SELECT pg_notify('" + channel_ + "', '" +
               std::to_string(concerns) + "'); COMMIT");
    } catch (const std::exception& e) {
        // The write itself is committed: its client gets its answer.
        spdlog::warn("PostgreSQL: change notification not sent: {}", e.what());
    }
}

void PostgresStore::committed(unsigned concerns) {
    version_.fetch_add(1);
    if ((concerns & kCatalogue) != 0) {
        catalogue_check_after_ = 0;
    }
    if ((concerns & kKeys) != 0) {
        keys_by_hash_.clear();
        limits_by_name_.clear();
    }
    if ((concerns & kOutbox) != 0) {
        std::lock_guard lock(subscribers_mutex_);
        for (const auto& [id, callback] : outbox_subscribers_) {
            callback();
        }
    }
}

std::optional<std::uint64_t> PostgresStore::change_version() {
    if (!caches_trusted()) {
        return std::nullopt;  // another server's commit could go unheard
    }
    return version_.load();
}

Subscription PostgresStore::subscribe(Topic /*topic: only the outbox so far*/,
                                      std::function<void()> callback) {
    std::lock_guard lock(subscribers_mutex_);
    const std::uint64_t id = ++next_subscriber_;
    outbox_subscribers_.emplace_back(id, std::move(callback));
    return Subscription([this, id] {
        std::lock_guard cancel_lock(subscribers_mutex_);
        std::erase_if(outbox_subscribers_, [id](const auto& s) { return s.first == id; });
    });
}

bool PostgresStore::write_audited(const std::function<bool(pg::Connection&)>& change,
                                  const AuditEntry* audit,
                                  unsigned concerns) {
    bool changed = false;
    write(
        [&](pg::Connection& c) {
            changed = change(c);
            if (changed && audit != nullptr) {
                pg::insert_audit(c, *audit);
            }
        },
        concerns);
    return changed;
}

bool PostgresStore::caches_trusted() const {
    return !listener_ || listener_->connected();
}

}  // namespace open311::store::pg

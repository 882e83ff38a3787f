#include "store/postgres/loop_reader.hpp"

#include <boost/asio/post.hpp>

#include <utility>

namespace open311::store::pg {

namespace net = boost::asio;
using Descriptor = net::posix::stream_descriptor;

namespace {

/// How long a lost connection stays down before the next attempt.
constexpr std::chrono::seconds kRetryAfter{1};

std::exception_ptr unavailable(const std::string& why) {
    return std::make_exception_ptr(StoreError(StoreErrc::unavailable, why));
}

}  // namespace

net::execution_context::id LoopReaders::id;

LoopReader& LoopReaders::of(net::io_context& loop,
                            std::uint64_t store_id,
                            const std::function<std::unique_ptr<LoopReader>()>& make) {
    auto& readers = net::use_service<LoopReaders>(loop).readers_;
    auto& reader = readers[store_id];
    if (!reader) {
        reader = make();
    }
    return *reader;
}

LoopReader::LoopReader(net::io_context& loop,
                       std::string conninfo,
                       std::vector<LoopStatement> statements)
    : loop_(loop), conninfo_(std::move(conninfo)), statements_(std::move(statements)) {}

LoopReader::~LoopReader() {
    *alive_ = false;
    for (auto& s : slots_) {
        if (s.socket) {
            s.socket->release();  // libpq closes the descriptor, not Asio
        }
    }
}

bool LoopReader::ready() {
    bool any = false;
    const auto now = std::chrono::steady_clock::now();
    for (auto& s : slots_) {
        if (s.state == Slot::State::down && now >= s.retry_after) {
            connect(s);
        }
        any = any || s.state == Slot::State::idle || s.state == Slot::State::busy;
    }
    return any;
}

void LoopReader::query(const std::string& name, Params params, Done done) {
    for (auto& s : slots_) {
        if (s.state == Slot::State::idle && waiting_.empty()) {
            send(s, Waiting{name, std::move(params), std::move(done)});
            return;
        }
    }
    waiting_.push_back(Waiting{name, std::move(params), std::move(done)});
    for (const auto& s : slots_) {
        if (s.state != Slot::State::down) {
            return;  // a connection will take it
        }
    }
    // None is up (lost since ready() said yes): nothing will take it.
    auto w = std::move(waiting_.back());
    waiting_.pop_back();
    net::post(loop_, [done = std::move(w.done)] {
        done(nullptr, unavailable("no connection to PostgreSQL"));
    });
}

void LoopReader::connect(Slot& s) {
    s.conn.reset(start_connecting(conninfo_));
    if (!s.conn || PQstatus(s.conn.get()) == CONNECTION_BAD) {
        down(s, nullptr);
        return;
    }
    s.state = Slot::State::connecting;
    s.prepared = 0;
    poll_connect(s, PGRES_POLLING_WRITING);  // libpq's rule for the first step
}

void LoopReader::poll_connect(Slot& s, PostgresPollingStatusType status) {
    switch (status) {
        case PGRES_POLLING_OK:
            if (PQsetnonblocking(s.conn.get(), 1) != 0) {
                down(s, nullptr);
                return;
            }
            s.state = Slot::State::preparing;
            prepare_next(s);
            return;
        case PGRES_POLLING_READING:
        case PGRES_POLLING_WRITING: {
            // The socket can change from one step to the next (another address tried).
            watch_socket(s);
            if (!s.socket) {
                return;
            }
            const auto what =
                status == PGRES_POLLING_READING ? Descriptor::wait_read : Descriptor::wait_write;
            s.socket->async_wait(what,
                                 [this, &s, alive = std::weak_ptr<bool>(alive_)](
                                     boost::system::error_code ec) {
                                     if (ec || alive.expired() ||
                                         s.state != Slot::State::connecting) {
                                         return;
                                     }
                                     poll_connect(s, PQconnectPoll(s.conn.get()));
                                 });
            return;
        }
        default:
            down(s, nullptr);
    }
}

void LoopReader::watch_socket(Slot& s) {
    const int fd = PQsocket(s.conn.get());
    if (s.socket && s.socket->native_handle() == fd) {
        return;
    }
    if (s.socket) {
        s.socket->release();
        s.socket.reset();
    }
    if (fd < 0) {
        down(s, nullptr);
        return;
    }
    boost::system::error_code ec;
    s.socket.emplace(loop_);
    s.socket->assign(fd, ec);
    if (ec) {
        s.socket.reset();
        down(s, nullptr);
    }
}

void LoopReader::prepare_next(Slot& s) {
    if (s.prepared == statements_.size()) {
        s.state = Slot::State::idle;
        take_next(s);
        return;
    }
    const auto& statement = statements_[s.prepared];
    if (PQsendPrepare(
            s.conn.get(), statement.name.c_str(), statement.sql.c_str(), 0, nullptr) == 0) {
        down(s, nullptr);
        return;
    }
    flush_then_read(s);
}

void LoopReader::send(Slot& s, Waiting w) {
    const auto values = w.params.pointers();
    s.state = Slot::State::busy;
    s.done = std::move(w.done);
    s.result.reset();
    s.error = nullptr;
    if (PQsendQueryPrepared(s.conn.get(),
                            w.name.c_str(),
                            static_cast<int>(values.size()),
                            values.data(),
                            nullptr,
                            nullptr,
                            0) == 0) {
        down(s, std::make_exception_ptr(failure(s.conn.get(), nullptr, "PostgreSQL")));
        return;
    }
    flush_then_read(s);
}

void LoopReader::flush_then_read(Slot& s) {
    watch_socket(s);
    if (!s.socket) {
        return;
    }
    const int flushed = PQflush(s.conn.get());
    if (flushed < 0) {
        down(s, std::make_exception_ptr(failure(s.conn.get(), nullptr, "PostgreSQL")));
    } else if (flushed == 1) {
        await(s, Descriptor::wait_write, &LoopReader::flush_then_read);  // more to send
    } else {
        await(s, Descriptor::wait_read, &LoopReader::on_readable);
    }
}

void LoopReader::await(Slot& s, Descriptor::wait_type what, void (LoopReader::*then)(Slot&)) {
    const auto state = s.state;
    s.socket->async_wait(
        what,
        [this, &s, then, state, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
            // A wait cancelled by down(), or outlived by its connection, does nothing.
            if (ec || alive.expired() || s.state != state) {
                return;
            }
            (this->*then)(s);
        });
}

void LoopReader::on_readable(Slot& s) {
    PGconn* conn = s.conn.get();
    if (PQconsumeInput(conn) == 0) {
        down(s, std::make_exception_ptr(failure(conn, nullptr, "PostgreSQL")));
        return;
    }
    while (PQisBusy(conn) == 0) {
        PGresult* raw = PQgetResult(conn);
        if (raw == nullptr) {
            finished(s);  // every result of the statement is in
            return;
        }
        const auto status = PQresultStatus(raw);
        if (s.result || s.error) {
            PQclear(raw);  // only the first result counts
        } else if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
            s.result.emplace(raw);
        } else {
            s.error = std::make_exception_ptr(failure(conn, raw, "PostgreSQL"));
            PQclear(raw);
        }
    }
    await(s, Descriptor::wait_read, &LoopReader::on_readable);
}

void LoopReader::finished(Slot& s) {
    if (s.state == Slot::State::preparing) {
        if (s.error || PQstatus(s.conn.get()) != CONNECTION_OK) {
            down(s, nullptr);
            return;
        }
        s.result.reset();
        ++s.prepared;
        prepare_next(s);
        return;
    }
    auto done = std::move(s.done);
    auto result = std::move(s.result);
    auto error = s.error;
    if (!error && !result) {
        error = unavailable("PostgreSQL gave no result");
    }
    s.done = nullptr;
    s.result.reset();
    s.error = nullptr;
    if (PQstatus(s.conn.get()) != CONNECTION_OK) {
        down(s, nullptr);
    } else {
        s.state = Slot::State::idle;
        take_next(s);
    }
    done(error ? nullptr : &*result, error);
}

void LoopReader::take_next(Slot& s) {
    if (!waiting_.empty() && s.state == Slot::State::idle) {
        auto w = std::move(waiting_.front());
        waiting_.pop_front();
        send(s, std::move(w));
    }
}

void LoopReader::down(Slot& s, std::exception_ptr why) {
    auto done = std::move(s.done);
    s.done = nullptr;
    s.result.reset();
    s.error = nullptr;
    if (s.socket) {
        s.socket->release();  // cancels its wait; libpq closes the descriptor below
        s.socket.reset();
    }
    s.conn.reset();
    s.state = Slot::State::down;
    s.retry_after = std::chrono::steady_clock::now() + kRetryAfter;
    if (done) {
        net::post(loop_,
                  [done = std::move(done),
                   why = why ? why : unavailable("lost the connection to PostgreSQL")] {
                      done(nullptr, why);
                  });
    }
    // Queries waiting for a connection fail too when none is left to take them.
    bool any_up = false;
    for (const auto& other : slots_) {
        any_up = any_up || other.state != Slot::State::down;
    }
    while (!any_up && !waiting_.empty()) {
        auto w = std::move(waiting_.front());
        waiting_.pop_front();
        net::post(loop_, [done = std::move(w.done)] {
            done(nullptr, unavailable("no connection to PostgreSQL"));
        });
    }
}

}  // namespace open311::store::pg

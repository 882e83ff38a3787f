#include "store/postgres/loop_reader.hpp"

#include <boost/asio/post.hpp>

#include <utility>

namespace open311::store::pg {

namespace net = boost::asio;
using Descriptor = net::posix::stream_descriptor;

namespace {

/// How long a lost connection stays down before the next attempt.
constexpr std::chrono::seconds kRetryAfter{1};
/// How long connecting may take (libpq's connect_timeout does not apply to PQconnectPoll).
constexpr std::chrono::seconds kConnectTimeout{10};

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
    const auto now = std::chrono::steady_clock::now();
    for (auto& s : slots_) {
        if (s.state == Slot::State::connecting && now >= s.connect_deadline) {
            down(s, nullptr);
        }
        if (s.state == Slot::State::down && now >= s.retry_after) {
            connect(s);
        }
    }
    return least_busy() != nullptr;
}

LoopReader::Slot* LoopReader::least_busy() {
    Slot* best = nullptr;
    for (auto& s : slots_) {
        if (s.state == Slot::State::ready &&
            (best == nullptr || s.in_flight.size() < best->in_flight.size())) {
            best = &s;
        }
    }
    return best;
}

void LoopReader::query(const std::string& name, Params params, Done done) {
    if (Slot* s = least_busy()) {
        send(*s, Waiting{name, std::move(params), std::move(done)});
        return;
    }
    for (const auto& s : slots_) {
        if (s.state == Slot::State::connecting) {
            waiting_.push_back(Waiting{name, std::move(params), std::move(done)});
            return;  // sent once that connection is up
        }
    }
    // None is up (lost since ready() said yes): nothing would take it.
    net::post(loop_, [done = std::move(done)] {
        done(nullptr, unavailable("no connection to PostgreSQL"));
    });
}

void LoopReader::connect(Slot& s) {
    ++s.generation;
    s.conn.reset(start_connecting(conninfo_));
    if (!s.conn || PQstatus(s.conn.get()) == CONNECTION_BAD) {
        down(s, nullptr);
        return;
    }
    s.state = Slot::State::connecting;
    s.connect_deadline = std::chrono::steady_clock::now() + kConnectTimeout;
    poll_connect(s, PGRES_POLLING_WRITING);  // libpq's rule for the first step
}

void LoopReader::poll_connect(Slot& s, PostgresPollingStatusType status) {
    if (status == PGRES_POLLING_OK) {
        start_pipeline(s);
        return;
    }
    // libpq may close its socket and open another between two steps (the next address, an
    // SSL fallback), which may well get the same number: watch it afresh at every step.
    if (s.socket) {
        s.socket->release();
        s.socket.reset();
    }
    if ((status != PGRES_POLLING_READING && status != PGRES_POLLING_WRITING) || !watch_socket(s)) {
        down(s, nullptr);
        return;
    }
    when(s,
         status == PGRES_POLLING_READING ? Descriptor::wait_read : Descriptor::wait_write,
         [this, &s] { poll_connect(s, PQconnectPoll(s.conn.get())); });
}

void LoopReader::when(Slot& s, Descriptor::wait_type what, std::function<void()> then) {
    s.socket->async_wait(what,
                         [this,
                          &s,
                          generation = s.generation,
                          alive = std::weak_ptr(alive_),
                          then = std::move(then)](boost::system::error_code ec) {
                             if (!alive.expired() && wait_ok(s, generation, ec)) {
                                 then();
                             }
                         });
}

bool LoopReader::wait_ok(Slot& s, std::uint64_t generation, boost::system::error_code ec) {
    if (s.generation != generation || ec == net::error::operation_aborted) {
        return false;
    }
    if (ec) {
        down(s, unavailable("PostgreSQL connection: " + ec.message()));
        return false;
    }
    return true;
}

bool LoopReader::watch_socket(Slot& s) {
    const int fd = PQsocket(s.conn.get());
    if (s.socket && s.socket->native_handle() == fd) {
        return true;
    }
    if (s.socket) {
        s.socket->release();
        s.socket.reset();
    }
    if (fd < 0) {
        return false;
    }
    boost::system::error_code ec;
    s.socket.emplace(loop_);
    s.socket->assign(fd, ec);
    if (ec) {
        s.socket.reset();
        return false;
    }
    return true;
}

void LoopReader::start_pipeline(Slot& s) {
    PGconn* conn = s.conn.get();
    if (PQsetnonblocking(conn, 1) != 0 || PQenterPipelineMode(conn) != 1) {
        down(s, nullptr);
        return;
    }
    // The statements are prepared at the head of the pipeline: queries may follow at once.
    for (const auto& statement : statements_) {
        if (PQsendPrepare(conn, statement.name.c_str(), statement.sql.c_str(), 0, nullptr) != 1 ||
            PQpipelineSync(conn) != 1) {
            down(s, nullptr);
            return;
        }
        s.in_flight.emplace_back();
    }
    s.state = Slot::State::ready;
    flush(s);
    while (s.state == Slot::State::ready && !waiting_.empty()) {
        auto w = std::move(waiting_.front());
        waiting_.pop_front();
        send(s, std::move(w));
    }
}

void LoopReader::send(Slot& s, Waiting w) {
    const auto values = w.params.pointers();
    if (PQsendQueryPrepared(s.conn.get(),
                            w.name.c_str(),
                            static_cast<int>(values.size()),
                            values.data(),
                            nullptr,
                            nullptr,
                            0) != 1 ||
        PQpipelineSync(s.conn.get()) != 1) {
        const auto why = std::make_exception_ptr(failure(s.conn.get(), nullptr, "PostgreSQL"));
        net::post(loop_, [done = std::move(w.done), why] { done(nullptr, why); });
        down(s, why);
        return;
    }
    s.in_flight.push_back(InFlight{std::move(w.done), std::nullopt, nullptr, false});
    flush(s);
}

void LoopReader::flush(Slot& s) {
    if (!watch_socket(s)) {
        down(s, unavailable("lost the connection to PostgreSQL"));
        return;
    }
    const int flushed = PQflush(s.conn.get());
    if (flushed < 0) {
        down(s, std::make_exception_ptr(failure(s.conn.get(), nullptr, "PostgreSQL")));
        return;
    }
    if (flushed == 1 && !s.writing) {  // the rest once the socket takes more
        s.writing = true;
        when(s, Descriptor::wait_write, [this, &s] {
            s.writing = false;
            flush(s);
            // Flushing may have read answers into libpq's buffer, where no socket wait would
            // see them.
            if (s.state == Slot::State::ready) {
                on_readable(s);
            }
        });
    }
    read_when_ready(s);  // also while sending: the server may need its answers read first
}

void LoopReader::read_when_ready(Slot& s) {
    // Also while idle: a connection the server closes is then noticed at once, not by the
    // queries sent on it next.
    if (s.reading || s.state != Slot::State::ready) {
        return;
    }
    s.reading = true;
    when(s, Descriptor::wait_read, [this, &s] {
        s.reading = false;
        on_readable(s);
    });
}

void LoopReader::on_readable(Slot& s) {
    PGconn* conn = s.conn.get();
    if (PQconsumeInput(conn) == 0) {
        down(s, std::make_exception_ptr(failure(conn, nullptr, "PostgreSQL")));
        return;
    }
    if (s.in_flight.empty() && PQstatus(conn) != CONNECTION_OK) {
        down(s, nullptr);  // closed by the server while idle: no query is affected
        return;
    }
    while (s.state == Slot::State::ready && !s.in_flight.empty() && PQisBusy(conn) == 0) {
        auto& head = s.in_flight.front();
        PGresult* raw = PQgetResult(conn);
        if (!head.results_in) {
            if (raw == nullptr) {
                head.results_in = true;  // every result of its statement is in
                continue;
            }
            const auto status = PQresultStatus(raw);
            if (head.result || head.error) {
                PQclear(raw);  // only the first result counts
            } else if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
                head.result.emplace(raw);
            } else {
                head.error = std::make_exception_ptr(failure(conn, raw, "PostgreSQL"));
                PQclear(raw);
            }
            continue;
        }
        if (raw == nullptr) {
            break;  // its sync point has not arrived yet
        }
        const bool sync = PQresultStatus(raw) == PGRES_PIPELINE_SYNC;
        PQclear(raw);
        if (sync) {
            answer_head(s);
        }
    }
    if (s.state != Slot::State::ready) {
        return;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        down(s, unavailable("lost the connection to PostgreSQL"));
        return;
    }
    read_when_ready(s);
}

void LoopReader::answer_head(Slot& s) {
    InFlight done = std::move(s.in_flight.front());
    s.in_flight.pop_front();
    if (!done.done) {  // a statement prepared at the head of the pipeline
        if (done.error) {
            down(s, done.error);
        }
        return;
    }
    if (!done.error && !done.result) {
        done.error = unavailable("PostgreSQL gave no result");
    }
    done.done(done.error ? nullptr : &*done.result, done.error);
}

void LoopReader::down(Slot& s, std::exception_ptr why) {
    if (!why) {
        why = unavailable("lost the connection to PostgreSQL");
    }
    auto lost = std::move(s.in_flight);
    s.in_flight.clear();
    if (s.socket) {
        s.socket->release();  // cancels its waits; libpq closes the descriptor below
        s.socket.reset();
    }
    s.conn.reset();
    ++s.generation;
    s.reading = false;
    s.writing = false;
    s.state = Slot::State::down;
    s.retry_after = std::chrono::steady_clock::now() + kRetryAfter;
    for (auto& f : lost) {
        if (f.done) {
            net::post(loop_, [done = std::move(f.done), why] { done(nullptr, why); });
        }
    }
    // Queries waiting for a connection fail too when none is coming.
    for (const auto& other : slots_) {
        if (other.state == Slot::State::connecting) {
            return;
        }
    }
    while (!waiting_.empty()) {
        net::post(loop_, [done = std::move(waiting_.front().done), why] { done(nullptr, why); });
        waiting_.pop_front();
    }
}

}  // namespace open311::store::pg

// The API front: a request's way through (at once, deferred, or on an I/O thread's loop), the
// error boundary that turns any exception into a 500 (503 for a database that is gone), and the
// headers every answer gets. Routing is in api_route.cpp.
#include "api/api.hpp"

#include "api/api_impl.hpp"
#include "api/core/http_cache.hpp"
#include "api/upload/upload_spool.hpp"
#include "telemetry/logging.hpp"
#include "telemetry/process_metrics.hpp"
#include "util/text.hpp"

#include "open311/store/store_error.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

namespace open311::api {

Api::Api(const Config& config, Store& store, std::shared_ptr<Extension> extension)
    : impl_(std::make_unique<Impl>(config, store, std::move(extension))) {}

Api::~Api() = default;

void Api::Impl::add_cors(const HttpRequest& request, HttpResponse& response) const {
    if (request.origin.empty() || config.cors_origins.empty()) {
        return;
    }
    const auto& allowed = config.cors_origins;
    const bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
    if (!any && std::find(allowed.begin(), allowed.end(), request.origin) == allowed.end()) {
        return;
    }
    response.headers.emplace_back("Access-Control-Allow-Origin", any ? "*" : request.origin);
    if (!any) {
        response.headers.emplace_back("Vary", "Origin");
    }
    response.headers.emplace_back(
        "Access-Control-Expose-Headers",
        "X-Total-Count, Link, X-Request-Id, Retry-After, Idempotent-Replayed");
    if (request.method == Method::options) {
        for (const auto& [name, value] : response.headers) {
            if (name == "Allow") {
                response.headers.emplace_back("Access-Control-Allow-Methods", value);
                break;
            }
        }
        response.headers.emplace_back("Access-Control-Allow-Headers",
                                      "Authorization, Content-Type, Accept, Idempotency-Key");
        response.headers.emplace_back("Access-Control-Max-Age", "600");
    }
}

HttpResponse Api::handle(const HttpRequest& request) const {
    if (request.method == Method::get || request.method == Method::head ||
        request.method == Method::options) {
        // A read never defers (its handlers answer at once without a Later): the I/O threads
        // take this path for every read on a local database, so it skips the waiting below.
        const auto started = std::chrono::steady_clock::now();
        const telemetry::RequestLogScope log_scope(request.request_id);
        const Impl& impl = *impl_;
        bool failed = false;
        auto response = impl.guarded(
            request,
            [&impl, &request] { return *impl.intercept_or_route(request, nullptr, nullptr); },
            failed);
        impl.complete(request, response, started);
        return response;
    }
    // The path of every other request, with this thread as the worker that finishes a deferred
    // answer: it waits for the rest to be posted, runs it, and returns its answer. Shared: a
    // rest posted after an early answer (a handler that threw after deferring) finds it alive.
    struct Wait {
        std::mutex mutex;
        std::condition_variable ready;
        std::function<void()> work;
        std::optional<HttpResponse> answer;
    };
    auto wait = std::make_shared<Wait>();
    handle(
        request,
        [wait](std::function<void()> work) {
            std::lock_guard lock(wait->mutex);
            wait->work = std::move(work);
            wait->ready.notify_one();
        },
        [wait](HttpResponse answer) {
            std::lock_guard lock(wait->mutex);
            wait->answer = std::move(answer);
            wait->ready.notify_one();
        });
    std::unique_lock lock(wait->mutex);
    while (!wait->answer) {
        wait->ready.wait(lock, [&wait] { return wait->answer || wait->work; });
        if (wait->work) {
            auto work = std::move(wait->work);
            wait->work = nullptr;
            lock.unlock();
            work();  // gives the answer
            lock.lock();
        }
    }
    return std::move(*wait->answer);
}

void Api::handle(const HttpRequest& request, Post post, Reply reply) const {
    impl_->run(request, std::move(post), std::move(reply), nullptr);
}

bool Api::answer_on_loop(const HttpRequest& request,
                         boost::asio::io_context& loop,
                         Post post,
                         Reply reply) const {
    if (impl_->extension || !impl_->shared.store.reads_on_loop(loop)) {
        return false;  // the extension sees every request on handle()'s path
    }
    return impl_->run(request, std::move(post), std::move(reply), &loop);
}

std::optional<HttpResponse> Api::Impl::intercept_or_route(const HttpRequest& request,
                                                          Later* later,
                                                          boost::asio::io_context* loop) const {
    if (extension && loop == nullptr) {
        if (auto own = extension->intercept(request)) {
            return own;
        }
    }
    return route(request, false, later, loop);
}

bool Api::Impl::run(const HttpRequest& request,
                    Post post,
                    Reply reply,
                    boost::asio::io_context* loop) const {
    const auto started = std::chrono::steady_clock::now();
    const telemetry::RequestLogScope log_scope(request.request_id);
    const Impl& impl = *this;
    Later later(std::move(post),
                std::move(reply),
                [&impl, &request, started](
                    const Later::Rest& rest, const std::string& route, int route_id) {
                    const telemetry::RequestLogScope scope(request.request_id);
                    bool failed = false;
                    auto response = impl.guarded(request, rest, failed);
                    if (!failed) {
                        response.route = route;
                        response.route_id = route_id;
                    }
                    impl.complete(request, response, started);
                    return response;
                });
    bool failed = false;
    bool routed = true;
    auto response = guarded(
        request,
        [&impl, &request, &later, loop, &routed] {
            auto r = impl.intercept_or_route(request, &later, loop);
            if (!r) {
                routed = false;  // not a route answered on the loop: nothing was started
                return HttpResponse{};
            }
            return std::move(*r);
        },
        failed);
    if (!routed && !failed) {
        return false;
    }
    if (later.deferred() && !failed) {
        return true;  // the handler answers through its Resume
    }
    complete(request, response, started);
    later.answer(std::move(response));
    return true;
}

HttpResponse Api::Impl::guarded(const HttpRequest& request,
                                const std::function<HttpResponse()>& answer,
                                bool& failed) const {
    try {
        return answer();
    } catch (const std::exception& e) {
        failed = true;
        // The boundary: details go to the log with the request id, never to the client.
        spdlog::error("request {} failed: {}", request.request_id, e.what());
        auto fmt = negotiate_accept(request.accept);
        std::string path = request.target.substr(0, request.target.find('?'));
        if (auto suffix = strip_format_suffix(path)) {
            fmt = *suffix;
        }
        // A database that cannot be reached (a PostgreSQL server restarting, a lost connection)
        // is a passing state, not a bug: 503, so that clients and proxies retry.
        HttpResponse response;
        const auto* store_error = dynamic_cast<const StoreError*>(&e);
        if (store_error != nullptr && store_error->code() == StoreErrc::unavailable) {
            response =
                shared.respond.error(fmt,
                                     {ErrorCode::service_unavailable,
                                      "the database is unavailable; retry shortly (request id " +
                                          request.request_id + ")"});
            response.headers.emplace_back("Retry-After", "5");
        } else {
            response = shared.respond.error(
                fmt,
                {ErrorCode::internal,
                 "internal server error; please report request id " + request.request_id});
        }
        response.route = "(error)";
        return response;
    }
}

void Api::Impl::complete(const HttpRequest& request,
                         HttpResponse& response,
                         std::chrono::steady_clock::time_point started) const {
    finish(request, response);
    if (extension) {
        extension->observe(request,
                           response,
                           std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::steady_clock::now() - started));
    }
}

std::optional<HttpResponse> Api::answer_from_memory(const HttpRequest& request) const {
    if (impl_->extension) {
        return std::nullopt;  // it must see every request, on the path handle() takes
    }
    std::optional<HttpResponse> response;
    try {
        response = impl_->route(request, true);
    } catch (const std::exception&) {
        return std::nullopt;  // handle() answers it, with the error boundary's log line
    }
    if (response) {
        impl_->finish(request, *response);
    }
    return response;
}

void Api::Impl::finish(const HttpRequest& request, HttpResponse& response) const {
    apply_http_cache(request, response);
    add_cors(request, response);
    add_security_headers(response);
    with_response_headers(response);
}

HttpResponse Api::transport_error(const ApiError& error,
                                  std::string_view target,
                                  std::string_view accept) const {
    std::string path(target.substr(0, target.find('?')));
    auto suffix = strip_format_suffix(path);
    auto response = impl_->shared.respond.error(suffix ? *suffix : negotiate_accept(accept), error);
    return impl_->with_response_headers(response);
}

HttpResponse Api::file_gone() const {
    auto response =
        impl_->shared.respond.error(format::Format::json, {ErrorCode::not_found, "no such media"});
    return impl_->with_response_headers(response);
}

std::vector<RouteEntry> Api::routes() const {
    return impl_->routes();
}

std::unique_ptr<Upload> Api::start_upload(std::string_view content_type) const {
    return std::unique_ptr<Upload>(
        new Upload(std::make_unique<UploadSpool>(impl_->config, content_type)));
}

telemetry::HttpMetrics& Api::http_metrics() const {
    return impl_->shared.metrics.http;
}

Upload::Upload(std::unique_ptr<UploadSpool> spool) : spool_(std::move(spool)) {}

Upload::~Upload() = default;

void Upload::feed(std::string_view data) {
    spool_->feed(data);
}

std::shared_ptr<UploadedForm> Upload::finish() {
    return spool_->finish();
}

}  // namespace open311::api

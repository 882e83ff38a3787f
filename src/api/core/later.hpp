#pragma once

#include "api/core/http_types.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace open311::api {

/// Lets a handler give its answer after it has returned, so that no thread waits meanwhile:
/// a write waiting for its group commit (POST requests). The handler calls defer(), starts
/// what will call back, and returns (what it returns is then dropped). The callback, from any
/// thread (a store's writer thread), calls the Resume once with the rest of the handler's
/// work; the rest runs on the worker pool, never on the thread that resumed, and its answer
/// (or the error boundary's, when it throws) is the request's, finished like any other.
class Later final {
public:
    using Rest = std::function<HttpResponse()>;
    using Resume = std::function<void(Rest)>;
    /// Runs a rest inside the error boundary and finishes its answer like handle() does (the
    /// route's name unless it threw, the headers of every answer).
    using Finish =
        std::function<HttpResponse(const Rest& rest, const std::string& route, int route_id)>;

    Later(Post post, Reply reply, Finish finish)
        : state_(std::make_shared<State>(std::move(post), std::move(reply), std::move(finish))) {}

    /// The router names the route before its handler runs.
    void name_route(std::string route, int route_id) {
        state_->route = std::move(route);
        state_->route_id = route_id;
    }
    /// The handler will answer through the returned Resume. Nothing it does after this may
    /// throw before it has handed the Resume on (a throw is answered at once, and a later
    /// Resume then only runs its rest).
    Resume defer() {
        deferred_ = true;
        return [state = state_](Rest rest) {
            state->post([state, rest = std::move(rest)] {
                state->give(state->finish(rest, state->route, state->route_id));
            });
        };
    }
    bool deferred() const { return deferred_; }
    /// The answer given now (not deferred, or a handler that threw after defer()).
    void answer(HttpResponse response) { state_->give(std::move(response)); }

private:
    struct State {
        State(Post p, Reply r, Finish f)
            : post(std::move(p)), reply(std::move(r)), finish(std::move(f)) {}
        /// The first answer only.
        void give(HttpResponse response) {
            if (!answered.exchange(true)) {
                reply(std::move(response));
            }
        }
        const Post post;
        const Reply reply;
        const Finish finish;
        std::string route;
        int route_id = -1;
        std::atomic<bool> answered{false};
    };
    std::shared_ptr<State> state_;
    bool deferred_ = false;
};

}  // namespace open311::api

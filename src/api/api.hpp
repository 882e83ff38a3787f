#pragma once

#include "api/core/http_types.hpp"

#include "open311/config.hpp"
#include "open311/store/store.hpp"

#include <memory>

namespace open311::api {

/// The whole HTTP API as a pure function of a request: routing, negotiation, handlers,
/// CORS and the error boundary. The transport calls handle() on a worker thread.
class Api final {
public:
    Api(const Config& config, Store& store);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    HttpResponse handle(const HttpRequest& request) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace open311::api

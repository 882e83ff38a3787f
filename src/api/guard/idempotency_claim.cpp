#include "api/guard/idempotency_claim.hpp"

namespace open311::api {

ClaimGuard::~ClaimGuard() {
    if (record_ && !completed_) {
        try {
            store_.release_idempotency_key(record_->api_key_name, record_->key);
        } catch (const std::exception&) {
            // The claim then expires on its own (kIdempotencyStaleSeconds).
        }
    }
}

void ClaimGuard::complete(const HttpResponse& response) {
    if (auto record = answered(response)) {
        store_.complete_idempotency_key(*record);
        completed_ = true;
    }
}

std::optional<IdempotencyRecord> ClaimGuard::answered(const HttpResponse& response) const {
    if (!record_) {
        return std::nullopt;
    }
    auto record = *record_;
    record.status = response.status;
    record.content_type = response.content_type;
    record.body = response.body;
    return record;
}

HttpResponse replay(const IdempotencyRecord& record) {
    HttpResponse r;
    r.status = record.status;
    r.content_type = record.content_type;
    r.body = record.body;
    r.headers.emplace_back("Idempotent-Replayed", "true");
    return r;
}

}  // namespace open311::api

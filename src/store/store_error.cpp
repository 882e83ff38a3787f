#include "open311/store/store_error.hpp"

#include "telemetry/process_metrics.hpp"

namespace open311 {
namespace {

class StoreCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "open311.store"; }
    std::string message(int code) const override {
        switch (static_cast<StoreErrc>(code)) {
            case StoreErrc::conflict:
                return "conflict with another writer (retryable)";
            case StoreErrc::constraint:
                return "constraint violated";
            case StoreErrc::unavailable:
                return "database unavailable";
            case StoreErrc::corrupt:
                return "database corrupt";
            case StoreErrc::incompatible:
                return "database schema newer than this program";
            case StoreErrc::invalid_token:
                return "cursor or lease token not issued by this store";
            case StoreErrc::internal:
                return "internal store error";
        }
        return "unknown store error";
    }
};

}  // namespace

const std::error_category& store_category() noexcept {
    static const StoreCategory category;
    return category;
}

StoreError::StoreError(StoreErrc code, const std::string& what) : std::system_error(code, what) {
    telemetry::process_metrics().store_error(static_cast<int>(code));
}

}  // namespace open311

#include "validate/search_query.hpp"

#include "format/datetime.hpp"
#include "util/text.hpp"
#include "validate/fields.hpp"
#include "validate/public_query.hpp"

#include "open311/domain/request.hpp"

#include <algorithm>

namespace open311::validate {
namespace {

std::optional<Timestamp> read_time(const form::Params& q,
                                   const std::string& name,
                                   std::vector<ApiError>& errors) {
    auto v = q.get(name);
    if (!v) {
        return std::nullopt;
    }
    auto text = trim(*v);
    // An unencoded '+' in an offset arrives as a space ("…T00:00:00 02:00"): read it as '+'.
    if (auto space = text.find(' '); space != std::string::npos && space >= 19) {
        text[space] = '+';
    }
    auto t = format::parse_w3c(text);
    if (!t) {
        errors.push_back(
            bad(name + ": expected a W3C datetime with an offset, e.g. 2024-01-01T00:00:00Z"));
    }
    return t;
}

/// Values of a comma list parameter that may also be repeated.
std::vector<std::string> read_list(const form::Params& q, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& v : q.all(name)) {
        for (auto& item : split_list(v)) {
            if (std::find(out.begin(), out.end(), item) == out.end()) {
                out.push_back(std::move(item));
            }
        }
    }
    return out;
}

std::optional<double> read_number(const form::Params& q,
                                  const std::string& name,
                                  double min,
                                  double max,
                                  const std::string& what,
                                  std::vector<ApiError>& errors) {
    auto v = q.get(name);
    if (!v) {
        return std::nullopt;
    }
    auto n = parse_decimal(trim(*v));
    if (!n || *n < min || *n > max) {
        errors.push_back(bad(name + ": expected " + what + " with '.' as the decimal separator"));
        return std::nullopt;
    }
    return n;
}

void read_statuses(const form::Params& q, RequestFilter& f, std::vector<ApiError>& errors) {
    const auto& detailed = detailed_status_values();
    for (const auto& item : read_list(q, "status")) {
        auto lower = to_lower(item);
        if (lower == "open" || lower == "closed") {
            f.statuses.push_back(lower);
            continue;
        }
        std::string upper = item;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
            return static_cast<char>(std::toupper(c));
        });
        if (std::find(detailed.begin(), detailed.end(), upper) != detailed.end()) {
            f.detailed_statuses.push_back(upper);
            continue;
        }
        errors.push_back(bad("status: unknown value '" + item +
                             "'; expected open, closed or a detailed status such as RECEIVED, "
                             "IN_PROCESS, PROCESSED"));
    }
}

void read_geo(const form::Params& q,
              const Profile& profile,
              RequestFilter& f,
              std::vector<ApiError>& errors) {
    const bool any = q.get("lat") || q.get("long") || q.get("radius");
    if (q.get("lon") || q.get("lng")) {
        errors.push_back(bad(std::string(q.get("lon") ? "lon" : "lng") +
                             ": unknown parameter; the longitude parameter is 'long'"));
    }
    if (any) {
        for (const char* name : {"lat", "long", "radius"}) {
            if (!q.get(name)) {
                errors.push_back(
                    bad(std::string(name) + ": lat, long and radius must be given together"));
            }
        }
        const bool km = profile.radius_unit == RadiusUnit::kilometres;
        auto lat = read_number(q, "lat", -90, 90, "a latitude from -90 to 90", errors);
        auto lon = read_number(q, "long", -180, 180, "a longitude from -180 to 180", errors);
        auto radius = read_number(
            q,
            "radius",
            0,
            km ? 100.0 : 100000.0,
            km ? "a radius in kilometres from 0 to 100" : "a radius in metres from 0 to 100000",
            errors);
        if (lat && lon && radius) {
            f.near = GeoCircle{*lat, *lon, km ? *radius * 1000.0 : *radius};
        }
    }
    if (auto bbox = q.get("bbox")) {
        auto parts = split_list(*bbox);
        std::vector<double> v;
        for (const auto& p : parts) {
            if (auto n = parse_decimal(p)) {
                v.push_back(*n);
            }
        }
        if (parts.size() != 4 || v.size() != 4 || v[0] > v[2] || v[1] > v[3] || v[0] < -180 ||
            v[2] > 180 || v[1] < -90 || v[3] > 90) {
            errors.push_back(
                bad("bbox: expected min_long,min_lat,max_long,max_lat in WGS84 degrees"));
        } else {
            f.box = GeoBox{v[0], v[1], v[2], v[3]};
        }
    }
}

}  // namespace

int read_paging(const form::Params& q,
                int default_size,
                int max_size,
                bool cap_size,
                RequestFilter& filter,
                std::vector<ApiError>& errors) {
    filter.limit = default_size;
    if (auto size = q.get("page_size")) {
        auto n = parse_integer(trim(*size));
        if (!n || *n < 1 || (!cap_size && *n > max_size)) {
            errors.push_back(
                bad("page_size: expected a whole number from 1 to " + std::to_string(max_size)));
        } else {
            filter.limit = static_cast<int>(std::min<long long>(*n, max_size));
        }
    }
    int page = 1;
    if (auto p = q.get("page")) {
        auto n = parse_integer(trim(*p));
        if (!n || *n < 1 || *n > 1000000) {
            errors.push_back(bad("page: expected a whole number from 1 to 1000000"));
        } else {
            page = static_cast<int>(*n);
        }
    }
    filter.offset = static_cast<std::int64_t>(page - 1) * filter.limit;
    return page;
}

std::vector<ApiError> search_query(const form::Params& q,
                                   const Profile& profile,
                                   Timestamp now,
                                   SearchQuery& out) {
    std::vector<ApiError> errors;
    auto& f = out.filter;
    out.extensions = read_bool(q, "extensions", false, errors);

    out.page = read_paging(q, profile.max_results, profile.max_results, true, f, errors);

    if (auto sort = q.get("sort")) {
        static const std::vector<std::pair<std::string, RequestOrder>> kOrders = {
            {"-requested_datetime", RequestOrder::requested_desc},
            {"requested_datetime", RequestOrder::requested_asc},
            {"-updated_datetime", RequestOrder::updated_desc},
            {"updated_datetime", RequestOrder::updated_asc},
        };
        auto it = std::find_if(
            kOrders.begin(), kOrders.end(), [&](const auto& o) { return o.first == trim(*sort); });
        if (it == kOrders.end()) {
            errors.push_back(
                bad("sort: expected requested_datetime, -requested_datetime, updated_datetime or "
                    "-updated_datetime"));
        } else {
            f.order = it->second;
        }
    }

    // service_request_id overrides every other filter (GeoReport v2).
    f.ids = read_list(q, "service_request_id");
    if (!f.ids.empty()) {
        if (f.ids.size() > static_cast<std::size_t>(profile.max_results)) {
            errors.push_back(
                bad("service_request_id: at most " + std::to_string(profile.max_results) + " ids"));
        }
        return errors;
    }

    f.service_codes = read_list(q, "service_code");
    read_statuses(q, f, errors);
    f.service_object_type = trim(q.get("service_object_type").value_or(""));
    f.service_object_id = trim(q.get("service_object_id").value_or(""));
    read_geo(q, profile, f, errors);

    auto start = read_time(q, "start_date", errors);
    auto end = read_time(q, "end_date", errors);
    f.updated_from = read_time(q, "updated_after", errors);
    f.updated_to = read_time(q, "updated_before", errors);
    if (start && end && *end < *start) {
        errors.push_back(bad("end_date: earlier than start_date"));
    } else if (start && end && *end - *start > kMaxWindowSeconds) {
        errors.push_back(bad("end_date: start_date and end_date may span at most 90 days"));
    }
    if (f.updated_from && f.updated_to && *f.updated_to < *f.updated_from) {
        errors.push_back(bad("updated_before: earlier than updated_after"));
    }
    if (start || end) {
        // One bound alone opens a 90-day window from it.
        f.requested_from = start ? *start : *end - kMaxWindowSeconds;
        f.requested_to = end ? *end : *start + kMaxWindowSeconds;
    } else if (!f.updated_from && !f.updated_to) {
        // No dates at all: the most recent 90 days. A changeset query (updated_after/before)
        // must also see changes to older requests, so it gets no requested window.
        f.requested_from = now - kMaxWindowSeconds;
    }
    return errors;
}

}  // namespace open311::validate

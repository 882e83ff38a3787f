#include "sandbox/journal.hpp"

#include "api/upload/uploaded_form.hpp"
#include "form/params.hpp"
#include "util/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace open311::sandbox {
namespace {

void add_once(std::vector<std::string>& names, const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
    }
}

}  // namespace

std::vector<std::string> body_field_names(const api::HttpRequest& request) {
    std::vector<std::string> names;
    if (request.form) {
        for (const auto& [name, value] : request.form->fields.items()) {
            add_once(names, name);
        }
        for (const auto& file : request.form->files) {
            add_once(names, file.field);
        }
        return names;
    }
    if (request.body.empty()) {
        return names;
    }
    const auto type = to_lower(request.content_type);
    if (type.find("json") != std::string::npos) {
        auto body = nlohmann::json::parse(request.body, nullptr, false);
        if (body.is_object()) {
            for (const auto& item : body.items()) {
                add_once(names, item.key());
            }
        }
        return names;
    }
    if (type.empty() || type.find("x-www-form-urlencoded") != std::string::npos) {
        const auto params = form::parse_form(request.body);  // kept: the loop reads into it
        for (const auto& [name, value] : params.items()) {
            add_once(names, name);
        }
    }
    return names;
}

void Journal::record(const api::HttpRequest& request,
                     const api::HttpResponse& response,
                     std::chrono::microseconds took,
                     Timestamp at) {
    JournalEntry entry;
    entry.at = at;
    entry.method = request.method_name.empty() ? api::to_string(request.method)
                                               : request.method_name.substr(0, 20);
    entry.path = request.target.substr(0, std::min(request.target.find('?'), std::size_t{2000}));
    entry.status = response.status;
    entry.duration_ms = static_cast<double>(took.count()) / 1000.0;
    entry.fields = body_field_names(request);
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
    if (entries_.size() > kCapacity) {
        entries_.pop_front();
    }
}

std::vector<JournalEntry> Journal::recent(std::size_t limit) const {
    std::lock_guard lock(mutex_);
    std::vector<JournalEntry> out;
    for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < limit; ++it) {
        out.push_back(*it);
    }
    return out;
}

void Journal::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

}  // namespace open311::sandbox

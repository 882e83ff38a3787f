#include "sandbox/faults.hpp"

#include "util/text.hpp"

#include <algorithm>

namespace open311::sandbox {
namespace {

/// Glob match where '*' stands for any run of characters.
bool glob(std::string_view pattern, std::string_view text) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

}  // namespace

std::string Faults::normalise(std::string_view path) const {
    std::string out(path.substr(0, path.find('?')));
    if (out.size() > base_path_.size() && out.compare(0, base_path_.size(), base_path_) == 0 &&
        out[base_path_.size()] == '/') {
        out.erase(0, base_path_.size());
    }
    for (std::string_view suffix : {".json", ".xml"}) {
        if (out.size() > suffix.size() && out.ends_with(suffix)) {
            out.resize(out.size() - suffix.size());
            break;
        }
    }
    return out;
}

bool Faults::parse_match(std::string_view text, Fault& out) {
    const std::string trimmed = trim(std::string(text));
    const auto space = trimmed.find(' ');
    std::string method = space == std::string::npos ? "*" : trimmed.substr(0, space);
    std::string path = space == std::string::npos ? trimmed : trim(trimmed.substr(space + 1));
    if (path.empty() || path.front() != '/' || method.empty()) {
        return false;
    }
    for (char& ch : method) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    out.method = method;
    out.path = path;
    return true;
}

void Faults::add(Fault fault) {
    fault.path = normalise(fault.path);
    std::lock_guard lock(mutex_);
    faults_.push_back(std::move(fault));
}

void Faults::clear() {
    std::lock_guard lock(mutex_);
    faults_.clear();
}

std::vector<Fault> Faults::list() const {
    std::lock_guard lock(mutex_);
    return faults_;
}

std::optional<Fault> Faults::take(std::string_view method, std::string_view target) {
    const std::string path = normalise(target);
    std::lock_guard lock(mutex_);
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if ((it->method == "*" || it->method == method) && glob(it->path, path)) {
            ++it->applied;
            Fault out = *it;
            if (it->applied >= it->times) {
                faults_.erase(it);
            }
            return out;
        }
    }
    return std::nullopt;
}

}  // namespace open311::sandbox

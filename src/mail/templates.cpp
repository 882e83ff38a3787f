#include "mail/templates.hpp"

#include "util/embedded.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace open311::mail {
namespace {

constexpr std::string_view kSubjectPrefix = "Subject:";
constexpr std::string_view kSuffix = ".txt";

std::string substitute(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            break;
        }
        const auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            break;
        }
        out.append(text.substr(pos, open - pos));
        const std::string name(text.substr(open + 2, close - open - 2));
        if (auto it = values.find(name); it != values.end()) {
            out += it->second;
        }
        pos = close + 2;
    }
    out.append(text.substr(pos));
    return out;
}

/// "request-processed.fi.txt" → "request-processed.fi".
std::optional<std::string> template_name(std::string_view file_name) {
    if (file_name.size() <= kSuffix.size() ||
        file_name.substr(file_name.size() - kSuffix.size()) != kSuffix) {
        return std::nullopt;
    }
    return std::string(file_name.substr(0, file_name.size() - kSuffix.size()));
}

}  // namespace

std::optional<RenderedMessage> Templates::parse(std::string_view text) {
    const auto eol = text.find('\n');
    std::string_view first = text.substr(0, eol);
    if (first.substr(0, kSubjectPrefix.size()) != kSubjectPrefix) {
        return std::nullopt;
    }
    first.remove_prefix(kSubjectPrefix.size());
    while (!first.empty() && (first.front() == ' ' || first.front() == '\t')) {
        first.remove_prefix(1);
    }
    while (!first.empty() && (first.back() == '\r' || first.back() == ' ')) {
        first.remove_suffix(1);
    }
    std::string_view body = eol == std::string_view::npos ? "" : text.substr(eol + 1);
    while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) {
        body.remove_prefix(1);
    }
    return RenderedMessage{std::string(first), std::string(body)};
}

Templates Templates::load(const std::string& dir) {
    Templates t;
    for (const auto& file : embedded_mail_templates()) {
        auto name = template_name(file.name);
        auto parsed = parse(file.content);
        if (name && parsed) {
            t.by_name_[*name] = std::move(*parsed);
        }
    }
    if (dir.empty()) {
        return t;
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        auto name = template_name(entry.path().filename().string());
        if (!name || !entry.is_regular_file()) {
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        if (auto parsed = parse(text.str())) {
            t.by_name_[*name] = std::move(*parsed);
        }
    }
    return t;
}

std::optional<RenderedMessage> Templates::render(
    std::string_view kind,
    std::string_view locale,
    std::string_view fallback_locale,
    const std::map<std::string, std::string>& values) const {
    const RenderedMessage* found = nullptr;
    for (auto loc : {locale, fallback_locale}) {
        if (auto it = by_name_.find(std::string(kind) + "." + std::string(loc));
            it != by_name_.end()) {
            found = &it->second;
            break;
        }
    }
    if (!found) {
        const std::string prefix = std::string(kind) + ".";
        auto it = by_name_.lower_bound(prefix);
        if (it != by_name_.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
            found = &it->second;
        }
    }
    if (!found) {
        return std::nullopt;
    }
    // A subject is one header line: values must not smuggle a line break into it.
    std::string subject = substitute(found->subject, values);
    for (char& c : subject) {
        if (c == '\r' || c == '\n') {
            c = ' ';
        }
    }
    return RenderedMessage{std::move(subject), substitute(found->body, values)};
}

}  // namespace open311::mail

#include "form/params.hpp"

#include "form/multipart_reader.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cctype>

namespace open311::form {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::size_t kMaxShownName = 100;  // bytes of a malformed name quoted in an error

/// `name` as it may be quoted in an error message: bytes that are control characters, or
/// that are not UTF-8, shown as %XX; at most kMaxShownName bytes of it.
std::string printable_name(std::string_view name) {
    if (name.size() > kMaxShownName) {
        std::size_t cut = kMaxShownName;
        while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0U) == 0x80U) {
            --cut;  // not inside a character
        }
        name = name.substr(0, cut);
    }
    const bool utf8 = is_valid_utf8(name);
    std::string out;
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20U || u == 0x7FU || (u >= 0x80U && !utf8)) {
            out += '%';
            out += kHex[u >> 4U];
            out += kHex[u & 15U];
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

void Params::add(std::string name, std::string value) {
    if (!is_valid_utf8(name) || !is_valid_utf8(value)) {
        mark_malformed(name, Encoding::not_utf8);
    }
    items_.emplace_back(std::move(name), std::move(value));
}

void Params::merge(const Params& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
    for (const auto& m : other.malformed_) {
        mark_malformed(m.name, m.problem);
    }
}

void Params::mark_malformed(std::string_view name, Encoding problem) {
    if (malformed_.size() >= kMaxMalformed) {
        return;
    }
    auto shown = printable_name(name);
    const bool known = std::any_of(
        malformed_.begin(), malformed_.end(), [&shown](const auto& m) { return m.name == shown; });
    if (!known) {
        malformed_.push_back(MalformedParameter{std::move(shown), problem});
    }
}

std::optional<std::string> Params::get(std::string_view name) const {
    for (const auto& [key, value] : items_) {
        if (key == name && !value.empty()) {
            return value;
        }
    }
    return std::nullopt;
}

bool Params::has(std::string_view name) const {
    for (const auto& item : items_) {
        if (item.first == name) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> Params::all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : items_) {
        if (key == name && !value.empty()) {
            out.push_back(value);
        }
    }
    return out;
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}
}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space, bool& malformed) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
            int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
            malformed = true;
        }
        out += (plus_is_space && c == '+') ? ' ' : c;
    }
    return out;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    bool malformed = false;
    return percent_decode(text, plus_is_space, malformed);
}

std::string percent_encode(std::string_view text) {
    std::string out;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4U];
            out += kHex[u & 15U];
        }
    }
    return out;
}

Params parse_form(std::string_view text) {
    Params params;
    for_each_piece(text, "&", [&params](std::string_view pair) {
        // Some clients put line breaks between pairs; they are not part of any name.
        while (!pair.empty() && (pair.front() == '\r' || pair.front() == '\n')) {
            pair.remove_prefix(1);
        }
        if (!pair.empty()) {
            auto eq = pair.find('=');
            bool malformed = false;
            auto name = trim(percent_decode(pair.substr(0, eq), true, malformed));
            auto value = eq == std::string_view::npos
                             ? std::string()
                             : percent_decode(pair.substr(eq + 1), true, malformed);
            if (malformed) {
                params.mark_malformed(name, Encoding::bad_escape);
            }
            params.add(std::move(name), std::move(value));
        }
    });
    return params;
}

std::optional<std::string> header_parameter(std::string_view header, std::string_view name) {
    std::size_t pos = header.find(';');
    while (pos != std::string_view::npos) {
        std::size_t next = header.find(';', pos + 1);
        auto part = header.substr(
            pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
        auto eq = part.find('=');
        if (eq != std::string_view::npos && to_lower(trim(part.substr(0, eq))) == name) {
            auto value = trim(part.substr(eq + 1));
            // Quoted values may contain ';' — take everything up to the closing quote.
            if (!value.empty() && value.front() == '"') {
                auto quote_start = header.find('"', pos + 1 + eq);
                auto quote_end = header.find('"', quote_start + 1);
                if (quote_end == std::string_view::npos) {
                    return std::nullopt;
                }
                return std::string(header.substr(quote_start + 1, quote_end - quote_start - 1));
            }
            return value;
        }
        pos = next;
    }
    return std::nullopt;
}

namespace {

/// Keeps every part in memory: for bodies that are already whole (small forms, tests).
class MemorySink final : public MultipartSink {
public:
    explicit MemorySink(MultipartBody& out) : out_(out) {}
    bool begin_part(const PartHeaders& headers) override {
        current_ = headers;
        data_.clear();
        return true;
    }
    bool part_data(std::string_view data) override {
        data_.append(data);
        return true;
    }
    bool end_part() override {
        if (current_.filename) {
            out_.files.push_back(FilePart{
                current_.name, *current_.filename, current_.content_type, std::move(data_)});
        } else if (!current_.name.empty()) {
            out_.fields.add(current_.name, std::move(data_));
        }
        data_.clear();
        return true;
    }

private:
    MultipartBody& out_;
    PartHeaders current_;
    std::string data_;
};

}  // namespace

std::optional<MultipartBody> parse_multipart(std::string_view body, std::string_view content_type) {
    MultipartBody out;
    MemorySink sink(out);
    auto reader = MultipartReader::for_content_type(content_type, sink);
    if (!reader) {
        return std::nullopt;
    }
    reader->feed(body);
    if (reader->finish() != MultipartReader::State::done) {
        return std::nullopt;
    }
    return out;
}

}  // namespace open311::form

#include "format/datetime.hpp"

#include <cctype>
#include <cstdio>

namespace open311::format {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) {
        return false;
    }
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) {
            return false;
        }
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

unsigned days_in_month(int y, int m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> parse_date(std::string_view s) {
    int y = 0;
    int mo = 0;
    int d = 0;
    if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d)) {
        return std::nullopt;
    }
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, mo)) {
        return std::nullopt;
    }
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
}

}  // namespace

std::string to_w3c(Timestamp t) {
    std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    std::int64_t secs = t - days * 86400;
    std::int64_t y = 0;
    unsigned m = 0;
    unsigned d = 0;
    civil_from_days(days, y, m, d);
    if (y < 0 || y > 9999) {
        char buf[96];
        std::snprintf(buf,
                      sizeof buf,
                      "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                      static_cast<long long>(y),
                      m,
                      d,
                      static_cast<long long>(secs / 3600),
                      static_cast<long long>(secs / 60 % 60),
                      static_cast<long long>(secs % 60));
        return buf;
    }
    // Written by hand: two of these per request in every list, and snprintf's format parsing
    // was a visible share of a list answer's CPU time.
    std::string out = "0000-00-00T00:00:00Z";
    auto put = [&out](std::size_t at, std::int64_t value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    put(11, secs / 3600, 2);
    put(14, secs / 60 % 60, 2);
    put(17, secs % 60, 2);
    return out;
}

std::string to_date(Timestamp t) {
    return to_w3c(t).substr(0, 10);
}

std::optional<Timestamp> parse_w3c(std::string_view s) {
    auto days = parse_date(s);
    int h = 0;
    int mi = 0;
    int sec = 0;
    if (!days || s.size() < 20 || s[10] != 'T' || !digits(s, 11, 2, h) || s[13] != ':' ||
        !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec)) {
        return std::nullopt;
    }
    if (h > 23 || mi > 59 || sec > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    if (s[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) != 0) {
            ++pos;
        }
        if (pos == start || pos - start > 9) {
            return std::nullopt;
        }
    }
    std::int64_t offset = 0;
    if (pos < s.size() && s[pos] == 'Z' && pos + 1 == s.size()) {
        offset = 0;
    } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
        int oh = 0;
        int om = 0;
        if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 14 || om > 59) {
            return std::nullopt;
        }
        offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    } else {
        return std::nullopt;
    }
    return *days * 86400 + h * 3600 + mi * 60 + std::min(sec, 59) - offset;
}

std::optional<Timestamp> end_of_day(std::string_view date) {
    if (date.size() != 10) {
        return std::nullopt;
    }
    auto days = parse_date(date);
    if (!days) {
        return std::nullopt;
    }
    return (*days + 1) * 86400;
}

}  // namespace open311::format

#include "mail/message.hpp"

#include <gtest/gtest.h>

namespace open311::mail {
namespace {

/// Decodes the base64 alphabet (test helper; ignores line breaks).
std::string unbase64(std::string_view text) {
    static const std::string kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (char c : text) {
        auto pos = kAlphabet.find(c);
        if (pos == std::string::npos) {
            continue;
        }
        bits = (bits << 6U) | static_cast<std::uint32_t>(pos);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> static_cast<unsigned>(count)) & 0xFFU);
        }
    }
    return out;
}

/// The headers of a built message, name → value, with folded lines joined.
std::vector<std::pair<std::string, std::string>> headers_of(const std::string& message) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t pos = 0;
    while (true) {
        auto end = message.find("\r\n", pos);
        if (end == std::string::npos || end == pos) {
            break;
        }
        auto line = message.substr(pos, end - pos);
        if (line.front() == ' ') {
            out.back().second += line;
        } else {
            auto colon = line.find(": ");
            out.emplace_back(line.substr(0, colon), line.substr(colon + 2));
        }
        pos = end + 2;
    }
    return out;
}

MailMessage sample() {
    MailMessage m;
    m.from = "noreply@example.org";
    m.to = "asukas@example.fi";
    m.subject = "Hello";
    m.body = "Line one\nLine two\n";
    m.date = 1795398421;  // 2026-11-23T01:47:01Z, a Monday
    m.message_id = "open311d.1.1795398421@example.org";
    return m;
}

TEST(MailMessage, Base64MatchesRfc4648Vectors) {
    EXPECT_EQ(base64(""), "");
    EXPECT_EQ(base64("f"), "Zg==");
    EXPECT_EQ(base64("fo"), "Zm8=");
    EXPECT_EQ(base64("foo"), "Zm9v");
    EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
    const std::string long_text(200, 'x');
    const auto wrapped = base64(long_text, true);
    EXPECT_EQ(wrapped.find("\r\n"), 76U);
    EXPECT_EQ(unbase64(wrapped), long_text);
}

TEST(MailMessage, AsciiSubjectStaysReadable) {
    EXPECT_EQ(encode_header_text("Your feedback (abc123)"), "Your feedback (abc123)");
}

TEST(MailMessage, Utf8SubjectIsEncodedWordsOnCharacterBoundaries) {
    const std::string subject =
        "Palautteesi on käsitelty: öljyä ja äyriäisiä Ärrällä €€€ 😀 lopussa";
    const auto encoded = encode_header_text(subject);
    std::string decoded;
    std::size_t pos = 0;
    while ((pos = encoded.find("=?UTF-8?B?", pos)) != std::string::npos) {
        auto end = encoded.find("?=", pos + 10);
        ASSERT_NE(end, std::string::npos);
        ASSERT_LE(end + 2 - pos, 75U) << "an encoded word is at most 75 characters";
        const auto word = unbase64(encoded.substr(pos + 10, end - pos - 10));
        // Each word is valid UTF-8 on its own: it neither starts nor ends inside a character.
        ASSERT_NE(static_cast<unsigned char>(word.front()) & 0xC0U, 0x80U);
        decoded += word;
        pos = end + 2;
    }
    EXPECT_EQ(decoded, subject);
    EXPECT_NE(encoded.find("\r\n "), std::string::npos) << "long subjects are folded";
}

TEST(MailMessage, HeaderInjectionIsImpossible) {
    auto m = sample();
    m.subject = "Hi\r\nBcc: victim@example.org\r\n\r\nfake body";
    const auto text = build_message(m);
    for (const auto& [name, value] : headers_of(text)) {
        EXPECT_NE(name, "Bcc");
    }
    EXPECT_EQ(encode_header_text("a\nb\rc\td"), "a b c d");
    EXPECT_FALSE(is_valid_address("a@b.org\r\nBcc: c@d.org"));
    EXPECT_FALSE(is_valid_address("a@b.org>, <c@d.org"));
}

TEST(MailMessage, AddressValidation) {
    EXPECT_TRUE(is_valid_address("asukas@example.fi"));
    EXPECT_TRUE(is_valid_address("first.last+tag@sub.example.org"));
    EXPECT_FALSE(is_valid_address(""));
    EXPECT_FALSE(is_valid_address("no-at-sign"));
    EXPECT_FALSE(is_valid_address("@example.org"));
    EXPECT_FALSE(is_valid_address("user@"));
    EXPECT_FALSE(is_valid_address("two words@example.org"));
    EXPECT_FALSE(is_valid_address("Name <user@example.org>"));
}

TEST(MailMessage, BuildsMimeHeadersAndBase64Body) {
    const auto text = build_message(sample());
    auto headers = headers_of(text);
    std::map<std::string, std::string> by_name(headers.begin(), headers.end());
    EXPECT_EQ(by_name["From"], "<noreply@example.org>");
    EXPECT_EQ(by_name["To"], "<asukas@example.fi>");
    EXPECT_EQ(by_name["Subject"], "Hello");
    EXPECT_EQ(by_name["Date"], "Mon, 23 Nov 2026 01:47:01 +0000");
    EXPECT_EQ(by_name["Message-ID"], "<open311d.1.1795398421@example.org>");
    EXPECT_EQ(by_name["MIME-Version"], "1.0");
    EXPECT_EQ(by_name["Content-Type"], "text/plain; charset=UTF-8");
    EXPECT_EQ(by_name["Content-Transfer-Encoding"], "base64");
    const auto body_start = text.find("\r\n\r\n");
    ASSERT_NE(body_start, std::string::npos);
    EXPECT_EQ(unbase64(text.substr(body_start + 4)), "Line one\r\nLine two\r\n");
    // Every line ends in CRLF: no bare LF anywhere.
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            ASSERT_GT(i, 0U);
            EXPECT_EQ(text[i - 1], '\r');
        }
    }
}

TEST(MailMessage, DotStuffingDoublesLeadingDotsAndTerminates) {
    EXPECT_EQ(dot_stuff("a\r\n.b\r\n..c\r\n.\r\nd"), "a\r\n..b\r\n...c\r\n..\r\nd\r\n.\r\n");
    EXPECT_EQ(dot_stuff(".first"), "..first\r\n.\r\n");
    EXPECT_EQ(dot_stuff("bare\nlf\rcr\r\n"), "bare\r\nlf\r\ncr\r\n.\r\n");
    EXPECT_EQ(dot_stuff(""), ".\r\n");
}

TEST(MailMessage, DateIsRfc5322) {
    EXPECT_EQ(format_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

}  // namespace
}  // namespace open311::mail

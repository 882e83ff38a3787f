#include "mail/smtp_reply.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace open311::mail {
namespace {

SmtpReply parse(const std::vector<std::string>& lines) {
    ReplyParser parser;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const bool done = parser.feed(lines[i]);
        EXPECT_EQ(done, i + 1 == lines.size()) << lines[i];
    }
    return parser.take();
}

TEST(SmtpReply, SingleLine) {
    auto r = parse({"220 relay.example.org ESMTP ready"});
    EXPECT_EQ(r.code, 220);
    EXPECT_TRUE(r.positive());
    EXPECT_EQ(r.lines, std::vector<std::string>{"relay.example.org ESMTP ready"});
    EXPECT_EQ(r.summary(), "220 relay.example.org ESMTP ready");
}

TEST(SmtpReply, MultiLineEhloAndExtensions) {
    auto r = parse({"250-relay.example.org greets you",
                    "250-PIPELINING",
                    "250-starttls",
                    "250-AUTH LOGIN plain",
                    "250 8BITMIME"});
    EXPECT_EQ(r.code, 250);
    EXPECT_EQ(r.lines.size(), 5U);
    EXPECT_TRUE(has_extension(r, "STARTTLS"));
    EXPECT_TRUE(has_extension(r, "8bitmime"));
    EXPECT_FALSE(has_extension(r, "SMTPUTF8"));
    EXPECT_FALSE(has_extension(r, "relay.example.org")) << "the greeting line is no extension";
    EXPECT_TRUE(offers_auth(r, "PLAIN"));
    EXPECT_TRUE(offers_auth(r, "login"));
    EXPECT_FALSE(offers_auth(r, "CRAM-MD5"));
}

TEST(SmtpReply, BareCodeEndsReply) {
    auto r = parse({"354"});
    EXPECT_EQ(r.code, 354);
    EXPECT_TRUE(r.positive());
}

TEST(SmtpReply, ClassesOfCodes) {
    EXPECT_TRUE(parse({"451 4.3.0 try later"}).transient());
    EXPECT_FALSE(parse({"451 4.3.0 try later"}).positive());
    auto permanent = parse({"550 5.1.1 no such user"});
    EXPECT_FALSE(permanent.transient());
    EXPECT_FALSE(permanent.positive());
}

TEST(SmtpReply, MalformedLinesAreRefused) {
    ReplyParser p;
    EXPECT_THROW(p.feed(""), std::runtime_error);
    EXPECT_THROW(p.feed("25"), std::runtime_error);
    EXPECT_THROW(p.feed("abc hello"), std::runtime_error);
    EXPECT_THROW(p.feed("250_x"), std::runtime_error);
    ReplyParser changing;
    EXPECT_FALSE(changing.feed("250-first"));
    EXPECT_THROW(changing.feed("251 second"), std::runtime_error);
}

TEST(SmtpReply, EndlessReplyIsRefused) {
    ReplyParser p;
    EXPECT_THROW(
        {
            for (int i = 0; i < 1000; ++i) {
                p.feed("250-more");
            }
        },
        std::runtime_error);
}

TEST(SmtpReply, TakeResetsTheParser) {
    ReplyParser p;
    EXPECT_TRUE(p.feed("220 hi"));
    EXPECT_EQ(p.take().code, 220);
    EXPECT_TRUE(p.feed("250 ok"));
    auto r = p.take();
    EXPECT_EQ(r.code, 250);
    EXPECT_EQ(r.lines.size(), 1U);
}

}  // namespace
}  // namespace open311::mail

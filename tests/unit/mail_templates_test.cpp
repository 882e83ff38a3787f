#include "mail/templates.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace open311::mail {
namespace {

TEST(MailTemplates, ParseSplitsSubjectAndBody) {
    auto m = Templates::parse("Subject:  Hello {{name}}\r\n\nDear {{name}},\nbye\n");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->subject, "Hello {{name}}");
    EXPECT_EQ(m->body, "Dear {{name}},\nbye\n");
    EXPECT_FALSE(Templates::parse("Hello\n\nno subject line"));
}

TEST(MailTemplates, CompiledInTemplatesExistForEveryLocale) {
    auto t = Templates::load("");
    for (const char* locale : {"fi", "sv", "en"}) {
        auto m = t.render("request-processed",
                          locale,
                          "en",
                          {{"service_request_id", "abc123"}, {"title", "Bench"}});
        ASSERT_TRUE(m) << locale;
        EXPECT_NE(m->subject.find("abc123"), std::string::npos) << locale;
        EXPECT_NE(m->body.find("Bench"), std::string::npos) << locale;
        EXPECT_EQ(m->body.find("{{"), std::string::npos) << locale;
    }
    EXPECT_NE(t.render("request-processed", "fi", "en", {})->subject.find("käsitelty"),
              std::string::npos);
}

TEST(MailTemplates, UnknownLocaleFallsBackAndUnknownKindIsNothing) {
    auto t = Templates::load("");
    auto m = t.render("request-processed", "de", "sv", {});
    ASSERT_TRUE(m);
    EXPECT_NE(m->subject.find("behandlats"), std::string::npos);
    EXPECT_FALSE(t.render("no-such-kind", "fi", "en", {}));
}

TEST(MailTemplates, ValuesCannotBreakTheSubjectLine) {
    auto t = Templates::load("");
    auto m = t.render(
        "request-processed", "en", "en", {{"service_request_id", "x\r\nBcc: victim@example.org"}});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->subject.find_first_of("\r\n"), std::string::npos);
}

TEST(MailTemplates, ADirectoryOverridesFileByFile) {
    const auto dir = std::filesystem::temp_directory_path() / "open311-mail-templates-test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "request-processed.en.txt") << "Subject: Custom {{title}}\n\nCustom body\n";
    std::ofstream(dir / "README") << "not a template";
    auto t = Templates::load(dir.string());
    EXPECT_EQ(t.render("request-processed", "en", "en", {{"title", "T"}})->subject, "Custom T");
    EXPECT_NE(t.render("request-processed", "fi", "en", {})->subject.find("käsitelty"),
              std::string::npos);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace open311::mail

// The [initiatives] settings (docs/configuration.md).
#include "open311/config.hpp"

#include <gtest/gtest.h>

namespace open311 {
namespace {

Config load(const SettingOverrides& flags) {
    return load_config(std::nullopt, {}, flags);
}

TEST(InitiativesConfig, OnWithTheDemoUnlessSetOtherwise) {
    EXPECT_FALSE(initiatives_enabled(load({})));
    EXPECT_TRUE(initiatives_enabled(load({{"database.demo", "true"}})));
    EXPECT_FALSE(
        initiatives_enabled(load({{"database.demo", "true"}, {"initiatives.enabled", "false"}})));
    EXPECT_TRUE(initiatives_enabled(load({{"initiatives.enabled", "true"}})));
    const auto env = load_config(std::nullopt, {"OPEN311_INITIATIVES_ENABLED=yes"}, {});
    EXPECT_TRUE(initiatives_enabled(env));
}

TEST(InitiativesConfig, ValuesAndDefaults) {
    const auto d = load({});
    EXPECT_EQ(d.initiatives.base_path, "/api/v1");
    EXPECT_EQ(d.initiatives.site_base_url, "https://www.kuntalaisaloite.fi");
    EXPECT_TRUE(d.initiatives.api_base_url.empty());
    const auto c = load({{"initiatives.api_base_url", "https://aloitteet.example.fi/"},
                         {"initiatives.site_base_url", "https://kuntalaisaloite.example.fi"},
                         {"initiatives.base_path", "/aloitteet/v1"},
                         {"initiatives.active_municipalities", "91, 49,837"}});
    EXPECT_EQ(c.initiatives.api_base_url, "https://aloitteet.example.fi");
    EXPECT_EQ(c.initiatives.base_path, "/aloitteet/v1");
    EXPECT_EQ(c.initiatives.active_municipalities, (std::vector<int>{91, 49, 837}));
}

TEST(InitiativesConfig, BadValuesAreNamed) {
    const std::vector<std::pair<std::string, std::string>> bad{
        {"initiatives.enabled", "maybe"},
        {"initiatives.base_path", "api/v1"},
        {"initiatives.base_path", "/api/v1/"},
        {"initiatives.base_path", "/"},
        {"initiatives.api_base_url", "aloitteet.example.fi"},
        {"initiatives.site_base_url", "ftp://x"},
        {"initiatives.active_municipalities", "91,helsinki"},
        {"initiatives.active_municipalities", "0"},
    };
    for (const auto& [key, value] : bad) {
        try {
            load({{key, value}});
            ADD_FAILURE() << key << " = " << value;
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
        }
    }
}

TEST(InitiativesConfig, TheBasePathMayNotHideOtherRoutesWhenOn) {
    const SettingOverrides on{{"initiatives.enabled", "true"}};
    auto with = [&](SettingOverrides more) {
        more.insert(on.begin(), on.end());
        return load(more);
    };
    EXPECT_THROW(with({{"initiatives.base_path", "/open311/v2"}}), ConfigError);
    EXPECT_THROW(with({{"initiatives.base_path", "/open311"}}), ConfigError);
    EXPECT_THROW(with({{"initiatives.base_path", "/admin/v1"}}), ConfigError);
    EXPECT_THROW(with({{"initiatives.base_path", "/media"}}), ConfigError);
    EXPECT_NO_THROW(with({{"server.base_path", "/api"}}));  // /api/v1 beside it
    EXPECT_NO_THROW(with({{"server.base_path", ""}}));
    // Off, the path overlaps nothing.
    EXPECT_NO_THROW(load({{"initiatives.base_path", "/open311/v2"}}));
}

}  // namespace
}  // namespace open311

// The service catalogue over the staff API (admin role) over real HTTP: every endpoint, its
// errors, the audit lines, and what a change does to the public API at once.
#include "catalogue/catalogue_file.hpp"
#include "support/server_fixture.hpp"
#include "support/staff_api.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace open311::test {
namespace {

const char* const kBenches = R"({
    "service_code": "2806.20",
    "type": "realtime",
    "translations": {
        "fi": {"service_name": "Penkit", "description": "Rikkinäiset penkit"},
        "en": {"service_name": "Benches", "keywords": ["bench", "seat"]}
    },
    "attributes": [
        {"code": "DAMAGE", "datatype": "singlevaluelist", "required": true, "order": 1,
         "description": {"en": "What is wrong?"},
         "values": [{"key": "1", "name": {"en": "Broken"}}, {"key": "2", "name": "Dirty"}]}
    ]
})";

std::set<std::string> public_codes_json(const TestServer& server) {
    auto r = server.client().get(server.base() + "/services.json");
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> codes;
    for (const auto& s : r.json()) {
        codes.insert(s.value("service_code", ""));
    }
    return codes;
}

std::set<std::string> public_codes_xml(const TestServer& server) {
    auto r = server.client().get(server.base() + "/services.xml");
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = r.xml();
    std::set<std::string> codes;
    for (auto s : doc->child("services").children("service")) {
        codes.insert(s.child_value("service_code"));
    }
    return codes;
}

Response create(const TestServer& server, const std::string& body) {
    return staff_call(server, "POST", "/admin/v1/services", server.admin_key, body);
}

/// The audit lines of one action, newest first.
nlohmann::json audit_of(const TestServer& server, const std::string& action) {
    auto r = staff_call(server, "GET", "/admin/v1/audit?action=" + action, server.admin_key);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["audit"];
}

TEST(AdminServices, EveryEndpointNeedsAnAdminKey) {
    TestServer server;
    const std::vector<std::pair<std::string, std::string>> calls = {
        {"GET", "/admin/v1/services"},
        {"GET", "/admin/v1/services/171"},
        {"POST", "/admin/v1/services"},
        {"PATCH", "/admin/v1/services/171"},
        {"DELETE", "/admin/v1/services/171"},
    };
    for (const auto& [method, target] : calls) {
        const std::string body = method == "GET" || method == "DELETE" ? "" : "{}";
        auto none = staff_call(server, method, target, "", body);
        EXPECT_TRUE(has(error_text(none, 401), "admin key")) << method << " " << target;
        EXPECT_EQ(none.header("www-authenticate"), "Bearer") << method << " " << target;
        EXPECT_TRUE(
            has(error_text(staff_call(server, method, target, server.client_key, body), 403),
                "client role"))
            << method << " " << target;
        EXPECT_TRUE(has(error_text(staff_call(server, method, target, server.staff_key, body), 403),
                        "staff role; an admin key is required"))
            << method << " " << target;
        EXPECT_TRUE(
            has(error_text(staff_call(server, method, target, "o311_nope", body), 403), "invalid"))
            << method << " " << target;
    }
    // Nothing was changed by the refused calls.
    EXPECT_TRUE(server.store().find_service("171")->active);
}

TEST(AdminServices, ListIsACatalogueFileWithInactiveServices) {
    TestServer server;
    ASSERT_EQ(staff_call(server, "DELETE", "/admin/v1/services/246", server.admin_key).status, 200);
    auto r = staff_call(server, "GET", "/admin/v1/services", server.admin_key);
    ASSERT_EQ(r.status, 200) << r.body;
    auto services = r.json()["services"];
    ASSERT_EQ(services.size(), 20U);
    bool saw_inactive = false;
    for (const auto& s : services) {
        ASSERT_TRUE(s["active"].is_boolean()) << s.dump();
        if (s["service_code"] == "246") {
            EXPECT_FALSE(s["active"].get<bool>());
            saw_inactive = true;
        }
    }
    EXPECT_TRUE(saw_inactive);
    // One shape for file and API: the answer imports as it is.
    auto reparsed = catalogue::parse_catalogue(r.body);
    EXPECT_EQ(reparsed.size(), 20U);
}

TEST(AdminServices, GetOneAndUnknown) {
    TestServer server;
    auto r = staff_call(server, "GET", "/admin/v1/services/2806.10.4", server.admin_key);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["service_code"], "2806.10.4");
    EXPECT_TRUE(j["active"].get<bool>());
    EXPECT_EQ(j["attributes"][0]["code"], "WASTE_TYPE");
    EXPECT_TRUE(
        has(error_text(staff_call(server, "GET", "/admin/v1/services/9999", server.admin_key), 404),
            "9999"));
}

TEST(AdminServices, CreatedServiceIsPublicAtOnceAndTakesRequests) {
    TestServer server;
    auto r = create(server, kBenches);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("location"), "/admin/v1/services/2806.20");
    auto j = r.json();
    EXPECT_EQ(j["service_code"], "2806.20");
    EXPECT_EQ(j["translations"]["en"]["keywords"], "bench,seat");
    EXPECT_TRUE(public_codes_json(server).count("2806.20"));
    EXPECT_TRUE(public_codes_xml(server).count("2806.20"));

    auto definition = server.client().get(server.base() + "/services/2806.20.json");
    ASSERT_EQ(definition.status, 200) << definition.body;
    EXPECT_EQ(definition.json()["attributes"][0]["code"], "DAMAGE");

    auto id = server.submit({{"service_code", "2806.20"}, {"attribute[DAMAGE]", "2"}});
    EXPECT_EQ(server.store().find_request(id)->service_code, "2806.20");

    auto lines = audit_of(server, "service.create");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0]["actor"], "test-admin");
    EXPECT_EQ(lines[0]["subject"], "2806.20");
    EXPECT_TRUE(lines[0]["request_id"].is_null());
    EXPECT_TRUE(lines[0]["detail"]["before"].is_null());
    EXPECT_EQ(lines[0]["detail"]["after"]["translations"]["fi"]["service_name"], "Penkit");
}

TEST(AdminServices, CreateRefusesATakenCode) {
    TestServer server;
    ASSERT_EQ(create(server, kBenches).status, 201);
    EXPECT_TRUE(has(error_text(create(server, kBenches), 409), "already exists"));
    auto taken = nlohmann::json::parse(kBenches);
    taken["service_code"] = "171";
    EXPECT_TRUE(has(error_text(create(server, taken.dump()), 409), "'171'"));
    EXPECT_EQ(audit_of(server, "service.create").size(), 1U);
}

TEST(AdminServices, CreateNamesTheBadField) {
    TestServer server;
    auto base = nlohmann::json::parse(kBenches);

    auto bad_datatype = base;
    bad_datatype["attributes"].push_back({{"code", "A"}, {"datatype", "string"}, {"order", 2}});
    bad_datatype["attributes"].push_back({{"code", "B"}, {"datatype", "colour"}, {"order", 3}});
    EXPECT_TRUE(has(error_text(create(server, bad_datatype.dump()), 400),
                    "attributes[2].datatype: must be string"));

    auto unknown = base;
    unknown["colour"] = "red";
    EXPECT_TRUE(has(error_text(create(server, unknown.dump()), 400), "colour: unknown field"));

    auto unknown_nested = base;
    unknown_nested["attributes"][0]["requird"] = true;
    EXPECT_TRUE(
        has(error_text(create(server, unknown_nested.dump()), 400), "attributes[0].requird"));

    auto no_name = base;
    no_name["translations"]["fi"].erase("service_name");
    EXPECT_TRUE(has(error_text(create(server, no_name.dump()), 400),
                    "translations.fi.service_name: is required"));

    auto bad_code = base;
    bad_code["service_code"] = "a..b";
    EXPECT_TRUE(has(error_text(create(server, bad_code.dump()), 400), "service_code:"));

    auto bad_value = base;
    bad_value["attributes"][0]["values"][1]["key"] = nullptr;
    EXPECT_TRUE(
        has(error_text(create(server, bad_value.dump()), 400), "attributes[0].values[1].key"));

    EXPECT_TRUE(has(error_text(create(server, "[1, 2]"), 400), "body"));
    EXPECT_TRUE(has(error_text(create(server, "{not json"), 400), "body"));
    EXPECT_FALSE(server.store().find_service("2806.20"));
    EXPECT_TRUE(audit_of(server, "service.").empty());
}

TEST(AdminServices, PatchMergesTopLevelMembers) {
    TestServer server;
    ASSERT_EQ(create(server, kBenches).status, 201);
    auto r = staff_call(server,
                        "PATCH",
                        "/admin/v1/services/2806.20",
                        server.admin_key,
                        R"({"translations": {"en": {"service_name": "Park benches"}}})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    // translations are replaced whole: fi is gone; attributes and type stay.
    EXPECT_EQ(j["translations"].size(), 1U);
    EXPECT_EQ(j["translations"]["en"]["service_name"], "Park benches");
    EXPECT_EQ(j["attributes"].size(), 1U);
    EXPECT_EQ(j["type"], "realtime");

    auto list = server.client().get(server.base() + "/services.json?locale=en").json();
    std::string name;
    for (const auto& s : list) {
        if (s["service_code"] == "2806.20") {
            name = s.value("service_name", "");
        }
    }
    EXPECT_EQ(name, "Park benches");

    r = staff_call(server,
                   "PATCH",
                   "/admin/v1/services/2806.20",
                   server.admin_key,
                   R"({"attributes": null, "type": "batch"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json()["attributes"].empty());
    auto stored = server.store().find_service("2806.20");
    EXPECT_FALSE(stored->metadata());
    EXPECT_EQ(stored->type, ServiceType::batch);

    auto lines = audit_of(server, "service.update");
    ASSERT_EQ(lines.size(), 2U);
    // Newest first; only the members that changed.
    EXPECT_EQ(lines[0]["detail"]["before"]["type"], "realtime");
    EXPECT_EQ(lines[0]["detail"]["after"]["type"], "batch");
    EXPECT_EQ(lines[0]["detail"]["after"]["attributes"], nlohmann::json::array());
    EXPECT_FALSE(lines[0]["detail"]["after"].contains("translations"));
    EXPECT_EQ(lines[1]["detail"]["before"]["translations"]["fi"]["service_name"], "Penkit");

    // The same PATCH again changes nothing and writes no line.
    r = staff_call(
        server, "PATCH", "/admin/v1/services/2806.20", server.admin_key, R"({"type": "batch"})");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(audit_of(server, "service.update").size(), 2U);
}

TEST(AdminServices, PatchRefusesUnknownFieldsAndIds) {
    TestServer server;
    auto target = std::string("/admin/v1/services/171");
    auto text = error_text(
        staff_call(server, "PATCH", target, server.admin_key, R"({"nmae": "x", "colour": 1})"),
        400);
    EXPECT_TRUE(has(text, "nmae: unknown field")) << text;
    EXPECT_TRUE(has(text, "colour: unknown field")) << text;
    EXPECT_TRUE(
        has(error_text(
                staff_call(server, "PATCH", target, server.admin_key, R"({"service_code": "172"})"),
                400),
            "service_code: cannot be changed"));
    EXPECT_TRUE(
        has(error_text(staff_call(server, "PATCH", target, server.admin_key, R"({"active": null})"),
                       400),
            "active: cannot be null"));
    EXPECT_TRUE(
        has(error_text(staff_call(server, "PATCH", target, server.admin_key, R"({"active": "no"})"),
                       400),
            "active: must be true or false"));
    EXPECT_TRUE(has(error_text(staff_call(server,
                                          "PATCH",
                                          target,
                                          server.admin_key,
                                          R"({"attributes": [{"code": "X", "order": 1}]})"),
                               400),
                    "attributes[0].datatype"));
    EXPECT_TRUE(has(error_text(staff_call(server,
                                          "PATCH",
                                          "/admin/v1/services/9999",
                                          server.admin_key,
                                          R"({"active": false})"),
                               404),
                    "no service '9999'"));
    EXPECT_TRUE(server.store().find_service("171")->active);
    EXPECT_TRUE(audit_of(server, "service.").empty());
}

TEST(AdminServices, DeactivatedServiceLeavesThePublicApiButOldRequestsKeepIt) {
    TestServer server;
    const auto old_id = server.submit_published({{"service_code", "171"}});
    ASSERT_TRUE(public_codes_json(server).count("171"));

    auto r = staff_call(server, "DELETE", "/admin/v1/services/171", server.admin_key);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(r.json()["active"].get<bool>());

    EXPECT_FALSE(public_codes_json(server).count("171"));
    EXPECT_FALSE(public_codes_xml(server).count("171"));
    EXPECT_TRUE(public_codes_json(server).count("176"));
    EXPECT_EQ(server.client().get(server.base() + "/services/171.json").status, 404);

    auto refused = server.client().post_form(server.base() + "/requests.json",
                                             form({{"api_key", server.client_key},
                                                   {"service_code", "171"},
                                                   {"lat", "60.1699"},
                                                   {"long", "24.9384"},
                                                   {"description", "Kuoppa tiellä"}}));
    EXPECT_EQ(refused.status, 400) << refused.body;
    auto errors = refused.json();
    ASSERT_TRUE(errors.is_array() && !errors.empty()) << refused.body;
    EXPECT_TRUE(has(errors[0].value("description", ""), "no longer accepts requests"))
        << refused.body;

    auto old = server.client().get(server.base() + "/requests/" + old_id + ".json");
    ASSERT_EQ(old.status, 200) << old.body;
    auto item = old.json();
    if (item.is_array()) {
        ASSERT_EQ(item.size(), 1U);
        item = item[0];
    }
    EXPECT_EQ(item["service_code"], "171");
    EXPECT_FALSE(item.value("service_name", "").empty()) << old.body;

    // Deactivating again is a no-op; one audit line in all.
    EXPECT_EQ(staff_call(server, "DELETE", "/admin/v1/services/171", server.admin_key).status, 200);
    auto lines = audit_of(server, "service.deactivate");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0]["subject"], "171");
    EXPECT_EQ(lines[0]["detail"]["before"]["active"], true);
    EXPECT_EQ(lines[0]["detail"]["after"]["active"], false);

    EXPECT_TRUE(has(
        error_text(staff_call(server, "DELETE", "/admin/v1/services/9999", server.admin_key), 404),
        "9999"));

    // PATCH reactivates.
    r = staff_call(
        server, "PATCH", "/admin/v1/services/171", server.admin_key, R"({"active": true})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(public_codes_xml(server).count("171"));
    EXPECT_FALSE(server.submit({{"service_code", "171"}}).empty());
}

}  // namespace
}  // namespace open311::test

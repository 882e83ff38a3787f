#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

namespace open311::test {

TEST(Smoke, ServicesAnswerInBothFormats) {
    TestServer server;
    auto json = server.client().get(server.base() + "/services.json");
    ASSERT_EQ(json.status, 200);
    EXPECT_EQ(json.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_TRUE(json.json().is_array());
    auto xml = server.client().get(server.base() + "/services.xml");
    ASSERT_EQ(xml.status, 200);
    EXPECT_EQ(xml.header("Content-Type"), "text/xml; charset=utf-8");
    auto doc = xml.xml();
    EXPECT_FALSE(doc->child("services").child("service").empty());
}

}  // namespace open311::test

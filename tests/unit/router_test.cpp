#include "api/core/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace open311::api {
namespace {

Handler answering(int status) {
    return [status](const RequestContext&) {
        HttpResponse r;
        r.status = status;
        return r;
    };
}

int call(const Router::Match& m) {
    HttpRequest http;
    RequestContext ctx{http, format::Format::xml, {}, {}, {}, {}};
    return (*m.handler)(ctx).status;
}

bool allows(const Router::Match& m, Method method) {
    return std::find(m.allowed.begin(), m.allowed.end(), method) != m.allowed.end();
}

Router sample_router() {
    Router r;
    r.add(Method::get, "/services", answering(1));
    r.add(Method::get, "/services/{service_code}", answering(2));
    r.add(Method::post, "/requests", answering(3));
    r.add(Method::get, "/requests", answering(4));
    r.add(Method::get, "/requests/{service_request_id}", answering(5));
    r.add(Method::post, "/admin/v1/requests/{id}/publish", answering(6));
    return r;
}

TEST(Router, MatchesStaticPath) {
    auto r = sample_router();
    auto m = r.match(Method::get, "/services");
    ASSERT_TRUE(m.has_value());
    ASSERT_NE(m->handler, nullptr);
    EXPECT_EQ(call(*m), 1);
    EXPECT_EQ(m->pattern, "/services");
    EXPECT_TRUE(m->params.empty());
}

TEST(Router, ExtractsPathParameter) {
    auto r = sample_router();
    auto m = r.match(Method::get, "/requests/abc123");
    ASSERT_TRUE(m.has_value());
    ASSERT_NE(m->handler, nullptr);
    EXPECT_EQ(call(*m), 5);
    EXPECT_EQ(m->pattern, "/requests/{service_request_id}");
    EXPECT_EQ(m->params.at("service_request_id"), "abc123");
}

TEST(Router, DottedServiceCodeIsOneSegment) {
    auto r = sample_router();
    auto m = r.match(Method::get, "/services/2806.10.2.2");
    ASSERT_TRUE(m.has_value());
    ASSERT_NE(m->handler, nullptr);
    EXPECT_EQ(call(*m), 2);
    EXPECT_EQ(m->params.at("service_code"), "2806.10.2.2");
}

TEST(Router, ParameterInTheMiddle) {
    auto r = sample_router();
    auto m = r.match(Method::post, "/admin/v1/requests/r-9/publish");
    ASSERT_TRUE(m.has_value());
    ASSERT_NE(m->handler, nullptr);
    EXPECT_EQ(call(*m), 6);
    EXPECT_EQ(m->params.at("id"), "r-9");
}

TEST(Router, SamePathDifferentMethodsPickTheRightHandler) {
    auto r = sample_router();
    auto get = r.match(Method::get, "/requests");
    auto post = r.match(Method::post, "/requests");
    ASSERT_TRUE(get && post && get->handler && post->handler);
    EXPECT_EQ(call(*get), 4);
    EXPECT_EQ(call(*post), 3);
    EXPECT_TRUE(allows(*get, Method::get));
    EXPECT_TRUE(allows(*get, Method::post));
}

TEST(Router, WrongMethodGivesMatchWithoutHandler) {
    auto r = sample_router();
    auto m = r.match(Method::delete_, "/requests/abc");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->handler, nullptr);
    EXPECT_EQ(m->allowed, std::vector<Method>{Method::get});
}

TEST(Router, PostOnReadOnlyResourceListsAllowedMethods) {
    auto r = sample_router();
    auto m = r.match(Method::post, "/services");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->handler, nullptr);
    EXPECT_TRUE(allows(*m, Method::get));
    EXPECT_FALSE(allows(*m, Method::post));
}

TEST(Router, HeadUsesGetHandler) {
    auto r = sample_router();
    auto m = r.match(Method::head, "/services");
    ASSERT_TRUE(m.has_value());
    ASSERT_NE(m->handler, nullptr);
    EXPECT_EQ(call(*m), 1);
}

TEST(Router, UnknownPathIsNullopt) {
    auto r = sample_router();
    EXPECT_FALSE(r.match(Method::get, "/nothing").has_value());
    EXPECT_FALSE(r.match(Method::get, "/services/171/extra").has_value());
    EXPECT_FALSE(r.match(Method::get, "/").has_value());
    EXPECT_FALSE(r.match(Method::get, "/admin/v1/requests/x/explode").has_value());
}

TEST(Router, LiteralSegmentsMustMatchExactly) {
    auto r = sample_router();
    EXPECT_FALSE(r.match(Method::get, "/Services").has_value());
    EXPECT_FALSE(r.match(Method::get, "/servicesx").has_value());
}

TEST(Router, SplitPathDropsEmptySegments) {
    EXPECT_EQ(split_path("/a/b/c"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(split_path("/services/2806.10.2.2"),
              (std::vector<std::string>{"services", "2806.10.2.2"}));
    EXPECT_TRUE(split_path("/").empty());
    EXPECT_TRUE(split_path("").empty());
}

}  // namespace
}  // namespace open311::api

namespace open311::api {
namespace {

TEST(Router, AMemoryAnswerBelongsToItsRouteOnly) {
    auto r = sample_router();
    r.add_memory_answer(Method::get, "/requests", [](const RequestContext&) {
        HttpResponse cached;
        cached.status = 40;
        return std::optional<HttpResponse>(cached);
    });
    auto list = r.match(Method::get, "/requests");
    ASSERT_TRUE(list && list->memory_answer != nullptr);
    HttpRequest http;
    RequestContext ctx{http, format::Format::xml, {}, {}, {}, {}};
    EXPECT_EQ((*list->memory_answer)(ctx)->status, 40);
    EXPECT_EQ(call(*list), 4);  // the handler is still the one that reads the store
    // HEAD takes the GET route's answer; other methods and routes have none.
    auto head = r.match(Method::head, "/requests");
    EXPECT_TRUE(head && head->memory_answer != nullptr);
    auto post = r.match(Method::post, "/requests");
    EXPECT_TRUE(post && post->memory_answer == nullptr);
    auto one = r.match(Method::get, "/requests/abc");
    EXPECT_TRUE(one && one->memory_answer == nullptr);
    EXPECT_THROW(r.add_memory_answer(Method::get, "/nowhere", {}), std::logic_error);
}

}  // namespace
}  // namespace open311::api

// JSONP callback validation (docs/initiatives.md, "JSONP").
#include "initiatives/jsonp.hpp"

#include <gtest/gtest.h>

#include <string>

namespace open311::initiatives {
namespace {

TEST(JsonpCallback, AcceptsIdentifierPathsInAnyScript) {
    for (const std::string name : {
             "myCallback",
             "a.b",
             "fns[42].method",
             "_",
             "$",
             "$.fn",
             "jQuery1830_1352",
             "a[0][1]",
             "a.b[3].c$9",
             "ääkkönen",
             "Åbo.öppna",
             "функция",
             "回调",
             "καλώ",
             "x.y.z",
             "callback_1",
         }) {
        EXPECT_TRUE(valid_jsonp_callback(name)) << name;
    }
}

TEST(JsonpCallback, RefusesAnythingElse) {
    for (const std::string name : {
             "",      "alert()",  "a-b",   "23foo",  "a[]",   "$.if",   "synchronized", "a..b",
             ".a",    "a.",       "a b",   "a;b",    "a[1]b", "a[x]",   "a[1",          "[1]",
             "if",    "a.if.b",   "new.a", "a.true", "a\nb",  "a<b>",   "a(",           "\xff",
             "a\xc3", "<script>", "a.0",   "0",      "a[-1]", "a/*x*/", "a+b",
         }) {
        EXPECT_FALSE(valid_jsonp_callback(name)) << name;
    }
    EXPECT_TRUE(valid_jsonp_callback(std::string(kMaxCallbackBytes, 'a')));
    EXPECT_FALSE(valid_jsonp_callback(std::string(kMaxCallbackBytes + 1, 'a')));
}

TEST(JsonpCallback, RefusesNonLetterCharactersOutsideAscii) {
    // Punctuation and symbols of other scripts are not letters.
    for (const std::string name : {"a\u2028b", "a\u00a0", "a\u00d7b", "\u00bfa", "a\u3002b"}) {
        EXPECT_FALSE(valid_jsonp_callback(name)) << name;
    }
}

}  // namespace
}  // namespace open311::initiatives

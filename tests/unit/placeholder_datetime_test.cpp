#include "format/datetime.hpp"

#include <gtest/gtest.h>

namespace open311::format {

TEST(Datetime, FormatsUtcWithZ) { EXPECT_EQ(to_w3c(0), "1970-01-01T00:00:00Z"); }

}  // namespace open311::format

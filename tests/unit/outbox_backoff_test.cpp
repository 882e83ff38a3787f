#include "mail/outbox_sender.hpp"

#include <gtest/gtest.h>

namespace open311::mail {
namespace {

using std::chrono::seconds;

TEST(OutboxBackoff, DoublesFromInitialUpToMax) {
    MailSettings s;
    s.retry_initial = seconds(60);
    s.retry_max = seconds(600);
    EXPECT_EQ(retry_delay(s, 1), seconds(60));
    EXPECT_EQ(retry_delay(s, 2), seconds(120));
    EXPECT_EQ(retry_delay(s, 3), seconds(240));
    EXPECT_EQ(retry_delay(s, 4), seconds(480));
    EXPECT_EQ(retry_delay(s, 5), seconds(600));
    EXPECT_EQ(retry_delay(s, 1000), seconds(600)) << "no overflow after many attempts";
}

TEST(OutboxBackoff, ZeroAttemptsStillWaitsTheInitialDelay) {
    MailSettings s;
    s.retry_initial = seconds(5);
    s.retry_max = seconds(5);
    EXPECT_EQ(retry_delay(s, 0), seconds(5));
    EXPECT_EQ(retry_delay(s, 3), seconds(5));
}

}  // namespace
}  // namespace open311::mail

// [moderation]: what a new request is on arrival.
#include "config/settings.hpp"

namespace open311::config {

void add_moderation_settings(SettingTable& table) {
    table.insert({
        {"moderation.new_requests",
         one_of<NewRequests>(
             {{"pending", NewRequests::pending}, {"published", NewRequests::published}},
             &Config::new_requests)},
    });
}

}  // namespace open311::config

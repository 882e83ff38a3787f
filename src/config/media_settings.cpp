// [media]: where uploaded files live, how many and how large, how they are linked and cached.
#include "config/settings.hpp"

namespace open311::config {

void add_media_settings(SettingTable& table) {
    using Size = std::size_t;
    table.insert({
        {"media.dir", path_text("expected a directory path", &Config::media_dir)},
        {"media.max_files", whole_number<Size>(0, 100, &Config::media_max_files)},
        {"media.max_total_bytes",
         whole_number<Size>(1, Size{1} << 34, &Config::media_max_total_bytes)},
        {"media.public_url", base_url(&Config::media_public_url)},
        {"media.max_age_seconds", whole_number(0U, 31536000U, &Config::media_max_age_seconds)},
    });
}

}  // namespace open311::config

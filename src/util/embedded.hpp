#pragma once

#include <string_view>
#include <vector>

namespace open311 {

/// A file compiled into the binary (see cmake/EmbedFiles.cmake).
struct EmbeddedFile {
    std::string_view name;
    std::string_view content;
};

/// migrations/*.sql, in file-name order.
std::vector<EmbeddedFile> embedded_migrations();
/// migrations/postgresql/*.sql, in file-name order (PostgreSQL's own version sequence).
std::vector<EmbeddedFile> embedded_postgres_migrations();
/// config/demo-services.json.
std::vector<EmbeddedFile> embedded_demo_catalogue();
/// config/mail/*.txt: the notification templates.
std::vector<EmbeddedFile> embedded_mail_templates();

}  // namespace open311

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
/// src/web/templates/*.mustache: the staff console's pages.
std::vector<EmbeddedFile> embedded_console_templates();
/// src/web/i18n/*.json: the staff console's texts per language.
std::vector<EmbeddedFile> embedded_console_messages();
/// The staff console's scripts, styles and images (Leaflet from libjs-leaflet, htmx vendored).
std::vector<EmbeddedFile> embedded_console_assets();
/// src/api/openapi/document/*.json: the static part of the OpenAPI description.
std::vector<EmbeddedFile> embedded_openapi_document();
/// src/api/openapi/page/*: the API reference page under /docs/.
std::vector<EmbeddedFile> embedded_docs_page();

}  // namespace open311

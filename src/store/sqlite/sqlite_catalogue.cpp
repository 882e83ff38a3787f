// SqliteStore: the service catalogue. The catalogue is small and read by almost every
// request, so it is cached in memory and reloaded only when its revision row changes
// (an import by another process bumps it, so no restart is needed).
#include "store/sqlite/sqlite_audit.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace open311::store {
namespace {

constexpr std::string_view kRevisionSql = R"sql(
    SELECT revision
    FROM catalogue_revision
    WHERE id = 1)sql";
constexpr std::string_view kBumpRevisionSql = R"sql(
    UPDATE catalogue_revision
    SET revision = revision + 1
    WHERE id = 1)sql";
constexpr std::string_view kServicesSql = R"sql(
    SELECT code, type, active
    FROM services
    ORDER BY code)sql";
constexpr std::string_view kTranslationsSql = R"sql(
    SELECT service_code, locale, name, description, keywords, group_name
    FROM service_translations
    ORDER BY service_code, locale)sql";
constexpr std::string_view kAttributesSql = R"sql(
    SELECT service_code, code, variable, datatype, required, datatype_description, sort_order,
        description, automated
    FROM service_attributes
    ORDER BY service_code, sort_order, code)sql";
constexpr std::string_view kValuesSql = R"sql(
    SELECT service_code, attribute_code, key, name
    FROM service_attribute_values
    ORDER BY service_code, attribute_code, sort_order, key)sql";
constexpr std::string_view kServiceExistsSql = R"sql(
    SELECT 1
    FROM services
    WHERE code = ?)sql";
constexpr std::string_view kCountServicesSql = R"sql(
    SELECT COUNT(*)
    FROM services)sql";
constexpr std::string_view kUpsertServiceSql = R"sql(
    INSERT INTO services (code, type, active, created_at, updated_at)
    VALUES (?, ?, ?, strftime('%s', 'now'), strftime('%s', 'now'))
    ON CONFLICT (code) DO UPDATE
    SET type = excluded.type, active = excluded.active, updated_at = excluded.updated_at)sql";
constexpr std::string_view kDeleteTranslationsSql = R"sql(
    DELETE FROM service_translations
    WHERE service_code = ?)sql";
constexpr std::string_view kDeleteAttributesSql = R"sql(
    DELETE FROM service_attributes
    WHERE service_code = ?)sql";
constexpr std::string_view kInsertTranslationSql = R"sql(
    INSERT INTO service_translations (service_code, locale, name, description, keywords,
        group_name)
    VALUES (?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kInsertAttributeSql = R"sql(
    INSERT INTO service_attributes (service_code, code, variable, datatype, required,
        datatype_description, sort_order, description, automated)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kInsertValueSql = R"sql(
    INSERT INTO service_attribute_values (service_code, attribute_code, key, sort_order, name)
    VALUES (?, ?, ?, ?, ?))sql";

LocalizedText parse_localized(const std::string& json_text) {
    LocalizedText out;
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_object()) {
        for (const auto& [locale, text] : j.items()) {
            if (text.is_string()) {
                out[locale] = text.get<std::string>();
            }
        }
    }
    return out;
}

std::string dump_localized(const LocalizedText& text) {
    return nlohmann::json(text).dump();
}

Service read_service(Statement& s) {
    Service svc;
    svc.code = s.text(0);
    svc.type = service_type_from(s.text(1)).value_or(ServiceType::realtime);
    svc.active = s.int64(2) != 0;
    return svc;
}

Attribute read_attribute(Statement& s) {
    Attribute a;
    a.code = s.text(1);
    a.variable = s.int64(2) != 0;
    a.datatype = datatype_from(s.text(3)).value_or(Datatype::string);
    a.required = s.int64(4) != 0;
    a.datatype_description = parse_localized(s.text(5));
    a.order = static_cast<int>(s.int64(6));
    a.description = parse_localized(s.text(7));
    a.automated = s.text(8);
    return a;
}

std::vector<Service> load_catalogue(Database& db) {
    std::vector<Service> services = db.all(kServicesSql, read_service);
    // Services are sorted by code, so each child row finds its service by binary search.
    auto find = [&services](const std::string& code) -> Service* {
        auto it = std::lower_bound(
            services.begin(), services.end(), code, [](const Service& s, const std::string& c) {
                return s.code < c;
            });
        return it != services.end() && it->code == code ? &*it : nullptr;
    };
    db.each(kTranslationsSql, [&](Statement& s) {
        if (auto* svc = find(s.text(0))) {
            svc->translations[s.text(1)] =
                ServiceTranslation{s.text(2), s.text(3), s.text(4), s.text(5)};
        }
    });
    db.each(kAttributesSql, [&](Statement& s) {
        if (auto* svc = find(s.text(0))) {
            svc->attributes.push_back(read_attribute(s));
        }
    });
    db.each(kValuesSql, [&](Statement& s) {
        if (auto* svc = find(s.text(0))) {
            const std::string attribute_code = s.text(1);
            for (auto& a : svc->attributes) {
                if (a.code == attribute_code) {
                    a.values.push_back(AttributeValue{s.text(2), parse_localized(s.text(3))});
                }
            }
        }
    });
    return services;
}

/// Inserts or replaces one service with its translations and attributes; the caller holds the
/// writer and a transaction.
void write_service(Database& db, const Service& svc) {
    db.run(kUpsertServiceSql, svc.code, to_string(svc.type), svc.active ? 1 : 0);
    db.run(kDeleteTranslationsSql, svc.code);
    db.run(kDeleteAttributesSql, svc.code);
    for (const auto& [locale, t] : svc.translations) {
        db.run(kInsertTranslationSql, svc.code, locale, t.name, t.description, t.keywords, t.group);
    }
    for (const auto& a : svc.attributes) {
        db.run(kInsertAttributeSql,
               svc.code,
               a.code,
               a.variable ? 1 : 0,
               to_string(a.datatype),
               a.required ? 1 : 0,
               dump_localized(a.datatype_description),
               a.order,
               dump_localized(a.description),
               a.automated);
        int order = 0;
        for (const auto& v : a.values) {
            db.run(kInsertValueSql, svc.code, a.code, v.key, ++order, dump_localized(v.name));
        }
    }
}

bool service_exists(Database& db, const std::string& code) {
    return db.first(kServiceExistsSql, read_int64, code).has_value();
}

std::int64_t steady_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::shared_ptr<const std::vector<Service>> SqliteStore::catalogue(Database& db) {
    // Trusted until then; set before the revision is read, so that a write through this
    // store, which resets it after its commit, is never hidden by a read that began earlier.
    catalogue_check_after_ = steady_millis() + kCatalogueRecheckMillis;
    const std::int64_t revision = db.first(kRevisionSql, read_int64).value_or(0);
    std::lock_guard lock(catalogue_mutex_);
    if (!catalogue_ || revision != catalogue_revision_) {
        catalogue_ = std::make_shared<const std::vector<Service>>(load_catalogue(db));
        catalogue_revision_ = revision;
    }
    return catalogue_;
}

std::shared_ptr<const std::vector<Service>> SqliteStore::catalogue_snapshot() {
    // Almost every request reads the catalogue: no query while the cached one is trusted.
    if (steady_millis() < catalogue_check_after_.load(std::memory_order_relaxed)) {
        std::lock_guard lock(catalogue_mutex_);
        if (catalogue_) {
            return catalogue_;
        }
    }
    auto db = reader();
    return catalogue(*db);
}

std::vector<Service> SqliteStore::list_services(bool include_inactive) {
    auto db = reader();
    auto all = catalogue(*db);
    std::vector<Service> out;
    out.reserve(all->size());
    for (const auto& s : *all) {
        if (include_inactive || s.active) {
            out.push_back(s);
        }
    }
    return out;
}

std::optional<Service> SqliteStore::find_service(const std::string& code) {
    auto db = reader();
    auto all = catalogue(*db);
    auto it = std::lower_bound(
        all->begin(), all->end(), code, [](const Service& s, const std::string& c) {
            return s.code < c;
        });
    if (it == all->end() || it->code != code) {
        return std::nullopt;
    }
    return *it;
}

std::int64_t SqliteStore::count_services() {
    return reader()->first(kCountServicesSql, read_int64).value_or(0);
}

void SqliteStore::upsert_services(const std::vector<Service>& services) {
    write([&services](Database& db) {
        for (const auto& svc : services) {
            write_service(db, svc);
        }
        db.run(kBumpRevisionSql);
    });
    catalogue_check_after_ = 0;  // this process sees its own change at once
}

SaveOutcome SqliteStore::create_service(const Service& service, const AuditEntry& audit) {
    return save_service(service, audit, SaveOutcome::exists);
}

SaveOutcome SqliteStore::update_service(const Service& service, const AuditEntry& audit) {
    return save_service(service, audit, SaveOutcome::not_found);
}

SaveOutcome SqliteStore::save_service(const Service& service,
                                      const AuditEntry& audit,
                                      SaveOutcome refused) {
    // A create is refused when the code exists, an update when it does not.
    const bool must_exist = refused == SaveOutcome::not_found;
    auto outcome = SaveOutcome::applied;
    write([&](Database& db) {
        if (service_exists(db, service.code) != must_exist) {
            outcome = refused;
            return;
        }
        write_service(db, service);
        insert_audit(db, audit);
        db.run(kBumpRevisionSql);
    });
    catalogue_check_after_ = 0;  // this process sees its own change at once
    return outcome;
}

}  // namespace open311::store

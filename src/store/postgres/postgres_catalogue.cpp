// PostgresStore: the service catalogue. It is small and read by almost every request, so it is
// cached in memory and reloaded only when its revision row changes; another server's change is
// heard through the listener at once, and seen within kCatalogueRecheckMillis in any case.
#include "store/postgres/postgres_audit.hpp"
#include "store/postgres/postgres_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace open311::store::pg {
namespace {

constexpr std::string_view kRevisionSql = R"sql(
    SELECT revision
    FROM catalogue_revision
    WHERE id = 1)sql";
constexpr std::string_view kBumpRevisionSql = R"sql(
    UPDATE catalogue_revision
    SET revision = revision + 1
    WHERE id = 1)sql";
constexpr std::string_view kLockRevisionSql = R"sql(
    SELECT revision
    FROM catalogue_revision
    WHERE id = 1
    FOR UPDATE)sql";
constexpr std::string_view kServicesSql = R"sql(
    SELECT code, type, active
    FROM services
    ORDER BY code COLLATE "C")sql";
constexpr std::string_view kTranslationsSql = R"sql(
    SELECT service_code, locale, name, description, keywords, group_name
    FROM service_translations)sql";
constexpr std::string_view kAttributesSql = R"sql(
    SELECT service_code, code, variable, datatype, required, datatype_description, sort_order,
        description, automated
    FROM service_attributes
    ORDER BY service_code, sort_order, code COLLATE "C")sql";
constexpr std::string_view kValuesSql = R"sql(
    SELECT service_code, attribute_code, key, name
    FROM service_attribute_values
    ORDER BY service_code, attribute_code, sort_order, key COLLATE "C")sql";
constexpr std::string_view kServiceExistsSql = R"sql(
    SELECT 1
    FROM services
    WHERE code = $1)sql";
constexpr std::string_view kCountServicesSql = R"sql(
    SELECT COUNT(*)
    FROM services)sql";
constexpr std::string_view kUpsertServiceSql = R"sql(
    INSERT INTO services (code, type, active, created_at, updated_at)
    VALUES ($1, $2, $3, EXTRACT(EPOCH FROM now())::BIGINT, EXTRACT(EPOCH FROM now())::BIGINT)
    ON CONFLICT (code) DO UPDATE
    SET type = excluded.type, active = excluded.active, updated_at = excluded.updated_at)sql";
constexpr std::string_view kDeleteTranslationsSql = R"sql(
    DELETE FROM service_translations
    WHERE service_code = $1)sql";
constexpr std::string_view kDeleteAttributesSql = R"sql(
    DELETE FROM service_attributes
    WHERE service_code = $1)sql";
constexpr std::string_view kInsertTranslationSql = R"sql(
    INSERT INTO service_translations (service_code, locale, name, description, keywords,
        group_name)
    VALUES ($1, $2, $3, $4, $5, $6))sql";
constexpr std::string_view kInsertAttributeSql = R"sql(
    INSERT INTO service_attributes (service_code, code, variable, datatype, required,
        datatype_description, sort_order, description, automated)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql";
constexpr std::string_view kInsertValueSql = R"sql(
    INSERT INTO service_attribute_values (service_code, attribute_code, key, sort_order, name)
    VALUES ($1, $2, $3, $4, $5))sql";

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

Service read_service(const pg::Row& r) {
    Service svc;
    svc.code = r.text(0);
    svc.type = service_type_from(r.text(1)).value_or(ServiceType::realtime);
    svc.active = r.boolean(2);
    return svc;
}

Attribute read_attribute(const pg::Row& r) {
    Attribute a;
    a.code = r.text(1);
    a.variable = r.boolean(2);
    a.datatype = datatype_from(r.text(3)).value_or(Datatype::string);
    a.required = r.boolean(4);
    a.datatype_description = parse_localized(r.text(5));
    a.order = static_cast<int>(r.int64(6));
    a.description = parse_localized(r.text(7));
    a.automated = r.text(8);
    return a;
}

/// The whole catalogue in one snapshot (the caller's REPEATABLE READ transaction). Codes are
/// ordered bytewise (COLLATE "C"), as SQLite orders them, whatever the database's collation.
std::vector<Service> load_catalogue(pg::Connection& c) {
    std::vector<Service> services = c.all(kServicesSql, read_service);
    auto find = [&services](const std::string& code) -> Service* {
        auto it = std::lower_bound(
            services.begin(), services.end(), code, [](const Service& s, const std::string& k) {
                return s.code < k;
            });
        return it != services.end() && it->code == code ? &*it : nullptr;
    };
    const pg::Result translations = c.query(kTranslationsSql, {});
    for (int i = 0; i < translations.rows(); ++i) {
        const auto r = translations.row(i);
        if (auto* svc = find(r.text(0))) {
            svc->translations[r.text(1)] =
                ServiceTranslation{r.text(2), r.text(3), r.text(4), r.text(5)};
        }
    }
    const pg::Result attributes = c.query(kAttributesSql, {});
    for (int i = 0; i < attributes.rows(); ++i) {
        const auto r = attributes.row(i);
        if (auto* svc = find(r.text(0))) {
            svc->attributes.push_back(read_attribute(r));
        }
    }
    const pg::Result values = c.query(kValuesSql, {});
    for (int i = 0; i < values.rows(); ++i) {
        const auto r = values.row(i);
        if (auto* svc = find(r.text(0))) {
            const std::string attribute_code = r.text(1);
            for (auto& a : svc->attributes) {
                if (a.code == attribute_code) {
                    a.values.push_back(AttributeValue{r.text(2), parse_localized(r.text(3))});
                }
            }
        }
    }
    return services;
}

/// Inserts or replaces one service with its translations and attributes, inside the caller's
/// transaction.
void write_service(pg::Connection& c, const Service& svc) {
    c.run(kUpsertServiceSql, svc.code, to_string(svc.type), svc.active);
    c.run(kDeleteTranslationsSql, svc.code);
    c.run(kDeleteAttributesSql, svc.code);
    for (const auto& [locale, t] : svc.translations) {
        c.run(kInsertTranslationSql, svc.code, locale, t.name, t.description, t.keywords, t.group);
    }
    for (const auto& a : svc.attributes) {
        c.run(kInsertAttributeSql,
              svc.code,
              a.code,
              a.variable,
              to_string(a.datatype),
              a.required,
              dump_localized(a.datatype_description),
              a.order,
              dump_localized(a.description),
              a.automated);
        int order = 0;
        for (const auto& v : a.values) {
            c.run(kInsertValueSql, svc.code, a.code, v.key, ++order, dump_localized(v.name));
        }
    }
}

std::int64_t steady_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::shared_ptr<const std::vector<Service>> PostgresStore::catalogue(pg::Connection& c) {
    // Trusted until then; set before the revision is read, so that a change heard meanwhile
    // (which resets it) is never hidden by a read that began earlier.
    catalogue_check_after_ = steady_millis() + kCatalogueRecheckMillis;
    pg::Transaction snapshot(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const std::int64_t revision = c.first(kRevisionSql, pg::read_int64).value_or(0);
    {
        std::lock_guard lock(catalogue_mutex_);
        if (catalogue_ && revision == catalogue_revision_) {
            snapshot.commit();
            return catalogue_;
        }
    }
    auto loaded = std::make_shared<const std::vector<Service>>(load_catalogue(c));
    snapshot.commit();
    std::lock_guard lock(catalogue_mutex_);
    if (!catalogue_ || revision >= catalogue_revision_) {
        catalogue_ = std::move(loaded);
        catalogue_revision_ = revision;
    }
    return catalogue_;
}

std::shared_ptr<const std::vector<Service>> PostgresStore::catalogue_snapshot() {
    if (steady_millis() < catalogue_check_after_.load(std::memory_order_relaxed)) {
        std::lock_guard lock(catalogue_mutex_);
        if (catalogue_) {
            return catalogue_;
        }
    }
    return read([this](pg::Connection& c) { return catalogue(c); });
}

std::shared_ptr<const std::vector<Service>> PostgresStore::catalogue_in_memory() {
    if (steady_millis() < catalogue_check_after_.load(std::memory_order_relaxed)) {
        std::lock_guard lock(catalogue_mutex_);
        return catalogue_;
    }
    return nullptr;  // its revision row must be read again first
}

std::vector<Service> PostgresStore::list_services(bool include_inactive) {
    auto all = read([this](pg::Connection& c) { return catalogue(c); });
    std::vector<Service> out;
    out.reserve(all->size());
    for (const auto& s : *all) {
        if (include_inactive || s.active) {
            out.push_back(s);
        }
    }
    return out;
}

std::optional<Service> PostgresStore::find_service(const std::string& code) {
    auto all = read([this](pg::Connection& c) { return catalogue(c); });
    auto it = std::lower_bound(
        all->begin(), all->end(), code, [](const Service& s, const std::string& k) {
            return s.code < k;
        });
    if (it == all->end() || it->code != code) {
        return std::nullopt;
    }
    return *it;
}

std::int64_t PostgresStore::count_services() {
    return read(
        [](pg::Connection& c) { return c.first(kCountServicesSql, pg::read_int64).value_or(0); });
}

void PostgresStore::upsert_services(const std::vector<Service>& services) {
    write(
        [&services](pg::Connection& c) {
            for (const auto& svc : services) {
                write_service(c, svc);
            }
            c.run(kBumpRevisionSql);
        },
        kCatalogue);
}

SaveOutcome PostgresStore::create_service(const Service& service, const AuditEntry& audit) {
    return save_service(service, audit, SaveOutcome::exists);
}

SaveOutcome PostgresStore::update_service(const Service& service, const AuditEntry& audit) {
    return save_service(service, audit, SaveOutcome::not_found);
}

SaveOutcome PostgresStore::save_service(const Service& service,
                                        const AuditEntry& audit,
                                        SaveOutcome refused) {
    // A create is refused when the code exists, an update when it does not. The revision row
    // is locked first (FOR UPDATE): concurrent catalogue changes then run one after the other, and
    // a create racing another create of the same code sees it.
    const bool must_exist = refused == SaveOutcome::not_found;
    auto outcome = SaveOutcome::applied;
    write(
        [&](pg::Connection& c) {
            outcome = SaveOutcome::applied;
            c.run(kLockRevisionSql);
            const bool exists =
                c.first(kServiceExistsSql, pg::read_int64, service.code).has_value();
            if (exists != must_exist) {
                outcome = refused;
                return;
            }
            write_service(c, service);
            c.run(kBumpRevisionSql);
            pg::insert_audit(c, audit);
        },
        kCatalogue);
    return outcome;
}

}  // namespace open311::store::pg

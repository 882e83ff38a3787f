#pragma once

#include "open311/domain/staff_user.hpp"
#include "open311/domain/workflow.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace open311 {

/// Staff console accounts, their sessions and failed sign-ins. Sessions live here (not in
/// memory) so that several server instances can share them.
class StaffStore {
public:
    virtual ~StaffStore() = default;

    /// Stores a new user with its audit line; false (and nothing written) when the name is
    /// taken.
    virtual bool insert_user(const StaffUser& user, const AuditEntry& audit) = 0;
    /// Every user (disabled ones included) ordered by name.
    virtual std::vector<StaffUser> list_users() = 0;
    virtual std::optional<StaffUser> find_user(const std::string& name) = 0;
    /// Replaces a user's password hash and ends every session of that user, with the audit
    /// line; false when no user has that name.
    virtual bool set_user_password(const std::string& name,
                                   const std::string& password_hash,
                                   const AuditEntry& audit) = 0;
    /// Disables an enabled user and ends every session of that user, with the audit line;
    /// false (nothing written) when no enabled user has that name.
    virtual bool disable_user(const std::string& name, Timestamp at, const AuditEntry& audit) = 0;
    /// Sets the console language of a user ("" follows the browser); false when unknown.
    virtual bool set_user_language(const std::string& name, const std::string& language) = 0;

    /// Stores a new session.
    virtual void insert_session(const StaffSession& session) = 0;
    /// The session with this token hash, whatever its age (the caller checks the lifetimes).
    virtual std::optional<StaffSession> find_session(const std::string& token_hash) = 0;
    /// Records activity on a session (the idle timeout counts from here).
    virtual void touch_session(const std::string& token_hash, Timestamp at) = 0;
    /// Ends a session; false when there was none.
    virtual bool delete_session(const std::string& token_hash) = 0;
    /// Deletes sessions idle since before `idle_before` or created before `created_before`;
    /// returns how many.
    virtual std::int64_t purge_sessions(Timestamp idle_before, Timestamp created_before) = 0;

    /// Records one failed sign-in under `key` (an account or an address, as the caller names
    /// them).
    virtual void record_login_failure(const std::string& key, Timestamp at) = 0;
    /// Failed sign-ins recorded under `key` at or after `since`.
    virtual std::int64_t count_login_failures(const std::string& key, Timestamp since) = 0;
    /// Forgets the failures under `key` (after a successful sign-in).
    virtual void clear_login_failures(const std::string& key) = 0;
    /// Deletes failures older than `before`; returns how many.
    virtual std::int64_t purge_login_failures(Timestamp before) = 0;
};

}  // namespace open311

#pragma once

#include "open311/domain/api_key.hpp"
#include "open311/domain/workflow.hpp"

#include <optional>
#include <string>
#include <vector>

namespace open311 {

/// API keys, stored by the hash of their secret.
class KeyStore {
public:
    virtual ~KeyStore() = default;

    /// Stores a key by the hash of its secret; false when the name is taken.
    virtual bool insert_key(const ApiKey& key, const std::string& secret_hash) = 0;
    /// Every key (revoked ones included) ordered by name.
    virtual std::vector<ApiKey> list_keys() = 0;
    /// Marks a key revoked; false when no live key has that name.
    virtual bool revoke_key(const std::string& name, Timestamp at) = 0;
    /// insert_key with its audit line, in one transaction (nothing is written when it fails).
    virtual bool insert_key_audited(const ApiKey& key,
                                    const std::string& secret_hash,
                                    const AuditEntry& audit) = 0;
    /// revoke_key with its audit line, in one transaction (nothing is written when it fails).
    virtual bool revoke_key_audited(const std::string& name,
                                    Timestamp at,
                                    const AuditEntry& audit) = 0;
    /// The key (live or not: the caller checks) whose secret has this hash.
    virtual std::optional<ApiKey> find_key_by_hash(const std::string& secret_hash) = 0;
};

}  // namespace open311

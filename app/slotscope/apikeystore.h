#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace SlotScope {

/// What a keyring request came to.
struct KeyringResult
{
    enum class Status {
        Ok,          ///< done; `key` holds the key for a read
        NotFound,    ///< no key stored for the target
        Unavailable, ///< the keyring cannot be used: no D-Bus session, no Secret Service, access refused, …
        Failed,      ///< the service could not delete an existing entry
    };
    Status status = Status::Failed;
    QString key;     ///< read only; never logged
    QString message; ///< the keyring's own words (for Unavailable / Failed), never containing the key
};

/// API keys per target URL in the system keyring through QtKeychain
/// (Secret Service via libsecret on Linux: GNOME Keyring, KWallet ≥ 5.97, KeePassXC).
/// The entry is service "SlotScope", key "api-key:<control URL>" with the URL
/// normalised by backtestWsUrl(), so "host" and "wss://host/backtest" share it.
/// QtKeychain's plain-text fallback is never enabled: without a keyring
/// service a request ends Unavailable and nothing is written anywhere.
///
/// Requests are asynchronous; `done` runs on the calling thread, unless
/// `context` was destroyed first (then never).
class ApiKeyStore
{
public:
    using Callback = std::function<void(const KeyringResult &)>;

    static void read(const QString &target, QObject *context, Callback done);
    static void write(const QString &target, const QString &key, QObject *context, Callback done);
    static void remove(const QString &target, QObject *context, Callback done);

    /// The keyring entry name for `target` (no secret in it).
    static QString entryName(const QString &target);
    /// The keyring service name every entry is stored under.
    static QString serviceName();
};

} // namespace SlotScope

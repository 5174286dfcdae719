#include "apikeystore.h"

#include "protocol/urls.h"

#include <qt6keychain/keychain.h>

#include <QPointer>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

KeyringResult resultOf(const QKeychain::Job *job)
{
    KeyringResult result;
    switch (job->error()) {
    case QKeychain::NoError:
        result.status = KeyringResult::Status::Ok;
        break;
    case QKeychain::EntryNotFound:
        result.status = KeyringResult::Status::NotFound;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::OtherError:
        // libsecret reports a missing Secret Service (no D-Bus session, no
        // org.freedesktop.secrets, "Could not connect") as OtherError: to the
        // user every one of these means the keyring cannot be used now.
        result.status = KeyringResult::Status::Unavailable;
        break;
    case QKeychain::CouldNotDeleteEntry:
        result.status = KeyringResult::Status::Failed;
        break;
    }
    if (result.status != KeyringResult::Status::Ok)
        result.message = job->errorString();
    return result;
}

void run(QKeychain::Job *job, const QString &target, QObject *context, ApiKeyStore::Callback done,
         std::function<void(KeyringResult &)> fill = {})
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file, whatever QtKeychain's default
    job->setKey(ApiKeyStore::entryName(target));
    QPointer<QObject> guard = context;
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [guard, done = std::move(done), fill = std::move(fill)](QKeychain::Job *finished) {
                         KeyringResult result = resultOf(finished);
                         if (fill && result.status == KeyringResult::Status::Ok)
                             fill(result);
                         if (guard && done)
                             done(result);
                     });
    job->start();
}

} // namespace

QString ApiKeyStore::serviceName()
{
    return u"SlotScope"_s;
}

QString ApiKeyStore::entryName(const QString &target)
{
    return u"api-key:"_s + backtestWsUrl(target.trimmed());
}

void ApiKeyStore::read(const QString &target, QObject *context, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    run(job, target, context, std::move(done), [job](KeyringResult &result) { result.key = job->textData(); });
}

void ApiKeyStore::write(const QString &target, const QString &key, QObject *context, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName());
    job->setTextData(key);
    run(job, target, context, std::move(done));
}

void ApiKeyStore::remove(const QString &target, QObject *context, Callback done)
{
    run(new QKeychain::DeletePasswordJob(serviceName()), target, context, std::move(done));
}

} // namespace SlotScope

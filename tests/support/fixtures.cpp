#include "support/fixtures.h"

#include <QDir>
#include <QFile>

#include <simdjson.h>

namespace SlotScope::Testing {

QString fixturesDir()
{
    const QString fromEnv = qEnvironmentVariable("SLOTSCOPE_FIXTURES_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(SLOTSCOPE_FIXTURES_DIR) : fromEnv;
}

QString fixturePath(const QString &relative)
{
    return QDir(fixturesDir()).filePath(relative);
}

QByteArray readFixture(const QString &relative)
{
    QFile file(fixturePath(relative));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

QByteArray fixtureResult(const QString &relative)
{
    QFile file(fixturePath(relative));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const simdjson::padded_string json(file.readAll().toStdString());
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    simdjson::ondemand::object result;
    std::string_view raw;
    if (parser.iterate(json).get(doc) || doc["result"].get_object().get(result) || result.raw_json().get(raw))
        return {};
    return QByteArray(raw.data(), qsizetype(raw.size()));
}

Result<QList<LoadedTransaction>> loadFixtureTransactions()
{
    return loadTransactionDirectory(fixturesDir());
}

QList<quint64> inclusiveRange(quint64 first, quint64 last)
{
    QList<quint64> out;
    for (quint64 i = first; i <= last; ++i)
        out.append(i);
    return out;
}

} // namespace SlotScope::Testing

#include "support/capturefiles.h"

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "protocol/transactionsummary.h"
#include "support/fixtures.h"

#include <QFile>
#include <QJsonObject>

#include <csignal>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace SlotScope::Testing {

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

QString writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

FileNode fileNodeAt(const QString &path)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return FileNode{true, mode_t(st.st_mode & S_IFMT), st.st_rdev};
}

qsizetype writeBatchOfFixtures(CaptureWriter &writer, const QStringList &subSessions)
{
    const auto loaded = loadFixtureTransactions();
    if (!loaded || subSessions.isEmpty())
        qFatal("cannot read the fixture transactions");
    writer.appendEvent(u"session_created"_s, QString(),
                       QJsonObject{{u"control_session_id"_s, u"ctl-1"_s}, {u"sub_sessions"_s, subSessions.size()}});
    for (qsizetype i = 0; i < subSessions.size(); ++i) {
        writer.appendEvent(u"session_created"_s, subSessions.at(i),
                           QJsonObject{{u"session_id"_s, subSessions.at(i)}, {u"start_slot"_s, 1000 + 100 * i},
                                       {u"end_slot"_s, 1099 + 100 * i}});
    }
    TransactionSummarizer summarizer;
    for (qsizetype i = 0; i < loaded->size(); ++i) {
        auto summary = summarizer.summarize(loaded->at(i).json);
        if (!summary)
            qFatal("a fixture transaction does not summarize");
        const qsizetype sub = i % subSessions.size();
        summary->slot = 1000 + 100 * quint64(sub) + quint64(i);
        writer.appendTransaction(subSessions.at(sub), *summary, loaded->at(i).json);
    }
    return loaded->size();
}

std::pair<QByteArray, QByteArray> writeEarlierCapture(const QString &path, int transactions)
{
    QByteArray capture = R"({"type":"metadata","data":{"start_slot":1,"end_slot":9,"ran_at_unix_secs":1}})" "\n";
    for (int i = 0; i < transactions; ++i) {
        capture += R"({"type":"tx","data":{"slot":)" + QByteArray::number(i + 1) + R"(,"signature":"earlier)"
                   + QByteArray::number(i) + R"(","success":true,"logs":[]}})" "\n";
    }
    const QByteArray events =
        R"({"type":"completed","session_id":"earlier","at":"2026-01-01T00:00:00.000Z","data":{}})" "\n";
    for (const auto &[file, bytes] : {std::pair{path, capture}, std::pair{CaptureWriter::eventsPathFor(path), events}}) {
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(file));
    }
    return {capture, events};
}

CaptureContents readCapture(const QString &path)
{
    CaptureContents contents;
    CaptureReader reader;
    if (!reader.open(path))
        return contents;
    contents.opened = true;
    CapturedTransaction tx;
    while (reader.readNext(tx))
        ++contents.transactions;
    contents.skippedLines = reader.skippedLines();
    contents.hasSummary = reader.summary().has_value();
    return contents;
}

FileSizeLimit::FileSizeLimit(rlim_t bytes)
{
    m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    if (getrlimit(RLIMIT_FSIZE, &m_old) != 0)
        return;
    struct rlimit limited = m_old;
    limited.rlim_cur = bytes;
    m_ok = setrlimit(RLIMIT_FSIZE, &limited) == 0;
}

FileSizeLimit::~FileSizeLimit()
{
    if (m_ok)
        setrlimit(RLIMIT_FSIZE, &m_old);
    std::signal(SIGXFSZ, m_oldHandler);
}

} // namespace SlotScope::Testing

#include "engine/runjournal.h"

#include "capture/capturewriter.h"
#include "protocol/urls.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringDecoder>

#include <optional>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QJsonValue optionalBatchIndex(std::optional<quint32> batchIndex)
{
    return batchIndex ? QJsonValue(qint64(*batchIndex)) : QJsonValue(QJsonValue::Null);
}

std::optional<QString> utf8Text(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

QJsonValue optionalString(const std::optional<QString> &text)
{
    return text ? QJsonValue(*text) : QJsonValue(QJsonValue::Null);
}

} // namespace

void RunJournal::write(const QString &type, const QString &sessionId, const QJsonObject &data)
{
    if (!m_capture.isOpen())
        return;
    m_capture.appendEvent(type, sessionId, data);
    if (m_lineWritten)
        m_lineWritten();
}

void RunJournal::sessionCreated(const SessionInfo &info, std::optional<std::pair<quint64, quint64>> subSessionRange)
{
    QJsonObject data{{u"session_id"_s, info.sessionId},
                     {u"rpc_endpoint"_s, redactedUrl(info.rpcEndpoint)}, // may carry ?token= (PROTOCOL-0.31 §6.4)
                     {u"task_id"_s, optionalString(info.taskId)}};
    if (info.sessionName)
        data.insert(u"session_name"_s, *info.sessionName); // 0.29+ servers only
    if (subSessionRange) {
        data.insert(u"start_slot"_s, qint64(subSessionRange->first));
        data.insert(u"end_slot"_s, qint64(subSessionRange->second));
    }
    write(u"session_created"_s, info.sessionId, data);
}

void RunJournal::batchCreated(const QString &controlSessionId, const std::optional<QString> &controlSessionName,
                              int subSessions)
{
    QJsonObject data{{u"control_session_id"_s, controlSessionId}, {u"sub_sessions"_s, subSessions}};
    if (controlSessionName)
        data.insert(u"control_session_name"_s, *controlSessionName);
    write(u"session_created"_s, QString(), data);
}

void RunJournal::batchAttached(const QString &controlSessionId)
{
    write(u"session_attached"_s, QString(), QJsonObject{{u"control_session_id"_s, controlSessionId}});
}

void RunJournal::sessionAttached(const QString &sessionId, const SessionInfo &info)
{
    QJsonObject data{{u"session_id"_s, info.sessionId}, {u"rpc_endpoint"_s, redactedUrl(info.rpcEndpoint)}};
    if (info.sessionName)
        data.insert(u"session_name"_s, *info.sessionName);
    write(u"session_attached"_s, sessionId, data);
}

void RunJournal::status(const QString &sessionId, const QString &status)
{
    write(u"status"_s, sessionId, QJsonObject{{u"status"_s, status}});
}

void RunJournal::slot(const QString &sessionId, quint64 slot)
{
    write(u"slot"_s, sessionId, QJsonObject{{u"slot"_s, qint64(slot)}});
}

void RunJournal::discoveryBatch(const QString &sessionId, const DiscoveryBatchEvent &batch)
{
    QJsonArray matched;
    for (const DiscoveryFilter &filter : batch.matched)
        matched.append(filter.toJson());
    QJsonArray indices;
    for (quint32 index : batch.transactionIndices)
        indices.append(qint64(index));
    write(u"discovery_batch"_s, sessionId,
                      (QJsonObject{{u"slot"_s, qint64(batch.slot)},
                                   {u"batchIndex"_s, qint64(batch.batchIndex)},
                                   {u"matched"_s, matched},
                                   {u"transactionCount"_s, qint64(batch.transactions.size())},
                                   {u"transactionIndices"_s, indices}}));
}

void RunJournal::breakpointHit(const QString &sessionId, const DiscoveryBatchEvent &batch, const BreakpointHit &hit)
{
    write(u"breakpoint"_s, sessionId,
          QJsonObject{{u"slot"_s, qint64(batch.slot)},
                      {u"batchIndex"_s, qint64(batch.batchIndex)},
                      {u"program"_s, hit.program},
                      {u"hit"_s, qint64(hit.hit)},
                      {u"action"_s, breakpointActionName(hit.action)}});
}

void RunJournal::paused(const QString &sessionId, const PausedEvent &paused)
{
    write(u"paused"_s, sessionId,
                      (QJsonObject{{u"slot"_s, qint64(paused.slot)},
                                   {u"batchIndex"_s, optionalBatchIndex(paused.batchIndex)}}));
}

void RunJournal::ready(const QString &sessionId, bool synthesized)
{
    write(u"ready"_s, sessionId, synthesized ? QJsonObject{{u"synthesized"_s, true}} : QJsonObject{});
}

void RunJournal::completed(const QString &sessionId, const std::optional<SessionSummary> &summary)
{
    write(u"completed"_s, sessionId, summary ? summary->toJson() : QJsonObject{});
}

void RunJournal::serverError(const QString &sessionId, const BacktestError &error)
{
    write(u"error"_s, sessionId,
                      (QJsonObject{{u"error"_s, error.toJson()}, {u"message"_s, error.message()}}));
}

void RunJournal::simulationError(const QString &sessionId, const BacktestError &error, quint64 count)
{
    write(u"simulation_error"_s, sessionId,
                      (QJsonObject{{u"error"_s, error.toJson()},
                                   {u"message"_s, error.message()},
                                   {u"count"_s, qint64(count)}}));
}

void RunJournal::failure(const QString &sessionId, const QString &message, const QString &kind,
                         const QString &connection)
{
    write(u"error"_s, sessionId,
                      (QJsonObject{{u"message"_s, message}, {u"kind"_s, kind}, {u"connection"_s, connection}}));
}

void RunJournal::problem(const QString &sessionId, const QString &message)
{
    write(u"error"_s, sessionId, QJsonObject{{u"message"_s, message}});
}

void RunJournal::stepSent(const QString &sessionId, const Step &step)
{
    if (const auto *advance = std::get_if<ContinueParams>(&step)) {
        write(u"continue_sent"_s, sessionId, QJsonObject{{u"advanceCount"_s, qint64(advance->advanceCount)}});
        return;
    }
    const auto &to = std::get<ContinueToParams>(step);
    write(u"continue_to_sent"_s, sessionId,
                      (QJsonObject{{u"slot"_s, qint64(to.slot)}, {u"batchIndex"_s, optionalBatchIndex(to.batchIndex)}}));
}

void RunJournal::connection(const QString &sessionId, const QString &socket, ConnectionStatus status,
                            const QString &reason, int attempt, std::optional<std::chrono::milliseconds> reconnectDelay,
                            bool ended)
{
    QJsonObject data{{u"socket"_s, socket},
                     {u"status"_s, connectionStatusName(status)},
                     {u"reason"_s, reason},
                     {u"attempt"_s, attempt}};
    if (reconnectDelay)
        data.insert(u"delay_ms"_s, qint64(reconnectDelay->count()));
    if (ended)
        data.insert(u"ended"_s, true);
    write(u"connection"_s, sessionId, data);
}

void RunJournal::accountDiff(const QString &sessionId, QByteArrayView rawResult)
{
    // Verbatim: {context:{slot}, account, signature, pre, post} (CsvExporter's
    // account-diff export reads these events).
    if (m_capture.isOpen())
        m_capture.appendEvent(u"account_diff"_s, sessionId, rawResult);
}

void RunJournal::duplicateNotification(const QString &sessionId, const QString &socket, const QString &signature,
                                       const QString &account, quint64 slot)
{
    QJsonObject data{{u"socket"_s, socket}, {u"signature"_s, signature}, {u"slot"_s, qint64(slot)}};
    if (!account.isEmpty())
        data.insert(u"account"_s, account);
    write(u"duplicate_dropped"_s, sessionId, data);
}

void RunJournal::duplicateControlEvent(const QString &sessionId, quint64 seqId)
{
    write(u"duplicate_dropped"_s, sessionId,
                      (QJsonObject{{u"socket"_s, u"control"_s}, {u"seq_id"_s, qint64(seqId)}}));
}

void RunJournal::frameDropped(const QString &sessionId, const QString &socket, const QString &reason,
                              QByteArrayView rawPrefix, qint64 size)
{
    QJsonObject data{{u"socket"_s, socket}, {u"reason"_s, reason}, {u"size"_s, size}};
    std::optional<QString> text = utf8Text(rawPrefix);
    // A cut prefix may end inside a UTF-8 sequence: its last 1–3 bytes may go.
    for (qsizetype cut = 1; !text && rawPrefix.size() < size && cut <= 3 && cut < rawPrefix.size(); ++cut)
        text = utf8Text(rawPrefix.chopped(cut));
    if (text)
        data.insert(u"raw"_s, *text);
    else
        data.insert(u"raw_base64"_s, QString::fromLatin1(rawPrefix.toByteArray().toBase64()));
    if (rawPrefix.size() < size)
        data.insert(u"truncated"_s, true);
    write(u"frame_dropped"_s, sessionId, data);
}

void RunJournal::replayGap(const QString &sessionId, const QString &socket, const ReplayGap &gap,
                           quint64 newestSlot)
{
    write(u"replay_gap"_s, sessionId,
          QJsonObject{{u"socket"_s, socket},
                      {u"first_slot"_s, qint64(gap.firstSlot)},
                      {u"last_slot"_s, qint64(gap.lastSlot)},
                      {u"newest_slot"_s, qint64(newestSlot)}});
}

void RunJournal::stopped()
{
    write(u"stopped"_s, QString(), QJsonObject{});
}

void RunJournal::coordinator(const CoordinatorSnapshot &snapshot)
{
    write(u"coordinator"_s, QString(), snapshot.toJson());
}

void RunJournal::reconnectNow(const QString &sessionId, const QString &socket, bool accepted)
{
    write(u"reconnect_now"_s, sessionId, QJsonObject{{u"socket"_s, socket}, {u"accepted"_s, accepted}});
}

} // namespace SlotScope

#include "fuzzdrivers.h"

#include "capture/captureparsing.h"
#include "protocol/base58.h"
#include "protocol/controlmessages.h"
#include "protocol/dataplane.h"
#include "protocol/transactionsummary.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QString>
#include <QtGlobal>

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <variant>

namespace SlotScope::Internal {

using namespace Qt::StringLiterals;

namespace {

template<class... Ts>
struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

/// Start of `bytes` for a violation message (lossy UTF-8, one line).
QString preview(QByteArrayView bytes)
{
    QString text = QString::fromUtf8(bytes.first(qMin<qsizetype>(bytes.size(), 160)));
    text.replace(u'\n', u' ');
    if (bytes.size() > 160)
        text += u"…"_s;
    return text;
}

/// Results that are only computed for their side effects (a crash or a
/// sanitizer report) still go somewhere, so nothing is optimised away.
volatile qsizetype g_sink = 0;
void consume(const QString &text)
{
    g_sink = g_sink + text.size();
}

// ---------------------------------------------------------------------------
// Control plane

/// True if the text holds a JSON escape of a UTF-16 surrogate (backslash, u,
/// D800–DFFF): a string that may decode to a lone surrogate, which UTF-8
/// output cannot carry.
bool hasSurrogateEscape(QByteArrayView text)
{
    for (qsizetype i = text.indexOf("\\u"); i >= 0 && i + 3 < text.size(); i = text.indexOf("\\u", i + 2)) {
        const char hi = text[i + 2];
        const char next = text[i + 3];
        if ((hi == 'd' || hi == 'D') && QByteArrayView("89abcdefABCDEF").contains(next))
            return true;
    }
    return false;
}

void exerciseError(const BacktestError &error)
{
    consume(error.message());
    g_sink = g_sink + (error.isTerminal() ? 1 : 0);
    consume(BacktestError::variantName(error.kind));
}

void exerciseEvent(const SessionEventKind &event)
{
    consume(methodName(event));
    std::visit(Overloaded{
                   [](const Responses::Error &r) { exerciseError(r.error); },
                   [](const Responses::DiscoveryBatch &r) {
                       for (const DiscoveryFilter &filter : r.event.matched)
                           consume(filter.describe());
                   },
                   [](const auto &) {},
               },
               event);
}

void exerciseResponse(const ControlResponse &response)
{
    consume(describe(response));
    consume(methodName(response));
    std::visit(Overloaded{
                   [](const Responses::Error &r) { exerciseError(r.error); },
                   [](const Responses::DiscoveryBatch &r) {
                       for (const DiscoveryFilter &filter : r.event.matched)
                           consume(filter.describe());
                   },
                   [](const Responses::SessionEventV2 &r) { exerciseEvent(r.event); },
                   [](const auto &) {},
               },
               response);
}

void checkResponse(QByteArrayView input, QStringList &violations)
{
    const Result<ControlFrame> frame = decodeControlResponse(input);
    if (!frame) {
        if (frame.error().message.isEmpty())
            violations << u"decodeControlResponse failed without a message"_s;
        return;
    }
    exerciseResponse(frame->response);
    // With a lone surrogate in a string the first re-encoding may replace it;
    // from then on encode → decode must be exact.
    const bool lossy = hasSurrogateEscape(input);
    ControlFrame current = *frame;
    for (int round = 0; round < (lossy ? 2 : 1); ++round) {
        const QByteArray encoded = encodeControlResponse(current.response, current.seqId);
        const Result<ControlFrame> again = decodeControlResponse(encoded);
        if (!again) {
            violations << u"response %1 re-encodes as %2, which does not decode: %3"_s.arg(
                methodName(current.response), preview(encoded), again.error().message);
            return;
        }
        if (lossy && round == 0) {
            current = *again;
            continue;
        }
        if (again->seqId != current.seqId)
            violations << u"response %1: seqId changes after encode → decode"_s.arg(methodName(current.response));
        if (!(again->response == current.response)) {
            violations << u"response %1 re-encodes as %2, which decodes to a different value"_s.arg(
                methodName(current.response), preview(encoded));
        }
    }
}

void checkRequest(QByteArrayView input, QStringList &violations)
{
    const Result<ControlRequest> request = decodeControlRequest(input);
    if (!request) {
        if (request.error().message.isEmpty())
            violations << u"decodeControlRequest failed without a message"_s;
        return;
    }
    consume(methodName(*request));
    if (const auto *create = std::get_if<Requests::CreateBacktestSession>(&*request)) {
        for (const DiscoveryFilter &filter : create->params.discoveries)
            consume(filter.describe());
    }
    const bool lossy = hasSurrogateEscape(input); // see checkResponse()
    ControlRequest current = *request;
    for (int round = 0; round < (lossy ? 2 : 1); ++round) {
        const QByteArray encoded = encodeControlRequest(current);
        const Result<ControlRequest> again = decodeControlRequest(encoded);
        if (!again) {
            violations << u"request %1 re-encodes as %2, which does not decode: %3"_s.arg(
                methodName(current), preview(encoded), again.error().message);
            return;
        }
        if (lossy && round == 0) {
            current = *again;
            continue;
        }
        if (!(*again == current)) {
            violations << u"request %1 re-encodes as %2, which decodes to a different value"_s.arg(
                methodName(current), preview(encoded));
        }
    }
}

// ---------------------------------------------------------------------------
// Data plane

TransactionSummarizer &summarizer()
{
    static TransactionSummarizer instance;
    return instance;
}

simdjson::dom::parser &judgeParser()
{
    static simdjson::dom::parser instance;
    return instance;
}

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void checkSummary(QByteArrayView json, const QString &what, QStringList &violations)
{
    const Result<TransactionSummary> result = summarizer().summarize(json);
    if (!result) {
        if (result.error().message.isEmpty())
            violations << what + u": summarize failed without a message"_s;
        return;
    }
    const TransactionSummary &s = *result;
    if (s.success != s.errorJson.isEmpty())
        violations << what + u": success flag and errorJson disagree"_s;
    if (!s.success && s.error != transactionErrorText(s.errorJson))
        violations << what + u": error text differs from transactionErrorText(errorJson)"_s;
    if (s.accountKeys.isEmpty() || s.feePayer != s.accountKeys.constFirst())
        violations << what + u": fee payer is not the first account key"_s;
    for (const QString &key : s.writableAccounts) {
        if (!s.accountKeys.contains(key))
            violations << what + u": writable account %1 is not an account key"_s.arg(key);
    }
    if (s.programIds.size() != QSet<QString>(s.programIds.cbegin(), s.programIds.cend()).size())
        violations << what + u": programIds are not unique"_s;
    for (const SolChange &change : s.solChanges) {
        if (change.preLamports == change.postLamports)
            violations << what + u": unchanged SOL balance listed"_s;
    }
    for (const TokenChange &change : s.tokenChanges) {
        if (change.preAmount == change.postAmount)
            violations << what + u": unchanged token balance listed"_s;
    }

    // The live ingest path's detail agrees on every field it fills.
    static TransactionSummarizer ingest;
    ingest.setDetail(TransactionSummarizer::Detail::Ingest);
    const Result<TransactionSummary> lean = ingest.summarize(json);
    if (!lean) {
        violations << what + u": Ingest detail fails where Full succeeds: "_s + lean.error().message;
        return;
    }
    if (lean->signature != s.signature || lean->feePayer != s.feePayer || lean->programIds != s.programIds
        || lean->solChanges != s.solChanges || lean->tokenChanges != s.tokenChanges || lean->fee != s.fee
        || lean->error != s.error || lean->logsPresent != s.logsPresent) {
        violations << what + u": Ingest detail differs from Full"_s;
    }
    // (Lines that needed a replacement character are not comparable through QJsonDocument.)
    const bool replaced = std::any_of(s.logs.cbegin(), s.logs.cend(),
                                      [](const QString &line) { return line.contains(QChar::ReplacementCharacter); });
    QJsonParseError error;
    const QJsonDocument logs = QJsonDocument::fromJson(lean->logsJson, &error);
    if (!replaced && (error.error != QJsonParseError::NoError || logs.array() != QJsonArray::fromStringList(s.logs)))
        violations << what + u": Ingest logsJson is not the logs as a JSON array"_s;
}

/// jsonValueSpan() against simdjson as the judge: when the bytes after `from`
/// are exactly one valid JSON value, the span must cover it; a span that is
/// valid UTF-8 must be a value simdjson accepts (up to simdjson's own limits).
void checkJsonValueSpan(QByteArrayView input, qsizetype from, QStringList &violations)
{
    const auto span = jsonValueSpan(input, from);
    if (span) {
        const auto [begin, end] = *span;
        if (begin < from || begin >= end || end > input.size()) {
            violations << u"jsonValueSpan(from %1) = [%2, %3) is outside the text (size %4)"_s.arg(from).arg(begin).arg(
                end).arg(input.size());
            return;
        }
        const QByteArrayView value = input.sliced(begin, end - begin);
        if (simdjson::validate_utf8(value.data(), std::size_t(value.size()))) {
            simdjson::dom::element root;
            const auto error = judgeParser().parse(value.data(), std::size_t(value.size())).get(root);
            const bool simdjsonLimit = error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE
                || error == simdjson::DEPTH_ERROR || error == simdjson::CAPACITY
                || (error == simdjson::STRING_ERROR && value.contains("\\u")); // lone surrogate escapes
            if (error != simdjson::SUCCESS && !simdjsonLimit) {
                violations << u"jsonValueSpan(from %1) accepts %2, simdjson says: %3"_s.arg(from).arg(
                    preview(value), QString::fromUtf8(simdjson::error_message(error)));
            }
        }
    }
    if (from > input.size())
        return;
    const QByteArrayView rest = input.sliced(from);
    if (!simdjson::validate_utf8(rest.data(), std::size_t(rest.size())))
        return;
    simdjson::dom::element root;
    if (judgeParser().parse(rest.data(), std::size_t(rest.size())).get(root) != simdjson::SUCCESS)
        return;
    qsizetype begin = from;
    while (begin < input.size() && isJsonWhitespace(input[begin]))
        ++begin;
    qsizetype end = input.size();
    while (end > begin && isJsonWhitespace(input[end - 1]))
        --end;
    if (!span || span->first != begin || span->second != end) {
        violations << u"jsonValueSpan(from %1) does not find the valid JSON value %2"_s.arg(from).arg(
            preview(rest));
    }
}

void checkDataPlaneMessage(QByteArrayView input, QStringList &violations)
{
    const Result<DataPlaneMessage> message = decodeDataPlaneMessage(input);
    if (!message) {
        if (message.error().message.isEmpty())
            violations << u"decodeDataPlaneMessage failed without a message"_s;
        return;
    }
    const auto inside = [input](QByteArrayView view) {
        return !view.isEmpty() && view.data() >= input.data()
            && view.data() + view.size() <= input.data() + input.size();
    };
    const auto isObjectText = [](QByteArrayView view) { return view.front() == '{' && view.back() == '}'; };

    std::visit(
        Overloaded{
            [&](const DataPlane::SubscribeAck &ack) {
                const auto again = decodeDataPlaneMessage(encodeSubscribeAck(ack.requestId, ack.subscription));
                const auto *back = again ? std::get_if<DataPlane::SubscribeAck>(&*again) : nullptr;
                if (!back || back->requestId != ack.requestId || back->subscription != ack.subscription)
                    violations << u"subscribe ack does not survive encode → decode"_s;
            },
            [&](const DataPlane::RpcError &error) {
                consume(error.message);
                const auto again = decodeDataPlaneMessage(encodeRpcError(error.requestId, error.code, error.message));
                const auto *back = again ? std::get_if<DataPlane::RpcError>(&*again) : nullptr;
                // encodeRpcError writes a negative request id as null, which decodes as -1.
                const qint64 requestId = error.requestId < 0 ? -1 : error.requestId;
                if (!back || back->requestId != requestId || back->code != error.code
                    || (error.message.isValidUtf16() && back->message != error.message)) {
                    violations << u"RPC error does not survive encode → decode"_s;
                }
            },
            [&](const DataPlane::TransactionNotification &n) {
                if (!inside(n.result) || !isObjectText(n.result)) {
                    violations << u"transactionNotification result is not an object view into the frame"_s;
                    return;
                }
                checkSummary(n.result, u"notification result"_s, violations);
                const QByteArray encoded = encodeTransactionNotification(n.subscription, n.result);
                const auto again = decodeDataPlaneMessage(encoded);
                const auto *back = again ? std::get_if<DataPlane::TransactionNotification>(&*again) : nullptr;
                if (!back || back->subscription != n.subscription || back->result != n.result)
                    violations << u"transactionNotification does not survive encode → decode"_s;
            },
            [&](const DataPlane::AccountDiffNotification &n) {
                if (!inside(n.result) || !isObjectText(n.result)) {
                    violations << u"accountDiffNotification result is not an object view into the frame"_s;
                    return;
                }
                const QByteArray encoded = encodeAccountDiffNotification(n.subscription, n.result);
                const auto again = decodeDataPlaneMessage(encoded);
                const auto *back = again ? std::get_if<DataPlane::AccountDiffNotification>(&*again) : nullptr;
                if (!back || back->subscription != n.subscription || back->result != n.result
                    || back->slot != n.slot || back->account != n.account || back->signature != n.signature) {
                    violations << u"accountDiffNotification does not survive encode → decode"_s;
                }
            },
            [&](const DataPlane::OtherNotification &n) { consume(n.method); },
        },
        *message);
}

bool hasDuplicateKeys(simdjson::dom::object object)
{
    QSet<QByteArray> keys;
    for (const auto field : object) {
        const QByteArray key(field.key.data(), qsizetype(field.key.size()));
        if (keys.contains(key))
            return true;
        keys.insert(key);
    }
    return false;
}

/// decodeDataPlaneMessage() against simdjson as the judge: a valid
/// transactionNotification frame (no duplicate keys, integer subscription,
/// object result) must decode as one, with the same subscription and result.
void checkNotificationAgainstJudge(QByteArrayView input, QStringList &violations)
{
    if (!simdjson::validate_utf8(input.data(), std::size_t(input.size())))
        return;
    simdjson::dom::element root;
    simdjson::dom::object envelope, params, result;
    std::string_view method;
    int64_t subscription = 0;
    if (judgeParser().parse(input.data(), std::size_t(input.size())).get(root) || root.get_object().get(envelope)
        || hasDuplicateKeys(envelope) || envelope["method"].get_string().get(method)
        || method != "transactionNotification" || envelope["params"].get_object().get(params)
        || hasDuplicateKeys(params) || params["subscription"].get_int64().get(subscription)
        || params["result"].get_object().get(result)) {
        return;
    }
    const std::string expected = simdjson::minify(result);
    const Result<DataPlaneMessage> message = decodeDataPlaneMessage(input);
    const auto *notification = message ? std::get_if<DataPlane::TransactionNotification>(&*message) : nullptr;
    if (!notification) {
        violations << u"valid transactionNotification not decoded as one: %1"_s.arg(
            message ? u"another message kind"_s : message.error().message);
        return;
    }
    simdjson::dom::element decoded;
    if (notification->subscription != subscription
        || judgeParser().parse(notification->result.data(), std::size_t(notification->result.size())).get(decoded)
        || simdjson::minify(decoded) != expected) {
        violations << u"valid transactionNotification decoded with another subscription or result"_s;
    }
}

/// ResultEnd::Assumed against ResultEnd::Exact: without an assumed end the
/// two decode alike; an assumed end whose bytes parse as one JSON value is the
/// exact decode's result (the contract SubscriptionManager relies on).
void checkAssumedResultEnd(QByteArrayView input, QStringList &violations)
{
    const Result<DataPlaneMessage> assumed = decodeDataPlaneMessage(input, ResultEnd::Assumed);
    const Result<DataPlaneMessage> exact = decodeDataPlaneMessage(input, ResultEnd::Exact);
    const auto *a = assumed ? std::get_if<DataPlane::TransactionNotification>(&*assumed) : nullptr;
    const auto *e = exact ? std::get_if<DataPlane::TransactionNotification>(&*exact) : nullptr;
    const auto sameResult = [&] {
        return a && e && a->subscription == e->subscription && a->result.data() == e->result.data()
            && a->result.size() == e->result.size();
    };
    if (e && e->resultEndAssumed)
        violations << u"ResultEnd::Exact reports an assumed result end"_s;
    if (!a || !a->resultEndAssumed) {
        if (assumed.ok() != exact.ok() || bool(a) != bool(e) || (a && !sameResult()))
            violations << u"ResultEnd::Assumed without an assumed end decodes unlike Exact"_s;
        return;
    }
    simdjson::dom::element value;
    const bool parses = !judgeParser().parse(a->result.data(), std::size_t(a->result.size())).get(value);
    if (parses && !sameResult())
        violations << u"an assumed result end whose bytes parse is not the exact decode's result"_s;
}

bool allValidUtf16(const QStringList &list)
{
    for (const QString &s : list) {
        if (!s.isValidUtf16())
            return false;
    }
    return true;
}

void checkSubscribeRequest(QByteArrayView input, QStringList &violations)
{
    const Result<SubscribeRequest> request = decodeSubscribeRequest(input);
    if (!request) {
        if (request.error().message.isEmpty())
            violations << u"decodeSubscribeRequest failed without a message"_s;
        return;
    }
    // Strings with lone surrogates cannot be written as UTF-8; the encoders
    // replace them, so those requests do not round-trip by construction.
    if (!allValidUtf16(request->accounts))
        return;
    QByteArray encoded;
    bool compareOwner = false;
    if (request->method == "transactionSubscribe"_L1) {
        TransactionSubscribeParams params;
        params.accountInclude = request->accounts;
        params.replayFromSlot = request->replayFromSlot;
        params.zstd = request->zstd;
        encoded = encodeTransactionSubscribe(request->requestId, params);
    } else if (request->method == "accountDiffSubscribe"_L1 && request->accounts.size() == 1) {
        AccountDiffSubscribeParams params;
        params.address = request->accounts.constFirst();
        params.programOwner = request->programOwner;
        params.replayFromSlot = request->replayFromSlot;
        params.zstd = request->zstd;
        encoded = encodeAccountDiffSubscribe(request->requestId, params);
        compareOwner = true;
    } else {
        return;
    }
    const Result<SubscribeRequest> again = decodeSubscribeRequest(encoded);
    if (!again) {
        violations << u"%1 re-encodes as %2, which does not decode: %3"_s.arg(request->method, preview(encoded),
                                                                             again.error().message);
        return;
    }
    if (again->requestId != request->requestId || again->method != request->method
        || again->accounts != request->accounts || again->replayFromSlot != request->replayFromSlot
        || again->zstd != request->zstd || (compareOwner && again->programOwner != request->programOwner)) {
        violations << u"%1 re-encodes as %2, which decodes to a different request"_s.arg(request->method,
                                                                                        preview(encoded));
    }
}

void checkBase58(QByteArrayView input, QStringList &violations)
{
    // Base58 is quadratic; pubkeys and signatures are 32 and 64 bytes.
    if (input.size() > 128)
        return;
    if (const auto decoded = base58Decode(input)) {
        if (base58Encode(*decoded) != input)
            violations << u"base58: decode → encode changes %1"_s.arg(preview(input));
    }
    const QByteArray encoded = base58Encode(input);
    const auto back = base58Decode(encoded);
    if (!back || *back != input)
        violations << u"base58: encode → decode changes the bytes"_s;
}

// ---------------------------------------------------------------------------
// Capture lines

/// A copy of `input` with simdjson's padding behind it, as LineSource provides.
struct PaddedLine
{
    explicit PaddedLine(QByteArrayView input)
        : size(std::size_t(input.size())), capacity(size + simdjson::SIMDJSON_PADDING),
          data(new char[capacity])
    {
        if (size)
            std::memcpy(data.get(), input.data(), size);
        std::memset(data.get() + size, 0, simdjson::SIMDJSON_PADDING);
    }
    std::size_t size;
    std::size_t capacity;
    std::unique_ptr<char[]> data;
};

simdjson::ondemand::parser &lineParser()
{
    static simdjson::ondemand::parser instance;
    return instance;
}

void checkParseLine(QByteArrayView input, unsigned detail, QStringList &violations)
{
    const PaddedLine line(input);
    TxView view;
    ParsedLine parsed;
    parseLine(lineParser(), line.data.get(), line.size, line.capacity, detail, view, parsed);
    switch (parsed.kind) {
    case LineKind::Tx: {
        if (!view.hasSlot || !view.hasSignature)
            violations << u"parseLine: tx line without slot or signature"_s;
        CapturedTransaction transaction;
        toCapturedTransaction(view, transaction);
        consume(transaction.signature);
        break;
    }
    case LineKind::Malformed:
        if (parsed.problem.empty())
            violations << u"parseLine: malformed line without a reason"_s;
        break;
    case LineKind::Unknown:
        consume(QString::fromStdString(parsed.type));
        break;
    case LineKind::Metadata:
        g_sink = g_sink + parsed.metadata.programIds.size();
        break;
    case LineKind::SessionStarted:
        consume(parsed.sessionStartedId);
        break;
    case LineKind::Blank:
        for (const char c : input) {
            if (!isJsonWhitespace(c)) {
                violations << u"parseLine: a non-blank line reported as blank"_s;
                break;
            }
        }
        break;
    case LineKind::Summary:
    case LineKind::Diff:
        break;
    }
}

void checkRawOfTxLine(QByteArrayView input, QStringList &violations)
{
    const PaddedLine line(input);
    std::string_view raw;
    if (rawOfTxLine(lineParser(), line.data.get(), line.size, line.capacity, raw) != simdjson::SUCCESS)
        return;
    // Copy out of the parser's buffers before the summarizer runs.
    const QByteArray rawJson(raw.data(), qsizetype(raw.size()));
    checkSummary(rawJson, u"capture raw"_s, violations);
}

void checkEventLine(QByteArrayView input)
{
    const PaddedLine line(input);
    EventView event;
    if (parseEventLine(lineParser(), line.data.get(), line.size, line.capacity, event) != simdjson::SUCCESS)
        return;
    // dataJson is empty when the line has no `data`; CaptureEventReader copes.
    consume(toQString(event.type));
    consume(toQString(event.sessionId));
    consume(toQString(event.at));
    consume(toQString(event.dataJson));
}

void checkLegacyDocuments(QByteArrayView input)
{
    const simdjson::padded_string json(input.data(), std::size_t(input.size()));
    TxView view;
    if (parseTxDocument(lineParser(), json, TxLogs | TxBalanceChanges, view) == simdjson::SUCCESS) {
        CapturedTransaction transaction;
        toCapturedTransaction(view, transaction);
        consume(transaction.feePayer);
    }
    CaptureMetadata metadata;
    if (parseMetadataDocument(lineParser(), json, metadata) == simdjson::SUCCESS)
        g_sink = g_sink + metadata.sessionIds.size();
    CaptureSummary summary;
    if (parseSummaryDocument(lineParser(), json, summary) == simdjson::SUCCESS)
        g_sink = g_sink + summary.sessionIds.size();
}

void quietHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::fprintf(stderr, "%s\n", qPrintable(message));
}

} // namespace

QStringList checkControlCodec(QByteArrayView input)
{
    QStringList violations;
    checkResponse(input, violations);
    checkRequest(input, violations);
    return violations;
}

QStringList checkDataPlaneCodec(QByteArrayView input)
{
    QStringList violations;
    checkDataPlaneMessage(input, violations);
    checkNotificationAgainstJudge(input, violations);
    checkAssumedResultEnd(input, violations);
    checkSubscribeRequest(input, violations);
    checkSummary(input, u"frame"_s, violations);
    consume(transactionErrorText(input));
    checkJsonValueSpan(input, 0, violations);
    if (const qsizetype colon = input.indexOf(':'); colon >= 0)
        checkJsonValueSpan(input, colon + 1, violations);
    checkJsonValueSpan(input, input.size(), violations);
    checkBase58(input, violations);
    return violations;
}

QStringList checkCaptureLine(QByteArrayView input)
{
    QStringList violations;
    checkParseLine(input, TxRowOnly, violations);
    checkParseLine(input, TxLogs | TxBalanceChanges, violations);
    checkRawOfTxLine(input, violations);
    checkEventLine(input);
    checkLegacyDocuments(input);
    return violations;
}

void silenceQtMessages()
{
    qInstallMessageHandler(quietHandler);
}

void abortOnViolations(const QStringList &violations)
{
    if (violations.isEmpty())
        return;
    for (const QString &violation : violations)
        std::fprintf(stderr, "invariant violated: %s\n", qPrintable(violation));
    std::abort();
}

} // namespace SlotScope::Internal

// fuzz_seeds OUTDIR: writes the seed corpus of every fuzz target to
// OUTDIR/<target>/, generated on each run so that no fixture data is copied
// into the repository:
//  * controlcodec: every request and response of PROTOCOL.md §3–§4 as the
//    library encodes them, plus hand-written lenient forms;
//  * dataplanecodec: subscribe requests, acks, RPC errors, small hand-written
//    transactions (json, jsonParsed, base64 wire format, failed), meta.err
//    values, and every transaction of the shared fixtures wrapped in a
//    transactionNotification;
//  * capturelines: the lines CaptureWriter writes for those transactions and
//    events, plus hand-written `sim run` lines.
// The fixtures directory is SLOTSCOPE_FIXTURES_DIR (environment, else the
// compile-time default); without it the fixture-derived seeds are skipped.

#include "capture/capturewriter.h"
#include "protocol/base58.h"
#include "protocol/controlmessages.h"
#include "protocol/dataplane.h"
#include "protocol/transactionsummary.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <simdjson.h>

#include <cstdio>

using namespace SlotScope;
using namespace Qt::StringLiterals;

namespace {

const QString kProgram = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
const QString kSession = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s;
const QString kOtherSession = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c01"_s;

class SeedWriter
{
public:
    explicit SeedWriter(const QString &dir) : m_dir(dir) { QDir().mkpath(dir); }

    void add(const QByteArray &bytes)
    {
        // Content-addressed names, like libFuzzer's own corpus files.
        const QString name = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex());
        QFile file(m_dir + u'/' + name);
        if (file.open(QIODevice::WriteOnly)) {
            file.write(bytes);
            ++m_count;
        }
    }
    int count() const { return m_count; }

private:
    QString m_dir;
    int m_count = 0;
};

// ---------------------------------------------------------------------------
// Control plane

QList<ControlResponse> sampleResponses()
{
    SessionInfo info{kSession, u"/backtest/"_s + kSession, u"task-7"_s};
    SessionInfo bare{kOtherSession, u"/backtest/"_s + kOtherSession, std::nullopt};

    DiscoveryFilter oracle;
    oracle.kind = DiscoveryFilter::Kind::OracleUpdate;
    oracle.programs = {u"Prog1111"_s};
    oracle.accounts = {u"AccA"_s, u"AccB"_s};
    DiscoveryFilter unknown = DiscoveryFilter::fromJson(QJsonObject{{u"futureFilter"_s, 3}});

    DiscoveryBatchEvent batch;
    batch.slot = 1010;
    batch.batchIndex = 3;
    batch.matched = {DiscoveryFilter::programExecuted(kProgram), oracle, unknown};
    batch.transactions = {u"AQAAAAAAAAA="_s};
    batch.transactionIndices = {0, 7};

    SessionSummary summary;
    summary.correctSimulation = 831;
    summary.incorrectSimulation = 16;
    summary.executionErrors = 3;
    summary.balanceDiff = 5;
    summary.logDiff = 2;

    Responses::SessionsCreatedV2 created;
    created.controlSessionId = u"control-1"_s;
    created.sessionIds = {kSession, kOtherSession};
    created.taskIds = {u"task-1"_s, std::nullopt};
    created.startSlots = QList<quint64>{1000, 1050};
    created.endSlots = QList<quint64>{1049, 1099};
    Responses::SessionsCreatedV2 oldServer = created;
    oldServer.startSlots.reset();
    oldServer.endSlots.reset();

    QList<ControlResponse> list{
        Responses::SessionCreated{info},
        Responses::SessionAttached{bare},
        created,
        oldServer,
        Responses::ParallelSessionAttachedV2{u"control-1"_s, {kSession, kOtherSession}, {u"task-1"_s, std::nullopt}},
        Responses::ReadyForContinue{},
        Responses::SlotNotification{1005},
        Responses::Paused{PausedEvent{1010, 3}},
        Responses::Paused{PausedEvent{1010, std::nullopt}},
        Responses::DiscoveryBatch{batch},
        Responses::Success{},
        Responses::Completed{summary},
        Responses::Completed{std::nullopt},
        Responses::Status{u"advancing"_s},
        Responses::Error{BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s)},
        Responses::Error{BacktestError::bundleNotFound(1000, 1099)},
        Responses::Error{BacktestError::sessionNotFound(kSession)},
        Responses::Error{BacktestError::sessionOwnershipBusy(u"attached elsewhere"_s)},
    };
    for (int k = 0; k < int(BacktestErrorKind::Unknown); ++k)
        list.append(Responses::Error{BacktestError::make(BacktestErrorKind(k))});

    const QList<SessionEventKind> events{
        Responses::ReadyForContinue{}, Responses::SlotNotification{1006}, Responses::Paused{PausedEvent{1010, 1}},
        Responses::DiscoveryBatch{batch}, Responses::Error{BacktestError::make(BacktestErrorKind::NoMoreBlocks)},
        Responses::Success{}, Responses::Completed{summary}, Responses::Status{u"finalizing"_s},
    };
    quint64 seqId = 1;
    for (const SessionEventKind &event : events)
        list.append(Responses::SessionEventV2{kSession, seqId++, event});
    return list;
}

QList<ControlRequest> sampleRequests()
{
    CreateSessionParams create;
    create.startSlot = 1000;
    create.endSlot = 1099;
    create.signerFilter = {kProgram};
    create.sendSummary = true;
    create.capacityWaitTimeoutSecs = 30;
    create.disconnectTimeoutSecs = 900;
    create.extraComputeUnits = 200000;
    create.discoveries = {DiscoveryFilter::programExecuted(kProgram)};
    create.replayAccountState = true;
    create.parallel = true;
    CreateSessionParams minimal;
    minimal.startSlot = 5;
    minimal.endSlot = 5;

    ContinueParams advance;
    advance.advanceCount = 10;
    advance.transactions = {u"AQAAAAAAAAA="_s};
    advance.modifyAccountStates = QJsonObject{{kProgram, QJsonObject{{u"lamports"_s, 5}}}};

    return {
        Requests::CreateBacktestSession{create},
        Requests::CreateBacktestSession{minimal},
        Requests::Continue{advance},
        Requests::Continue{ContinueParams{}},
        Requests::ContinueTo{ContinueToParams{1010, 3}},
        Requests::ContinueTo{ContinueToParams{1010, std::nullopt}},
        Requests::ContinueSessionV1{kSession, advance},
        Requests::ContinueToSessionV1{kSession, ContinueToParams{1020, 0}},
        Requests::CloseBacktestSession{},
        Requests::CloseSessionV1{kSession},
        Requests::AttachBacktestSession{kSession, 42},
        Requests::AttachBacktestSession{kSession, std::nullopt},
        Requests::ResumeAttachedSession{},
        Requests::AttachParallelControlSessionV2{u"control-1"_s, {{kSession, 12}, {kOtherSession, 0}}},
    };
}

void writeControlSeeds(SeedWriter &out)
{
    quint64 seqId = 100;
    for (const ControlResponse &response : sampleResponses()) {
        out.add(encodeControlResponse(response));
        out.add(encodeControlResponse(response, seqId++));
    }
    for (const ControlRequest &request : sampleRequests())
        out.add(encodeControlRequest(request));

    // Lenient forms the decoders accept (PROTOCOL.md §2.2), and a few rejects.
    const char *const lenient[] = {
        R"({"method":"readyForContinue","params":null})",
        R"({"method":"success"})",
        R"({"method":"sessionCreated","params":{"sessionId":"s","rpcEndpoint":"/backtest/s","taskId":null}})",
        R"({"method":"slotNotification","params":18446744073709551615,"seqId":9007199254740993})",
        R"({"method":"error","params":"noMoreBlocks"})",
        R"({"method":"error","params":{"InvalidRequest":{"error":"bad"}}})",
        R"({"method":"error","params":{"somethingNew":{"detail":1}}})",
        R"({"method":"paused","params":{"slot":7,"batch_index":2}})",
        R"({"method":"sessionEventV2","params":{"session_id":"s","seq_id":3,"event":"readyForContinue"}})",
        R"({"method":"sessionEventV2","params":{"sessionId":"s","seqId":4,"event":{"slotNotification":77}}})",
        R"({"method":"sessionEventV2","params":{"session_id":"s","seq_id":5,"event":{"method":"error","params":"internal"}}})",
        R"({"method":"status","params":"someFutureStatus"})",
        R"({"method":"completed","params":{"correct_simulation":1,"rerouteStats":{"a":[1,2]}}})",
        R"({"method":"continue","params":{"advance_count":3,"transactions":[],"modify_account_states":{}}})",
        R"({"method":"continueTo","params":{"slot":9,"batchIndex":null}})",
        R"({"method":"attachBacktestSession","params":{"sessionId":"s","lastSequence":4}})",
        R"({"method":"attachParallelControlSessionV2","params":{"controlSessionId":"c","lastSequences":{"s":1}}})",
        R"({"method":"createBacktestSession","params":{"start_slot":1,"end_slot":2,"discoveries":[{"oracleUpdate":{"programs":["P"],"accounts":[]}}]}})",
        R"({"method":"noSuchMethod","params":{}})",
        R"({"params":{}})",
        R"([1,2,3])",
        R"({"method":"slotNotification","params":-1})",
        R"({"method":"slotNotification","params":1.5e3})",
    };
    for (const char *frame : lenient)
        out.add(QByteArray(frame));
}

// ---------------------------------------------------------------------------
// Data plane

QByteArray wireKey(char fill)
{
    return QByteArray(32, fill);
}

void appendCompactU16(QByteArray &out, uint32_t value)
{
    do {
        uchar b = value & 0x7f;
        value >>= 7;
        if (value)
            b |= 0x80;
        out.append(char(b));
    } while (value);
}

/// A small Solana wire-format transaction: one signature, three static keys,
/// one instruction; v0 adds one address table lookup (1 writable, 1 readonly).
QByteArray wireTransaction(bool v0)
{
    QByteArray wire;
    appendCompactU16(wire, 1);
    wire.append(QByteArray(64, '\x11'));
    if (v0)
        wire.append(char(0x80));
    wire.append(char(1)).append(char(0)).append(char(1)); // header
    appendCompactU16(wire, 3);
    wire.append(wireKey('\x01')).append(wireKey('\x02')).append(wireKey('\x03'));
    wire.append(wireKey('\x09')); // recent blockhash
    appendCompactU16(wire, 1);
    wire.append(char(2));           // programIdIndex
    appendCompactU16(wire, 2);
    wire.append(char(0)).append(char(1));
    appendCompactU16(wire, 4);
    wire.append("\x02\x00\x00\x00", 4);
    if (v0) {
        appendCompactU16(wire, 1);
        wire.append(wireKey('\x0a'));
        appendCompactU16(wire, 1);
        wire.append(char(0));
        appendCompactU16(wire, 1);
        wire.append(char(1));
    }
    return wire;
}

QByteArray key58(char fill)
{
    return base58Encode(wireKey(fill));
}

/// Hand-written EncodedConfirmedTransactionWithStatusMeta objects (made-up
/// keys; shapes from the fixtures README "Exact JSON shapes seen").
QList<QByteArray> sampleTransactions()
{
    const QByteArray a = key58('\x01'), b = key58('\x02'), p = key58('\x03'), mint = key58('\x04');
    const QByteArray sig = base58Encode(QByteArray(64, '\x11'));
    const QByteArray meta = R"("meta":{"err":@ERR@,"status":{"Ok":null},"fee":5000,"preBalances":[100000,2000,1],)"
                            R"("postBalances":[95000,2000,1],"innerInstructions":[{"index":0,"instructions":)"
                            R"([{"programIdIndex":2,"accounts":[0],"data":"3Bxs","stackHeight":2}]}],)"
                            R"("logMessages":["Program P invoke [1]","Program P success"],)"
                            R"("preTokenBalances":[{"accountIndex":1,"mint":"@MINT@","owner":"A","programId":"P",)"
                            R"("uiTokenAmount":{"amount":"10","decimals":6,"uiAmount":0.00001,"uiAmountString":"0.00001"}}],)"
                            R"("postTokenBalances":[{"accountIndex":1,"mint":"@MINT@","owner":"A","programId":"P",)"
                            R"("uiTokenAmount":{"amount":"7","decimals":6,"uiAmount":0.000007,"uiAmountString":"0.000007"}}],)"
                            R"("rewards":[],"loadedAddresses":{"writable":[],"readonly":[]},"computeUnitsConsumed":1234})";
    auto withMeta = [&](QByteArray tx, const QByteArray &err) {
        QByteArray m = meta;
        m.replace("@ERR@", err);
        m.replace("@MINT@", mint);
        m.replace("\"A\"", '"' + a + '"');
        m.replace("Program P", "Program " + p);
        tx.replace("@META@", m);
        tx.replace("@SIG@", sig);
        tx.replace("@KA@", a);
        tx.replace("@KB@", b);
        tx.replace("@KP@", p);
        return tx;
    };
    const QByteArray json =
        R"({"slot":1000,"blockTime":1700000000,"transaction":{"signatures":["@SIG@"],"message":{"accountKeys":["@KA@","@KB@","@KP@"],)"
        R"("header":{"numRequiredSignatures":1,"numReadonlySignedAccounts":0,"numReadonlyUnsignedAccounts":1},)"
        R"("recentBlockhash":"@KB@","instructions":[{"programIdIndex":2,"accounts":[0,1],"data":"3Bxs","stackHeight":null}]}},@META@})";
    const QByteArray parsed =
        R"({"slot":1001,"blockTime":1700000001,"version":0,"transactionIndex":4,"transaction":{"signatures":["@SIG@"],"message":{"accountKeys":[)"
        R"({"pubkey":"@KA@","signer":true,"writable":true,"source":"transaction"},)"
        R"({"pubkey":"@KB@","signer":false,"writable":true,"source":"lookupTable"},)"
        R"({"pubkey":"@KP@","signer":false,"writable":false,"source":"transaction"}],"recentBlockhash":"@KB@",)"
        R"("instructions":[{"program":"system","programId":"@KP@","parsed":{"type":"transfer","info":{}},"stackHeight":null},)"
        R"({"programId":"@KP@","accounts":["@KA@"],"data":"3Bxs"}]}},@META@})";
    QList<QByteArray> list{
        withMeta(json, "null"),
        withMeta(json, R"({"InstructionError":[0,{"Custom":1}]})"),
        withMeta(parsed, "null"),
        withMeta(parsed, R"({"InstructionError":[3,"ProgramFailedToComplete"]})"),
        withMeta(parsed, R"("AccountInUse")"),
    };
    for (const bool v0 : {false, true}) {
        QByteArray binary = R"({"slot":1002,"transaction":[")" + wireTransaction(v0).toBase64()
            + R"(","base64"],)" + (v0 ? R"("version":0,)" : R"("version":"legacy",)")
            + R"("meta":{"err":null,"fee":5000,"preBalances":[10,0,1],"postBalances":[5,5,1],"logMessages":null,)"
            + (v0 ? R"("loadedAddresses":{"writable":["@KB@"],"readonly":["@KP@"]}})" : R"("loadedAddresses":{"writable":[],"readonly":[]}})")
            + '}';
        binary.replace("@KB@", b).replace("@KP@", p);
        list.append(binary);
    }
    list.append(R"({"slot":1003,"transaction":[")" + base58Encode(wireTransaction(false)) + R"(","base58"],"meta":null})");
    list.append(R"({"jsonrpc":"2.0","result":)" + list.constFirst() + R"(,"id":"4f1c"})");
    list.append(R"({"jsonrpc":"2.0","result":null,"id":1})");
    list.append(R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params"},"id":1})");
    return list;
}

/// Every transaction of the shared fixtures (the derived replay file) as the
/// exact JSON of its `result`.
QList<QByteArray> fixtureTransactions(const QString &fixturesDir)
{
    QList<QByteArray> list;
    const QString path = fixturesDir + u"/derived/mainnet_transactions_by_slot.json"_s;
    simdjson::padded_string json;
    if (simdjson::padded_string::load(QFile::encodeName(path).toStdString()).get(json))
        return list;
    simdjson::dom::parser parser;
    simdjson::dom::array array;
    if (parser.parse(json).get_array().get(array))
        return list;
    for (simdjson::dom::element entry : array) {
        simdjson::dom::element result;
        if (!entry["result"].get(result))
            list.append(QByteArray::fromStdString(simdjson::minify(result)));
    }
    return list;
}

void writeDataPlaneSeeds(SeedWriter &out, const QList<QByteArray> &transactions)
{
    TransactionSubscribeParams all;
    TransactionSubscribeParams filtered;
    filtered.accountInclude = {kProgram, u"Vote111111111111111111111111111111111111111"_s};
    filtered.replayFromSlot = 1000;
    filtered.zstd = true;
    out.add(encodeTransactionSubscribe(1, all));
    out.add(encodeTransactionSubscribe(2, filtered));
    out.add(encodeAccountDiffSubscribe(3, AccountDiffSubscribeParams{kProgram, true, 1000, true}));
    out.add(encodeAccountDiffSubscribe(4, AccountDiffSubscribeParams{kProgram, false, std::nullopt, false}));
    out.add(encodeSubscribeAck(1, 77));
    out.add(encodeRpcError(2, -32602, u"Invalid params: \"x\""_s));
    out.add(encodeRpcError(-1, -32700, u"Parse error"_s));
    out.add(encodeAccountDiffNotification(
        77, R"({"context":{"slot":1005},"account":"A","signature":"S","pre":{"lamports":1},"post":{"lamports":2}})"));
    out.add(encodeAccountDiffNotification(78, R"({"slot":1006,"account":null,"signature":null})"));

    const char *const lenient[] = {
        R"({"jsonrpc":"2.0","id":"5","method":"transactionSubscribe","params":["JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"]})",
        R"({"jsonrpc":"2.0","id":6,"method":"transactionSubscribe","params":[["A","B","A"],{"replay_from_slot":9}]})",
        R"({"jsonrpc":"2.0","id":7,"method":"transactionSubscribe","params":{"programIds":["P"],"compression":"ZSTD"}})",
        R"({"jsonrpc":"2.0","id":8,"method":"accountDiffSubscribe","params":["A",{"addressType":"Program"}]})",
        R"({"jsonrpc":"2.0","result":12,"id":"3"})",
        R"({"jsonrpc":"2.0","error":"plain text error","id":null})",
        R"({"jsonrpc":"2.0","method":"slotNotification","params":{"subscription":1,"result":{"slot":5}}})",
        R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":1,"result":[]}})",
        R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"result":{},"subscription":1.5}})",
        R"({"params":{"subscription":1,"result":{}},"method":"transaction\u004eotification"})",
        R"( {"a":"\"\\\/\b\f\n\r\t\u00e9","b":[true,false,null,-0.5e+10,{}],"c":[]} )",
        R"(["unterminated)",
        R"({"InstructionError":[0,{"Custom":1}]})",
        R"({"InstructionError":[3,"ProgramFailedToComplete"]})",
        R"({"InstructionError":[1,{"BorshIoError":"x"}]})",
        R"("AccountInUse")",
        R"({"DuplicateInstruction":2})",
        R"({"InsufficientFundsForRent":{"account_index":1}})",
        "11111111111111111111111111111111",
        "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4",
    };
    for (const char *frame : lenient)
        out.add(QByteArray(frame));

    qint64 subscription = 1;
    for (const QByteArray &transaction : transactions) {
        out.add(encodeTransactionNotification(subscription++, transaction));
        out.add(transaction);
    }
}

// ---------------------------------------------------------------------------
// Capture lines

QList<QByteArray> linesOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

void writeCaptureSeeds(SeedWriter &out, const QList<QByteArray> &transactions)
{
    QTemporaryDir dir;
    if (dir.isValid()) {
        CaptureWriter writer;
        CaptureMetadata metadata;
        metadata.startSlot = 1000;
        metadata.endSlot = 1099;
        metadata.programIds = {kProgram};
        metadata.ranAtUnixSecs = 1780023967;
        metadata.programSo = {u"./target/deploy/program.so"_s};
        const QString path = dir.filePath(u"seed.ndjson"_s);
        if (writer.open(path, metadata)) {
            TransactionSummarizer summarizer;
            for (const QByteArray &transaction : transactions) {
                if (const auto summary = summarizer.summarize(transaction))
                    writer.appendTransaction(kSession, *summary, transaction);
            }
            TransactionSummary bare;
            bare.slot = 7;
            bare.signature = u"sig"_s;
            bare.success = false;
            bare.error = u"custom program error: 0x1"_s;
            writer.appendTransaction(QString(), bare, {});
            writer.appendEvent(u"paused"_s, kSession, QJsonObject{{u"slot"_s, 1010}, {u"batchIndex"_s, 3}});
            writer.appendEvent(u"connection"_s, kSession, QJsonObject{{u"status"_s, u"up"_s}});
            writer.appendEvent(u"account_diff"_s, kSession, QByteArrayView(R"({"slot":18446744073709551615})"));
            writer.appendEvent(u"note"_s, QString(), QByteArrayView(R"("just a string")"));
            writer.finish({kSession});
            for (const QByteArray &line : linesOf(path))
                out.add(line);
            for (const QByteArray &line : linesOf(CaptureWriter::eventsPathFor(path)))
                out.add(line);
        }
    }

    // `sim run` lines (CAPTURE_FORMAT.md §7) with made-up keys, and edge cases.
    const char *const lines[] = {
        R"({"type":"metadata","data":{"start_slot":1,"end_slot":2,"program_ids":["P"],"ran_at_unix_secs":1780023967}})",
        R"({"type":"session_started","data":{"session_id":"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"}})",
        R"({"type":"tx","data":{"slot":5,"timestamp":1778761079,"signature":"S1","success":true,"logs":["Program P invoke [1]"],)"
        R"("sol_changes":[{"account":"A","pre_lamports":401428673570,"post_lamports":401428625200}],)"
        R"("token_changes":[{"account":"T","mint":"M","owner":"O","pre_amount":10,"post_amount":7,"decimals":6}]}})",
        R"({"type":"tx","data":{"slot":6,"timestamp":1704919455,"signature":"S2","success":false,)"
        R"("error":"Error processing Instruction 3: Program failed to complete","logs":[],"sol_changes":[],"token_changes":[]}})",
        R"({"data":{"slot":6,"signature":"S3","success":true,"raw":{"slot":6}},"type":"tx"})",
        R"({"type":"diff","data":{"signature":"S1","slot":5,"tx_index":17,"account":"A","pre_lamports":1,"post_lamports":1}})",
        R"({"type":"summary","data":{"total":2,"successes":1,"failures":1,"session_ids":["s"]}})",
        R"({"type":"summary","data":{"total":2,"successes":1,"failures":1,"session_ids":["s"],"summary":{"total":2,"successes":1,"failures":1}}})",
        R"({"type":"__probe__","data":{}})",
        R"({"type":"tx","data":{"slot":1,"signature":"x","success":true,"logs":[],"sol_changes":[{}],"token_changes":[]}})",
        R"({"type":"tx","data":{"slot":1,"signature":"x"}} trailing)",
        R"({"type":"paused","session_id":"s","at":"2026-05-01T12:00:00.000Z","data":{"slot":3}})",
        R"({"slot":9,"signature":"S9","success":true,"fee":5000,"compute_units_consumed":10,"block_time":null,"fee_payer":"A","program_ids":["P"]})",
        R"({"start_slot":1,"end_slot":2,"session_ids":["a","b"]})",
        R"({"total":3,"successes":3,"failures":0})",
        "   ",
    };
    for (const char *line : lines)
        out.add(QByteArray(line));
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    QLoggingCategory::setFilterRules(u"slotscope.*.debug=false"_s);
    const QString outDir = QString::fromLocal8Bit(argv[1]);
    QString fixturesDir = qEnvironmentVariable("SLOTSCOPE_FIXTURES_DIR");
    if (fixturesDir.isEmpty())
        fixturesDir = QStringLiteral(SLOTSCOPE_FIXTURES_DIR);

    QList<QByteArray> transactions = sampleTransactions();
    const QList<QByteArray> fixtures = fixtureTransactions(fixturesDir);
    if (fixtures.isEmpty())
        std::fprintf(stderr, "fuzz_seeds: no fixture transactions under %s\n", qPrintable(fixturesDir));
    transactions.append(fixtures);

    SeedWriter control(outDir + u"/controlcodec"_s);
    writeControlSeeds(control);
    SeedWriter dataPlane(outDir + u"/dataplanecodec"_s);
    writeDataPlaneSeeds(dataPlane, transactions);
    SeedWriter capture(outDir + u"/capturelines"_s);
    writeCaptureSeeds(capture, transactions);
    std::printf("fuzz_seeds: %d control, %d data-plane, %d capture seeds (%lld fixture transactions)\n",
                control.count(), dataPlane.count(), capture.count(), qlonglong(fixtures.size()));
    return 0;
}

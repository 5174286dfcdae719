// BacktestError of simulator-api 0.31 (PROTOCOL-0.31.md §4.8): all 22
// variants, their own messages, and the one classification every layer uses.
// Expected values are typed from the addendum's tables, not from the code's.

#include "protocol/backtesterror.h"
#include "protocol/controlmessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(SlotScope::BacktestErrorKind)
Q_DECLARE_METATYPE(SlotScope::BacktestErrorClass)

namespace {

QJsonValue jsonValue(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test data: %s", text.constData());
    return doc.array().at(0);
}

BacktestError decodeError(const QByteArray &params)
{
    const Result<ControlFrame> frame = decodeControlResponse(R"({"method":"error","params":)" + params + '}');
    if (!frame.ok() || !std::holds_alternative<Responses::Error>(frame->response))
        qFatal("error frame did not decode: %s", params.constData());
    return std::get<Responses::Error>(frame->response).error;
}

} // namespace

class tst_BacktestError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void variants_data();
    void variants();
    void everyKindHasAVariant();
    void unknownVariants_data();
    void unknownVariants();
    void builders();
    void classNames();
};

void tst_BacktestError::variants_data()
{
    QTest::addColumn<BacktestErrorKind>("kind");
    QTest::addColumn<QByteArray>("params"); // wire form (PROTOCOL-0.31.md §4.8 table)
    QTest::addColumn<BacktestErrorClass>("errorClass");
    QTest::addColumn<QString>("message");

    using K = BacktestErrorKind;
    using C = BacktestErrorClass;
    // Request rejected, session unchanged.
    QTest::addRow("invalidTransactionEncoding")
        << K::InvalidTransactionEncoding << QByteArray(R"({"invalidTransactionEncoding":{"index":1,"error":"bad base64"}})")
        << C::RequestRejected << u"invalid transaction encoding (transaction 1): bad base64"_s;
    QTest::addRow("invalidTransactionFormat")
        << K::InvalidTransactionFormat << QByteArray(R"({"invalidTransactionFormat":{"index":4,"error":"short"}})")
        << C::RequestRejected << u"invalid transaction format (transaction 4): short"_s;
    QTest::addRow("invalidAccountEncoding")
        << K::InvalidAccountEncoding
        << QByteArray(R"({"invalidAccountEncoding":{"address":"Acc1","encoding":"base64","error":"padding"}})")
        << C::RequestRejected << u"invalid account encoding for Acc1 (base64): padding"_s;
    QTest::addRow("invalidAccountOwner")
        << K::InvalidAccountOwner << QByteArray(R"({"invalidAccountOwner":{"address":"Acc1","error":"not base58"}})")
        << C::RequestRejected << u"invalid account owner for Acc1: not base58"_s;
    QTest::addRow("invalidAccountPubkey")
        << K::InvalidAccountPubkey << QByteArray(R"({"invalidAccountPubkey":{"address":"Acc1","error":"length"}})")
        << C::RequestRejected << u"invalid account pubkey Acc1: length"_s;
    QTest::addRow("invalidRequest")
        << K::InvalidRequest << QByteArray(R"({"invalidRequest":{"error":"slot 5 already executed"}})")
        << C::RequestRejected << u"invalid request: slot 5 already executed"_s;
    QTest::addRow("invalidBlockhashFormat")
        << K::InvalidBlockhashFormat << QByteArray(R"({"invalidBlockhashFormat":{"slot":9,"error":"bad hash"}})")
        << C::RequestRejected << u"invalid blockhash format at slot 9: bad hash"_s;
    QTest::addRow("programdataNotDeployed (0.31)")
        << K::ProgramdataNotDeployed
        << QByteArray(R"({"programdataNotDeployed":{"address":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"}})")
        << C::RequestRejected << u"program data not deployed for JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
    // Terminal.
    QTest::addRow("noMoreBlocks") << K::NoMoreBlocks << QByteArray(R"("noMoreBlocks")") << C::Terminal
                                  << u"no more blocks"_s;
    QTest::addRow("advanceSlotFailed")
        << K::AdvanceSlotFailed << QByteArray(R"({"advanceSlotFailed":{"slot":12,"error":"frozen"}})") << C::Terminal
        << u"advancing slot 12 failed: frozen"_s;
    QTest::addRow("finalizeSlotFailed")
        << K::FinalizeSlotFailed << QByteArray(R"({"finalizeSlotFailed":{"slot":13,"error":"mismatch"}})")
        << C::Terminal << u"finalizing slot 13 failed: mismatch"_s;
    QTest::addRow("internal") << K::Internal << QByteArray(R"({"internal":{"error":"db down"}})") << C::Terminal
                              << u"internal server error: db down"_s;
    QTest::addRow("cut (0.31)") << K::Cut << QByteArray(R"({"cut":{"slot":380000077}})") << C::Terminal
                                << u"session cut off at slot 380000077"_s;
    // Per transaction, never fatal (§4.7).
    QTest::addRow("simulationError")
        << K::SimulationError << QByteArray(R"({"simulationError":{"error":"Transaction simulation failed"}})")
        << C::PerTransaction << u"simulation error: Transaction simulation failed"_s;
    // Create / attach time.
    QTest::addRow("bundleNotFound") << K::BundleNotFound << QByteArray(R"({"bundleNotFound":{"start_slot":1,"end_slot":2}})")
                                    << C::CreateFailed << u"bundle not found for slots 1..2"_s;
    QTest::addRow("noProducedBlocksInRange")
        << K::NoProducedBlocksInRange << QByteArray(R"({"noProducedBlocksInRange":{"start_slot":3,"end_slot":4}})")
        << C::CreateFailed << u"no produced blocks in slots 3..4"_s;
    QTest::addRow("clerkError") << K::ClerkError << QByteArray(R"({"clerkError":{"error":"queue full"}})")
                                << C::CreateFailed << u"clerk error: queue full"_s;
    QTest::addRow("initializingSysvarsFailed")
        << K::InitializingSysvarsFailed << QByteArray(R"({"initializingSysvarsFailed":{"slot":6,"error":"clock"}})")
        << C::CreateFailed << u"initializing sysvars failed at slot 6: clock"_s;
    QTest::addRow("sessionNameTaken")
        << K::SessionNameTaken << QByteArray(R"({"sessionNameTaken":{"session_name":"sol-usdc-baseline"}})")
        << C::CreateFailed << u"session name taken: sol-usdc-baseline"_s;
    QTest::addRow("sessionNotFound")
        << K::SessionNotFound << QByteArray(R"({"sessionNotFound":{"session_id":"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"}})")
        << C::CreateFailed << u"session not found: backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s;
    QTest::addRow("sessionOwnerMismatch") << K::SessionOwnerMismatch << QByteArray(R"("sessionOwnerMismatch")")
                                          << C::CreateFailed
                                          << u"session owner mismatch (the session belongs to another API key)"_s;
    // Transient during the handshake.
    QTest::addRow("sessionOwnershipBusy")
        << K::SessionOwnershipBusy << QByteArray(R"({"sessionOwnershipBusy":{"reason":"attached elsewhere"}})")
        << C::TransientHandshake << u"session ownership busy: attached elsewhere"_s;
}

void tst_BacktestError::variants()
{
    QFETCH(BacktestErrorKind, kind);
    QFETCH(QByteArray, params);
    QFETCH(BacktestErrorClass, errorClass);
    QFETCH(QString, message);

    const BacktestError error = decodeError(params);
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.errorClass(), errorClass);
    QCOMPARE(backtestErrorClass(kind), errorClass);
    QCOMPARE(error.isTerminal(), errorClass == BacktestErrorClass::Terminal);
    QCOMPARE(error.message(), message);
    // Strict re-encode: the same wire form.
    QCOMPARE(encodeControlResponse(Responses::Error{error}), R"({"method":"error","params":)" + params + '}');
    // Wire name: the single key of the canonical form (or the bare string).
    const QJsonValue wire = jsonValue(params);
    const QString name = wire.isString() ? wire.toString() : wire.toObject().constBegin().key();
    QCOMPARE(BacktestError::variantName(kind), name);
    // Also in a sessionEventV2 of a parallel batch.
    const Result<ControlFrame> event = decodeControlResponse(
        R"({"method":"sessionEventV2","params":{"session_id":"backtest_a","seq_id":3,"event":{"method":"error","params":)"
        + params + "}}}");
    QVERIFY(event.ok());
    const auto &v2 = std::get<Responses::SessionEventV2>(event->response);
    QCOMPARE(std::get<Responses::Error>(v2.event).error.errorClass(), errorClass);
}

void tst_BacktestError::everyKindHasAVariant()
{
    // 22 variants in 0.31 (PROTOCOL-0.31.md §4.8), each with its own wire name and message.
    QSet<QString> names;
    QSet<QString> messages;
    for (int k = 0; k < int(BacktestErrorKind::Unknown); ++k) {
        const auto kind = BacktestErrorKind(k);
        const BacktestError built = BacktestError::make(kind);
        names.insert(BacktestError::variantName(kind));
        messages.insert(built.message());
        QVERIFY(backtestErrorClass(kind) != BacktestErrorClass::Unknown);
        QCOMPARE(BacktestError::fromJson(built.toJson()).kind, kind);
    }
    QCOMPARE(int(BacktestErrorKind::Unknown), 22);
    QCOMPARE(names.size(), 22);
    QCOMPARE(messages.size(), 22);
    QVERIFY(!names.contains(u"unknown"_s));
}

void tst_BacktestError::unknownVariants_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("message");

    QTest::addRow("future object variant") << QByteArray(R"({"quotaExceeded":{"limit":5}})") << u"quotaExceeded"_s
                                           << u"server error \"quotaExceeded\": {\"limit\":5}"_s;
    QTest::addRow("future unit variant") << QByteArray(R"("maintenance")") << u"maintenance"_s
                                         << u"server error \"maintenance\""_s;
    QTest::addRow("not a variant") << QByteArray(R"([1,2])") << QString() << u"unrecognised server error: [1,2]"_s;
}

void tst_BacktestError::unknownVariants()
{
    QFETCH(QByteArray, params);
    QFETCH(QString, variant);
    QFETCH(QString, message);

    const BacktestError error = decodeError(params);
    QCOMPARE(error.kind, BacktestErrorKind::Unknown);
    QCOMPARE(error.errorClass(), BacktestErrorClass::Unknown);
    QVERIFY(!error.isTerminal()); // unknown = non-terminal (§4.8)
    QCOMPARE(error.variant, variant);
    QCOMPARE(error.raw, jsonValue(params)); // kept raw
    QCOMPARE(error.message(), message);
    QCOMPARE(encodeControlResponse(Responses::Error{error}), R"({"method":"error","params":)" + params + '}');
}

void tst_BacktestError::builders()
{
    const auto frame = [](const BacktestError &e) { return encodeControlResponse(Responses::Error{e}); };
    QCOMPARE(frame(BacktestError::cut(380000077)), QByteArray(R"({"method":"error","params":{"cut":{"slot":380000077}}})"));
    QCOMPARE(frame(BacktestError::programdataNotDeployed(u"Prog1"_s)),
             QByteArray(R"({"method":"error","params":{"programdataNotDeployed":{"address":"Prog1"}}})"));
    QCOMPARE(frame(BacktestError::sessionNameTaken(u"nightly"_s)),
             QByteArray(R"({"method":"error","params":{"sessionNameTaken":{"session_name":"nightly"}}})"));
    QCOMPARE(frame(BacktestError::simulationError(u"tx failed"_s)),
             QByteArray(R"({"method":"error","params":{"simulationError":{"error":"tx failed"}}})"));
    // Fields missing: the message still reads.
    QCOMPARE(BacktestError::make(BacktestErrorKind::Cut).message(), u"session cut off"_s);
    QCOMPARE(BacktestError::make(BacktestErrorKind::ProgramdataNotDeployed).message(), u"program data not deployed"_s);
}

void tst_BacktestError::classNames()
{
    using C = BacktestErrorClass;
    const QList<std::pair<C, QString>> expected = {
        {C::Terminal, u"terminal"_s},
        {C::PerTransaction, u"per-transaction"_s},
        {C::RequestRejected, u"request rejected"_s},
        {C::CreateFailed, u"create/attach failed"_s},
        {C::TransientHandshake, u"transient"_s},
        {C::Unknown, u"unknown"_s},
    };
    for (const auto &[errorClass, name] : expected)
        QCOMPARE(backtestErrorClassName(errorClass), name);
}

QTEST_GUILESS_MAIN(tst_BacktestError)
#include "tst_backtesterror.moc"

// ZstdStreamDecoder (PROTOCOL.md §5.4): frames produced by one ZSTD_CStream
// flushed after every message decode in order with one context; a frame that
// needs an earlier frame's window fails on a fresh context; reset() starts a
// new stream (a reconnect); corrupt input is an error, never a crash.
// Messages are the real mainnet transactions of SLOTSCOPE_FIXTURES_DIR.

#include "net/zstdstreamdecoder.h"
#include "protocol/dataplane.h"
#include "protocol/transactionfiles.h"
#include "support/fixtures.h"
#include "support/scriptedserver.h"

#include <QTest>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;

class tst_ZstdStreamDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void framesOfOneStreamDecodeInOrder_data();
    void framesOfOneStreamDecodeInOrder();
    void laterFrameNeedsTheStreamContext();
    void resetStartsAFreshStream();
    void aNewStreamWithoutResetFails();
    void corruptInputIsAnError_data();
    void corruptInputIsAnError();
    void largeMessageGrowsTheOutput();

private:
    QList<QByteArray> m_messages; // transactionNotification frames, ~14 KB each
};

void tst_ZstdStreamDecoder::initTestCase()
{
    Result<QList<LoadedTransaction>> loaded = loadFixtureTransactions();
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
    for (const LoadedTransaction &transaction : std::as_const(*loaded))
        m_messages.append(encodeTransactionNotification(7, transaction.json));
    QVERIFY(m_messages.size() >= 10);
}

void tst_ZstdStreamDecoder::framesOfOneStreamDecodeInOrder_data()
{
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("count");
    QTest::addRow("level 3, every fixture") << 3 << -1;
    QTest::addRow("level 1, ten") << 1 << 10;
    QTest::addRow("level 19, five") << 19 << 5;
}

void tst_ZstdStreamDecoder::framesOfOneStreamDecodeInOrder()
{
    QFETCH(int, level);
    QFETCH(int, count);
    const QList<QByteArray> messages = count < 0 ? m_messages : m_messages.mid(0, count);
    StreamCompressor compressor(level);
    ZstdStreamDecoder decoder;
    qsizetype compressedTotal = 0;
    qsizetype plainTotal = 0;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QByteArray frame = compressor.compress(messages.at(i));
        compressedTotal += frame.size();
        plainTotal += messages.at(i).size();
        Result<QByteArray> decoded = decoder.decode(frame);
        QVERIFY2(decoded.ok(), qPrintable(u"frame %1: %2"_s.arg(i).arg(decoded.ok() ? QString() : decoded.error().message)));
        QCOMPARE(*decoded, messages.at(i)); // exactly one message per frame
    }
    QCOMPARE(decoder.framesDecoded(), qint64(messages.size()));
    QVERIFY(!decoder.isBroken());
    QVERIFY2(compressedTotal * 3 < plainTotal, "the stream should compress real notifications well");
}

void tst_ZstdStreamDecoder::laterFrameNeedsTheStreamContext()
{
    StreamCompressor compressor;
    const QByteArray first = compressor.compress(m_messages.at(0));
    const QByteArray second = compressor.compress(m_messages.at(1));
    // The second frame is a continuation block: no frame header, and it
    // refers back into the first message's window.
    QVERIFY(first.startsWith("\x28\xb5\x2f\xfd"));
    QVERIFY(!second.startsWith("\x28\xb5\x2f\xfd"));

    ZstdStreamDecoder fresh;
    Result<QByteArray> decoded = fresh.decode(second);
    QVERIFY(!decoded.ok());
    QVERIFY2(decoded.error().message.startsWith(u"zstd: "_s), qPrintable(decoded.error().message));
    QVERIFY(fresh.isBroken());
    // Broken until reset: even the right first frame is refused.
    QVERIFY(!fresh.decode(first).ok());

    // With the context, both decode.
    ZstdStreamDecoder inOrder;
    QCOMPARE(*inOrder.decode(first), m_messages.at(0));
    QCOMPARE(*inOrder.decode(second), m_messages.at(1));
}

void tst_ZstdStreamDecoder::resetStartsAFreshStream()
{
    ZstdStreamDecoder decoder;
    {
        StreamCompressor firstConnection;
        for (int i = 0; i < 3; ++i)
            QCOMPARE(*decoder.decode(firstConnection.compress(m_messages.at(i))), m_messages.at(i));
    }
    QCOMPARE(decoder.framesDecoded(), qint64(3));

    // Reconnect: a new server-side compressor, the client resets.
    decoder.reset();
    QCOMPARE(decoder.framesDecoded(), qint64(0));
    StreamCompressor secondConnection;
    for (int i = 2; i < 8; ++i) // the replay repeats message 2, then goes on
        QCOMPARE(*decoder.decode(secondConnection.compress(m_messages.at(i))), m_messages.at(i));

    // A broken decoder recovers with reset() too.
    QVERIFY(!decoder.decode("garbage"_ba).ok());
    QVERIFY(decoder.isBroken());
    decoder.reset();
    QVERIFY(!decoder.isBroken());
    StreamCompressor thirdConnection;
    QCOMPARE(*decoder.decode(thirdConnection.compress(m_messages.at(9))), m_messages.at(9));
}

void tst_ZstdStreamDecoder::aNewStreamWithoutResetFails()
{
    ZstdStreamDecoder decoder;
    StreamCompressor firstConnection;
    QCOMPARE(*decoder.decode(firstConnection.compress(m_messages.at(0))), m_messages.at(0));
    // The decoder still expects a block of the first stream; a new stream's
    // frame header is not one.
    StreamCompressor secondConnection;
    Result<QByteArray> decoded = decoder.decode(secondConnection.compress(m_messages.at(1)));
    QVERIFY(!decoded.ok() || *decoded != m_messages.at(1));
}

void tst_ZstdStreamDecoder::corruptInputIsAnError_data()
{
    QTest::addColumn<QByteArray>("prefix"); // frames decoded first (a healthy start)
    QTest::addColumn<QByteArray>("frame");

    StreamCompressor compressor;
    const QByteArray first = compressor.compress(m_messages.at(0));
    const QByteArray second = compressor.compress(m_messages.at(1));

    QTest::addRow("empty frame") << QByteArray() << QByteArray();
    QTest::addRow("plain JSON") << QByteArray() << m_messages.at(0);
    QTest::addRow("random bytes") << QByteArray() << QByteArray(64, '\xff');
    QTest::addRow("magic only") << QByteArray() << "\x28\xb5\x2f\xfd"_ba;
    QTest::addRow("first frame cut in half") << QByteArray() << first.first(first.size() / 2);
    QTest::addRow("second frame cut in half") << first << second.first(second.size() / 2);
    QTest::addRow("garbage after a good frame") << first << QByteArray(32, '\xee');
    QByteArray badHeader = first;
    badHeader[4] = char(0xff); // frame header descriptor with reserved bits set
    QTest::addRow("bad frame header") << QByteArray() << badHeader;
}

void tst_ZstdStreamDecoder::corruptInputIsAnError()
{
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArray, frame);
    ZstdStreamDecoder decoder;
    if (!prefix.isEmpty())
        QVERIFY(decoder.decode(prefix).ok());
    Result<QByteArray> decoded = decoder.decode(frame);
    QVERIFY(!decoded.ok());
    QVERIFY(!decoded.error().message.isEmpty());
    QVERIFY(decoder.isBroken());
}

void tst_ZstdStreamDecoder::largeMessageGrowsTheOutput()
{
    // Far beyond the first output buffer (frame size × 6): ~2 MB of one block
    // of repeated notifications compresses to a few KB.
    QByteArray large;
    while (large.size() < 2 * 1024 * 1024)
        large.append(m_messages.at(large.size() % m_messages.size()));
    StreamCompressor compressor;
    const QByteArray frame = compressor.compress(large);
    QVERIFY(frame.size() * 6 < large.size());
    ZstdStreamDecoder decoder;
    Result<QByteArray> decoded = decoder.decode(frame);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->size(), large.size());
    QVERIFY(*decoded == large);
    QCOMPARE(*decoder.decode(compressor.compress(m_messages.at(3))), m_messages.at(3));
}

QTEST_GUILESS_MAIN(tst_ZstdStreamDecoder)
#include "tst_zstdstreamdecoder.moc"

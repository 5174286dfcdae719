// Base58 (Bitcoin alphabet) as used for Solana pubkeys and signatures.

#include "protocol/base58.h"
#include "support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;

class tst_Base58 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownValues_data();
    void knownValues();
    void invalidCharacters_data();
    void invalidCharacters();
    void fixtureSignaturesRoundTrip();
    void randomRoundTrip();
    void programIds_data();
    void programIds();
    void fastEncodeMatchesAnyLength();
    void fastDecodeMatchesAnyLength();
};

void tst_Base58::knownValues_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("text");

    QTest::addRow("empty") << QByteArray() << QByteArray();
    QTest::addRow("one zero byte") << QByteArray(1, '\0') << QByteArray("1");
    QTest::addRow("system program (32 zero bytes)")
        << QByteArray(32, '\0') << QByteArray("11111111111111111111111111111111");
    QTest::addRow("leading zeros kept") << QByteArray::fromHex("000001") << QByteArray("112");
    QTest::addRow("ten zero bytes") << QByteArray(10, '\0') << QByteArray("1111111111");
    QTest::addRow("a") << QByteArray::fromHex("61") << QByteArray("2g");
    QTest::addRow("bbb") << QByteArray::fromHex("626262") << QByteArray("a3gV");
    QTest::addRow("ccc") << QByteArray::fromHex("636363") << QByteArray("aPEr");
    QTest::addRow("Hello World!") << QByteArray("Hello World!") << QByteArray("2NEpo7TZRRrLZSi2U");
    QTest::addRow("bitcoin address")
        << QByteArray::fromHex("00eb15231dfceb60925886b67d065299925915aeb172c06647")
        << QByteArray("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L");
    QTest::addRow("516b6fcd0f") << QByteArray::fromHex("516b6fcd0f") << QByteArray("ABnLTmg");
    QTest::addRow("ecac89cad93923c02321") << QByteArray::fromHex("ecac89cad93923c02321")
                                          << QByteArray("EJDM8drfXA6uyA");
    QTest::addRow("spl token program")
        << QByteArray::fromHex("06ddf6e1d765a193d9cbe146ceeb79ac1cb485ed5f5b37913a8cf5857eff00a9")
        << QByteArray("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    QTest::addRow("sysvar rent")
        << QByteArray::fromHex("06a7d517192c5c51218cc94c3d4af17f58daee089ba1fd44e3dbd98a00000000")
        << QByteArray("SysvarRent111111111111111111111111111111111");
}

void tst_Base58::knownValues()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, text);

    QCOMPARE(base58Encode(bytes), text);
    const std::optional<QByteArray> decoded = base58Decode(text);
    QVERIFY(decoded.has_value());
    QCOMPARE(decoded->toHex(), bytes.toHex());
}

void tst_Base58::invalidCharacters_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("zero digit") << QByteArray("10");
    QTest::addRow("capital O") << QByteArray("1O1");
    QTest::addRow("capital I") << QByteArray("I");
    QTest::addRow("lower-case l") << QByteArray("abl");
    QTest::addRow("plus sign") << QByteArray("abc+");
    QTest::addRow("space") << QByteArray("abc def");
    QTest::addRow("non-ASCII byte") << QByteArray("ab\xc3\xa9");
    QTest::addRow("NUL byte") << QByteArray("ab\0c", 4);
}

void tst_Base58::invalidCharacters()
{
    QFETCH(QByteArray, text);
    QVERIFY(!base58Decode(text).has_value());
}

void tst_Base58::fixtureSignaturesRoundTrip()
{
    // Real 64-byte mainnet signatures and 32-byte account keys from the shared fixtures.
    const QString path = fixturesDir()
        + u"/solana-foundation-explorer/mainnet-single-sol-2kHbPUGzehenUXQbBfAVZGcuTrSUVDMEyU2aGcjFbuUAJkG28CyQPCGZF68u369MU7WHMvJboyioqyihvtR75nLn.json"_s;
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    const QJsonObject tx = QJsonDocument::fromJson(file.readAll()).object().value(u"result"_s).toObject()
                               .value(u"transaction"_s).toObject();
    const QJsonArray signatures = tx.value(u"signatures"_s).toArray();
    QVERIFY(!signatures.isEmpty());
    const QByteArray signature = signatures.first().toString().toLatin1();
    QCOMPARE(signature,
             QByteArray("2kHbPUGzehenUXQbBfAVZGcuTrSUVDMEyU2aGcjFbuUAJkG28CyQPCGZF68u369MU7WHMvJboyioqyihvtR75nLn"));
    const auto raw = base58Decode(signature);
    QVERIFY(raw.has_value());
    QCOMPARE(raw->size(), 64);
    QCOMPARE(base58Encode(*raw), signature);

    const QJsonArray keys = tx.value(u"message"_s).toObject().value(u"accountKeys"_s).toArray();
    QVERIFY(!keys.isEmpty());
    for (const QJsonValue &key : keys) {
        const QByteArray pubkey = key.toObject().value(u"pubkey"_s).toString().toLatin1();
        const auto bytes = base58Decode(pubkey);
        QVERIFY2(bytes.has_value(), pubkey.constData());
        QCOMPARE(bytes->size(), 32);
        QCOMPARE(base58Encode(*bytes), pubkey);
    }
}

void tst_Base58::randomRoundTrip()
{
    QRandomGenerator rng(20240611);
    for (int round = 0; round < 500; ++round) {
        QByteArray bytes(rng.bounded(0, 80), '\0');
        for (char &b : bytes)
            b = char(rng.bounded(0, 256));
        const int zeros = rng.bounded(0, 4);
        bytes.prepend(QByteArray(zeros, '\0'));
        const QByteArray text = base58Encode(bytes);
        QVERIFY(text.startsWith(QByteArray(zeros, '1')));
        const auto decoded = base58Decode(text);
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->toHex(), bytes.toHex());
    }
}

void tst_Base58::programIds_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("result"); // the accepted id, or the error message

    QTest::addColumn<bool>("valid");
    QTest::addRow("Jupiter v6") << u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s
                                << u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s << true;
    QTest::addRow("system program (32 zero bytes)") << u"11111111111111111111111111111111"_s
                                                     << u"11111111111111111111111111111111"_s << true;
    QTest::addRow("surrounding whitespace trimmed") << u" TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA\n"_s
                                                    << u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s << true;
    QTest::addRow("issue 9 example") << u"notabase58!!"_s
                                     << u"program id \"notabase58!!\" is not base58: '!' at position 11 is not in "
                                        "the base58 alphabet (no 0, O, I or l)"_s
                                     << false;
    QTest::addRow("zero digit") << u"JUP60kbZ"_s
                                << u"program id \"JUP60kbZ\" is not base58: '0' at position 5 is not in the base58 "
                                   "alphabet (no 0, O, I or l)"_s
                                << false;
    QTest::addRow("non-ASCII") << u"JUPé"_s
                               << u"program id \"JUPé\" is not base58: 'é' at position 4 is not in the base58 "
                                  "alphabet (no 0, O, I or l)"_s
                               << false;
    QTest::addRow("too short: 31 bytes (one character dropped)")
        << u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV"_s
        << u"program id \"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV\" decodes to 31 bytes; a Solana address has 32"_s
        << false;
    QTest::addRow("a signature is 64 bytes")
        << u"2kHbPUGzehenUXQbBfAVZGcuTrSUVDMEyU2aGcjFbuUAJkG28CyQPCGZF68u369MU7WHMvJboyioqyihvtR75nLn"_s
        << u"program id \"2kHbPUGzehenUXQbBfAVZGcuTrSUVDMEyU2aGcjFbuUAJkG28CyQPCGZF68u369MU7WHMvJboyioqyihvtR75nLn\" "
           "decodes to 64 bytes; a Solana address has 32"_s
        << false;
    QTest::addRow("empty") << u"   "_s << u"program id is empty"_s << false;
}

void tst_Base58::programIds()
{
    QFETCH(QString, input);
    QFETCH(QString, result);
    QFETCH(bool, valid);
    const Result<QString> id = validateProgramId(input);
    QCOMPARE(id.ok(), valid);
    QCOMPARE(id.ok() ? *id : id.error().message, result);
    // The same rule for any address, named as asked.
    const Result<QString> account = validateAddress(input, "account"_L1);
    QCOMPARE(account.ok(), valid);
    if (!valid)
        QVERIFY(account.error().message.startsWith(u"account"_s));
}

void tst_Base58::fastEncodeMatchesAnyLength()
{
    QRandomGenerator random(20240601);
    for (int round = 0; round < 3000; ++round) {
        const int size = int(random.bounded(65));
        QByteArray bytes(size, '\0');
        for (char &b : bytes)
            b = char(random.bounded(256));
        const int zeros = size > 0 ? int(random.bounded(qMin(size, 4) + 1)) : 0;
        for (int i = 0; i < zeros; ++i)
            bytes[i] = 0;
        const QString fast = Internal::base58String(reinterpret_cast<const unsigned char *>(bytes.constData()), size);
        QCOMPARE(fast, QString::fromLatin1(Internal::base58EncodeAnyLength(bytes)));
        QCOMPARE(base58Encode(bytes), Internal::base58EncodeAnyLength(bytes));
    }
    const QByteArray max(64, '\xff');
    QCOMPARE(Internal::base58String(reinterpret_cast<const unsigned char *>(max.constData()), 64),
             QString::fromLatin1(Internal::base58EncodeAnyLength(max)));
    // Longer than 64 bytes (instruction data): the byte-at-a-time encoder.
    const QByteArray data(65 + 200, '\x7f');
    QCOMPARE(base58Encode(data), Internal::base58EncodeAnyLength(data));
    QCOMPARE(*base58Decode(base58Encode(data)), data);
}

void tst_Base58::fastDecodeMatchesAnyLength()
{
    QRandomGenerator random(7);
    const QByteArray alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    int decoded = 0;
    for (int round = 0; round < 5000; ++round) {
        const int size = round % 3 == 0 ? 32 : 64;
        QByteArray text;
        if (round % 2 == 0) {
            // A real encoding of `size` bytes (with some leading zero bytes).
            QByteArray bytes(size, '\0');
            for (char &b : bytes)
                b = char(random.bounded(256));
            for (int i = 0, zeros = int(random.bounded(3)); i < zeros; ++i)
                bytes[i] = 0;
            text = base58Encode(bytes);
        } else {
            // Arbitrary text around the right length, sometimes with a bad character.
            const int length = int(random.bounded(size * 3 / 2)) + 1;
            for (int i = 0; i < length; ++i)
                text += alphabet.at(random.bounded(58));
            if (round % 5 == 1)
                text[int(random.bounded(length))] = "0OIl+/ "[random.bounded(7)];
        }
        unsigned char out[64];
        const bool ok = Internal::decodeBase58(QString::fromLatin1(text), out, size);
        const std::optional<QByteArray> reference = base58Decode(text);
        const bool expectedOk = reference && reference->size() == size;
        QCOMPARE(ok, expectedOk);
        if (ok) {
            QCOMPARE(QByteArray(reinterpret_cast<const char *>(out), size), *reference);
            ++decoded;
        }
    }
    QVERIFY(decoded > 2500);
    unsigned char out[64];
    QVERIFY(!Internal::decodeBase58(u""_s, out, 64));
    QVERIFY(!Internal::decodeBase58(u"11111111111111111111111111111111"_s, out, 64));
    QVERIFY(Internal::decodeBase58(u"11111111111111111111111111111111"_s, out, 32)); // the system program
    QVERIFY(std::all_of(out, out + 32, [](unsigned char b) { return b == 0; }));
    QVERIFY(!Internal::decodeBase58(u"5SnGKXqNQ6zYGfNHQwHWwRtbxnYHUHLbANXgpvCLuXD1LA5paStRBcuXwu2T5eM9xsVWFQTzeUNwPWx6UAQhUb2ü"_s, out, 64));
}

QTEST_GUILESS_MAIN(tst_Base58)
#include "tst_base58.moc"

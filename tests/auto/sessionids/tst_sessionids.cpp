// Session ids in both forms, session names and create tokens
// (PROTOCOL-0.31.md §3.1.2, §5.1–5.2).

#include "protocol/sessionids.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

class tst_SessionIds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isSessionId_data();
    void isSessionId();
    void sameSessionId_data();
    void sameSessionId();
    void sessionIdLabel_data();
    void sessionIdLabel();
    void validSessionNames_data();
    void validSessionNames();
    void invalidSessionNames_data();
    void invalidSessionNames();
    void createTokens();
};

void tst_SessionIds::isSessionId_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");

    // PROTOCOL-0.31.md §5.1 example and its hyphenated (pre-0.31) spelling.
    QTest::addRow("0.31 simple form") << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s << true;
    QTest::addRow("hyphenated form") << u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s << true;
    QTest::addRow("parallel simple") << u"parallel_0199d2c460007000800000000000ff00"_s << true;
    QTest::addRow("parallel hyphenated") << u"parallel_0199d2c4-6000-7000-8000-00000000ff00"_s << true;
    QTest::addRow("bare uuid, simple") << u"0199d2c45b7e7a319c1e2f4b8d6a1c00"_s << true;
    QTest::addRow("bare uuid, hyphenated") << u"0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s << true;
    QTest::addRow("upper-case hex") << u"backtest_0199D2C45B7E7A319C1E2F4B8D6A1C00"_s << true;
    QTest::addRow("31 digits") << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c0"_s << false;
    QTest::addRow("33 digits") << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c000"_s << false;
    QTest::addRow("hyphens misplaced") << u"backtest_0199d2c45-b7e-7a31-9c1e-2f4b8d6a1c00"_s << false;
    QTest::addRow("not hex") << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1cxz"_s << false;
    QTest::addRow("other prefix") << u"session_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s << false;
    QTest::addRow("test label") << u"backtest_1"_s << false;
    QTest::addRow("empty") << QString() << false;
}

void tst_SessionIds::isSessionId()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(SlotScope::isSessionId(id), valid);
}

void tst_SessionIds::sameSessionId_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<QString>("keyOfA");
    QTest::addColumn<bool>("same");

    const QString key = u"0199d2c45b7e7a319c1e2f4b8d6a1c00"_s;
    QTest::addRow("simple vs hyphenated") << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s
                                          << u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s << key << true;
    QTest::addRow("prefix vs bare uuid") << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s
                                         << u"0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s << key << true;
    QTest::addRow("case differs") << u"backtest_0199D2C4-5B7E-7A31-9C1E-2F4B8D6A1C00"_s
                                  << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s << key << true;
    QTest::addRow("parallel control id") << u"parallel_0199d2c460007000800000000000ff00"_s
                                         << u"parallel_0199d2c4-6000-7000-8000-00000000ff00"_s
                                         << u"0199d2c460007000800000000000ff00"_s << true;
    QTest::addRow("last digit differs") << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s
                                        << u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c01"_s << key << false;
    QTest::addRow("non-uuid ids compare normalised") << u"backtest_A1"_s << u"backtest_a1"_s << u"a1"_s << true;
    QTest::addRow("non-uuid ids differ") << u"backtest_a1"_s << u"backtest_a2"_s << u"a1"_s << false;
}

void tst_SessionIds::sameSessionId()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(QString, keyOfA);
    QFETCH(bool, same);
    QCOMPARE(sessionIdKey(a), keyOfA);
    QCOMPARE(SlotScope::sameSessionId(a, b), same);
    QCOMPARE(SlotScope::sameSessionId(b, a), same);
    QCOMPARE(sessionIdKey(a) == sessionIdKey(b), same);
}

void tst_SessionIds::sessionIdLabel_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("label");

    QTest::addRow("simple") << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s << u"backtest_…8d6a1c00"_s;
    QTest::addRow("hyphenated, same label") << u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s
                                            << u"backtest_…8d6a1c00"_s;
    QTest::addRow("siblings of one batch differ")
        << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c01"_s << u"backtest_…8d6a1c01"_s;
    QTest::addRow("parallel") << u"parallel_0199d2c460007000800000000000ff00"_s << u"parallel_…0000ff00"_s;
    QTest::addRow("bare uuid") << u"0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s << u"…8d6a1c00"_s;
    QTest::addRow("upper-case hex is lower-cased") << u"backtest_0199D2C45B7E7A319C1E2F4B8D6A1C00"_s
                                                   << u"backtest_…8d6a1c00"_s;
    QTest::addRow("short test id unchanged") << u"backtest_1"_s << u"backtest_1"_s;
    QTest::addRow("empty") << QString() << QString();
}

void tst_SessionIds::sessionIdLabel()
{
    QFETCH(QString, id);
    QFETCH(QString, label);
    QCOMPARE(SlotScope::sessionIdLabel(id), label);
}

void tst_SessionIds::validSessionNames_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("sent");

    QTest::addRow("doc example") << u"sol-usdc-baseline"_s << u"sol-usdc-baseline"_s;
    QTest::addRow("one letter") << u"a"_s << u"a"_s;
    QTest::addRow("one digit") << u"7"_s << u"7"_s;
    QTest::addRow("dots and underscores inside") << u"run_2024.06-b"_s << u"run_2024.06-b"_s;
    QTest::addRow("upper case is lower-cased") << u"Nightly-SOL"_s << u"nightly-sol"_s;
    QTest::addRow("surrounding whitespace trimmed") << u"  nightly \n"_s << u"nightly"_s;
    QTest::addRow("exactly 100 characters") << QString(100, u'x') << QString(100, u'x');
}

void tst_SessionIds::validSessionNames()
{
    QFETCH(QString, input);
    QFETCH(QString, sent);
    const Result<QString> name = validateSessionName(input);
    QVERIFY2(name.ok(), qPrintable(name.ok() ? QString() : name.error().message));
    QCOMPARE(*name, sent);
    // What we send validates to itself.
    QCOMPARE(*validateSessionName(sent), sent);
}

void tst_SessionIds::invalidSessionNames_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");

    QTest::addRow("empty") << QString() << u"session name is empty"_s;
    QTest::addRow("only spaces") << u"   "_s << u"session name is empty"_s;
    QTest::addRow("101 characters") << QString(101, u'x')
                                    << u"session name is 101 characters long; at most 100 are allowed"_s;
    QTest::addRow("inner space") << u"My Run"_s
                                 << u"session name \"My Run\": a space is not allowed; use a–z, 0–9, '.', '_' and '-'"_s;
    QTest::addRow("slash") << u"a/b"_s
                           << u"session name \"a/b\": '/' is not allowed; use a–z, 0–9, '.', '_' and '-'"_s;
    QTest::addRow("tab inside") << u"a\tb"_s
                                << u"session name \"a\tb\": U+0009 is not allowed; use a–z, 0–9, '.', '_' and '-'"_s;
    QTest::addRow("non-ASCII letter") << u"café"_s
                                      << u"session name \"café\": 'é' is not allowed; use a–z, 0–9, '.', '_' and '-'"_s;
    QTest::addRow("starts with a dash") << u"-run"_s
                                        << u"session name \"-run\" must start and end with a letter or a digit"_s;
    QTest::addRow("ends with a dot") << u"run."_s
                                     << u"session name \"run.\" must start and end with a letter or a digit"_s;
    QTest::addRow("single underscore") << u"_"_s
                                       << u"session name \"_\" must start and end with a letter or a digit"_s;
}

void tst_SessionIds::invalidSessionNames()
{
    QFETCH(QString, input);
    QFETCH(QString, error);
    const Result<QString> name = validateSessionName(input);
    QVERIFY(!name.ok());
    QCOMPARE(name.error().message, error);
}

void tst_SessionIds::createTokens()
{
    // Lower-case hyphenated v4 UUID (PROTOCOL-0.31.md §3.1.2); a fresh one each time.
    static const QRegularExpression v4(u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
    QSet<QString> seen;
    for (int i = 0; i < 100; ++i) {
        const QString token = newCreateToken();
        QVERIFY2(v4.match(token).hasMatch(), qPrintable(token));
        seen.insert(token);
    }
    QCOMPARE(seen.size(), 100);
}

QTEST_GUILESS_MAIN(tst_SessionIds)
#include "tst_sessionids.moc"

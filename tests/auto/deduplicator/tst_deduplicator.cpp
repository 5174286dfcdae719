// Deduplicator: transactions by signature, account diffs by (slot, signature,
// account) (PROTOCOL.md §5.8).

#include "capture/deduplicator.h"

#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

class tst_Deduplicator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void transactions();
    void utf16AndUtf8AgreeOnTransactions_data();
    void utf16AndUtf8AgreeOnTransactions();
    void accountDiffs_data();
    void accountDiffs();
    void utf16AndUtf8AgreeOnDiffs();
    void diffsWithoutAnAccountAreToldApartByTheirJson();
    void kindsAreSeparate();
    void reset();
    void manyKeys();
    void reserveKeepsWhatWasAdmitted();
};

void tst_Deduplicator::transactions()
{
    Deduplicator d;
    const QString a = u"5SnGKXqNQ6zYGfNHQwHWwRtbxnYHUHLbANXgpvCLuXD1LA5paStRBcuXwu2T5eM9xsVWFQTzeUNwPWx6UAQhUb2t"_s;
    const QString b = u"5SnGKXqNQ6zYGfNHQwHWwRtbxnYHUHLbANXgpvCLuXD1LA5paStRBcuXwu2T5eM9xsVWFQTzeUNwPWx6UAQhUb2T"_s;
    QList<bool> results;
    for (const QString &sig : {a, b, a, a, b, QString()})
        results.append(d.admitTransaction(sig));
    QCOMPARE(results, (QList<bool>{true, true, false, false, false, true}));
    QCOMPARE(d.duplicatesDropped(), 3);
    QCOMPARE(d.duplicateTransactionsDropped(), 3);
    QCOMPARE(d.duplicateAccountDiffsDropped(), 0);
    QCOMPARE(d.transactionCount(), 3);
    QVERIFY(!d.admitTransaction(QString())); // the empty key is a key like any other
}

void tst_Deduplicator::utf16AndUtf8AgreeOnTransactions_data()
{
    QTest::addColumn<QString>("signature");
    QTest::addRow("base58") << u"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX"_s;
    QTest::addRow("non-ASCII") << u"sig-\u00e9\u65e5\U0001F600"_s;
    QTest::addRow("long") << QString(600, u'x');
}

void tst_Deduplicator::utf16AndUtf8AgreeOnTransactions()
{
    QFETCH(QString, signature);
    const QByteArray utf8 = signature.toUtf8();
    Deduplicator d;
    QVERIFY(d.admitTransaction(signature));
    QVERIFY(!d.admitTransaction(QByteArrayView(utf8)));
    Deduplicator e;
    QVERIFY(e.admitTransaction(QByteArrayView(utf8)));
    QVERIFY(!e.admitTransaction(signature));
    QCOMPARE(d.duplicatesDropped(), 1);
    QCOMPARE(e.duplicatesDropped(), 1);
}

void tst_Deduplicator::accountDiffs_data()
{
    QTest::addColumn<quint64>("slot2");
    QTest::addColumn<QString>("signature2");
    QTest::addColumn<QString>("account2");
    QTest::addColumn<bool>("admitted");
    // First key is always (100, "sigA", "acc1").
    QTest::addRow("same key") << quint64(100) << u"sigA"_s << u"acc1"_s << false;
    QTest::addRow("other slot") << quint64(101) << u"sigA"_s << u"acc1"_s << true;
    QTest::addRow("other signature") << quint64(100) << u"sigB"_s << u"acc1"_s << true;
    QTest::addRow("other account") << quint64(100) << u"sigA"_s << u"acc2"_s << true;
    QTest::addRow("text moved across the boundary") << quint64(100) << u"sig"_s << u"Aacc1"_s << true;
    QTest::addRow("slot differs only in high bits") << (quint64(1) << 40 | 100) << u"sigA"_s << u"acc1"_s << true;
}

void tst_Deduplicator::accountDiffs()
{
    QFETCH(quint64, slot2);
    QFETCH(QString, signature2);
    QFETCH(QString, account2);
    QFETCH(bool, admitted);
    Deduplicator d;
    QVERIFY(d.admitAccountDiff(100, u"sigA", u"acc1"));
    QCOMPARE(d.admitAccountDiff(slot2, signature2, account2), admitted);
    QCOMPARE(d.duplicateAccountDiffsDropped(), admitted ? 0 : 1);
    QCOMPARE(d.accountDiffCount(), admitted ? 2 : 1);
    // Either way, the second key is now known.
    QVERIFY(!d.admitAccountDiff(slot2, signature2, account2));
}

void tst_Deduplicator::utf16AndUtf8AgreeOnDiffs()
{
    Deduplicator d;
    QVERIFY(d.admitAccountDiff(7, u"sig\u00e9", u"acc"));
    QVERIFY(!d.admitAccountDiff(7, QByteArrayView("sig\xc3\xa9"), QByteArrayView("acc")));
    QVERIFY(d.admitAccountDiff(7, QByteArrayView("sig\xc3\xa9"), QByteArrayView("acd")));
    QCOMPARE(d.duplicatesDropped(), 1);
}

void tst_Deduplicator::diffsWithoutAnAccountAreToldApartByTheirJson()
{
    // `account: null`: two diffs of one transaction are two; the same one
    // again (a replay) is a duplicate. With an account the JSON is not looked at.
    Deduplicator d;
    QVERIFY(d.admitAccountDiff(7, QByteArrayView("sig"), QByteArrayView(), QByteArrayView(R"({"pre":1})")));
    QVERIFY(d.admitAccountDiff(7, QByteArrayView("sig"), QByteArrayView(), QByteArrayView(R"({"pre":2})")));
    QVERIFY(!d.admitAccountDiff(7, QByteArrayView("sig"), QByteArrayView(), QByteArrayView(R"({"pre":1})")));
    QVERIFY(d.admitAccountDiff(7, QByteArrayView("sig"), QByteArrayView("acc"), QByteArrayView(R"({"pre":1})")));
    QVERIFY(!d.admitAccountDiff(7, QByteArrayView("sig"), QByteArrayView("acc"), QByteArrayView(R"({"pre":2})")));
    QCOMPARE(d.duplicateAccountDiffsDropped(), qint64(2));
}

void tst_Deduplicator::kindsAreSeparate()
{
    Deduplicator d;
    QVERIFY(d.admitTransaction(u"sigA"));
    QVERIFY(d.admitAccountDiff(0, u"sigA", u""));
    QVERIFY(!d.admitTransaction(u"sigA"));
    QVERIFY(!d.admitAccountDiff(0, u"sigA", u""));
    QCOMPARE(d.duplicateTransactionsDropped(), 1);
    QCOMPARE(d.duplicateAccountDiffsDropped(), 1);
    QCOMPARE(d.duplicatesDropped(), 2);
}

void tst_Deduplicator::reset()
{
    Deduplicator d;
    QVERIFY(d.admitTransaction(u"x"));
    QVERIFY(!d.admitTransaction(u"x"));
    QVERIFY(d.admitAccountDiff(1, u"x", u"y"));
    d.reset();
    QCOMPARE(d.duplicatesDropped(), 0);
    QCOMPARE(d.transactionCount(), 0);
    QCOMPARE(d.accountDiffCount(), 0);
    QVERIFY(d.admitTransaction(u"x"));
    QVERIFY(d.admitAccountDiff(1, u"x", u"y"));
}

void tst_Deduplicator::manyKeys()
{
    // Enough keys to grow the table many times; similar keys, as signatures of
    // one run may look. No false duplicates, every repeat caught.
    constexpr int n = 300000;
    Deduplicator d;
    QString sig = u"5SnGKXqNQ6zYGfNHQwHWwRtbxnYHUHLbANXgpvCLuXD1LA5paStRBcuXwu2T5eM9xsVWFQTzeUNwPWx6U"_s;
    const qsizetype base = sig.size();
    int admitted = 0;
    for (int i = 0; i < n; ++i) {
        sig.truncate(base);
        sig += QString::number(i, 36);
        admitted += d.admitTransaction(sig) ? 1 : 0;
    }
    QCOMPARE(admitted, n);
    QCOMPARE(d.transactionCount(), n);
    int again = 0;
    for (int i = n - 1; i >= 0; i -= 3) {
        sig.truncate(base);
        sig += QString::number(i, 36);
        again += d.admitTransaction(sig) ? 1 : 0;
    }
    QCOMPARE(again, 0);
    QCOMPARE(d.duplicatesDropped(), (n + 2) / 3);

    for (int i = 0; i < n; ++i)
        QVERIFY(d.admitAccountDiff(quint64(i / 7), u"sig", QString::number(i % 7)));
    QCOMPARE(d.accountDiffCount(), n);
    QVERIFY(!d.admitAccountDiff(quint64((n - 1) / 7), u"sig", QString::number((n - 1) % 7)));
}

// reserveTransactions() (a reader that can predict its row count) rehashes
// the keys already admitted and changes nothing of what is admitted next,
// whether it asks for more room than the table has or less.
void tst_Deduplicator::reserveKeepsWhatWasAdmitted()
{
    const auto key = [](int i) { return u"sig-"_s + QString::number(i); };
    Deduplicator d;
    for (int i = 0; i < 5000; ++i)
        QVERIFY(d.admitTransaction(key(i)));
    d.reserveTransactions(200000);
    d.reserveTransactions(10); // smaller than the table: nothing changes
    QCOMPARE(d.transactionCount(), 5000);
    for (int i = 0; i < 5000; ++i)
        QVERIFY2(!d.admitTransaction(key(i)), qPrintable(key(i)));
    for (int i = 5000; i < 300000; ++i)
        QVERIFY(d.admitTransaction(key(i)));
    QCOMPARE(d.transactionCount(), 300000);
    QCOMPARE(d.duplicateTransactionsDropped(), 5000);
    QVERIFY(d.containsTransaction(QByteArrayView("sig-299999")));
    QVERIFY(!d.containsTransaction(QByteArrayView("sig-300000")));
}

QTEST_GUILESS_MAIN(tst_Deduplicator)
#include "tst_deduplicator.moc"

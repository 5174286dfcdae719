// DuplicateFilter: the boundary dedup of a data-plane replay (PROTOCOL.md
// §5.8): replayFromSlot is inclusive, so the last slot arrives twice;
// transactions are keyed by signature, account diffs by slot + signature +
// account.

#include "net/duplicatefilter.h"

#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

struct Notification
{
    quint64 slot = 0;
    QString key;
};
Q_DECLARE_METATYPE(QList<Notification>)

namespace {

QList<Notification> sequence(std::initializer_list<std::pair<quint64, const char *>> items)
{
    QList<Notification> out;
    for (const auto &[slot, key] : items)
        out.append({slot, QString::fromLatin1(key)});
    return out;
}

} // namespace

class tst_DuplicateFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void admitsEachKeyOnce_data();
    void admitsEachKeyOnce();
    void accountDiffKeys_data();
    void accountDiffKeys();
    void diffsWithoutAnAccountAreKeyedByTheirContent();
    void memoryIsBoundedByTwoSlots();
    void clearForgetsEverything();
};

void tst_DuplicateFilter::admitsEachKeyOnce_data()
{
    QTest::addColumn<QList<Notification>>("stream");
    QTest::addColumn<QString>("admitted"); // one letter per notification: A admitted, d duplicate

    QTest::addRow("no replay") << sequence({{10, "a"}, {10, "b"}, {11, "c"}, {12, "d"}}) << u"AAAA"_s;
    // Dropped in the middle of slot 10; the replay repeats slot 10 in full.
    QTest::addRow("replay of the boundary slot")
        << sequence({{10, "a"}, {10, "b"}, {10, "a"}, {10, "b"}, {10, "c"}, {11, "d"}}) << u"AAddAA"_s;
    // Dropped right after slot 11 began: the replay from 11 repeats it.
    QTest::addRow("replay after a slot change")
        << sequence({{10, "a"}, {11, "b"}, {11, "b"}, {11, "c"}, {12, "d"}}) << u"AAdAA"_s;
    // A server that replays one slot further back still deduplicates.
    QTest::addRow("replay from the previous slot")
        << sequence({{10, "a"}, {10, "b"}, {11, "c"}, {10, "a"}, {10, "b"}, {11, "c"}, {11, "d"}})
        << u"AAAdddA"_s;
    QTest::addRow("two replays in a row")
        << sequence({{5, "a"}, {5, "a"}, {5, "a"}, {5, "b"}, {5, "b"}, {6, "c"}}) << u"AddAdA"_s;
    // The same key in another slot is another notification (e.g. a diff key
    // "/<account>" without a signature).
    QTest::addRow("same key, next slot") << sequence({{7, "x"}, {8, "x"}, {8, "x"}}) << u"AAd"_s;
    QTest::addRow("slot zero") << sequence({{0, "a"}, {0, "a"}, {1, "b"}}) << u"AdA"_s;
}

void tst_DuplicateFilter::admitsEachKeyOnce()
{
    QFETCH(QList<Notification>, stream);
    QFETCH(QString, admitted);
    DuplicateFilter filter;
    QString actual;
    for (const Notification &notification : stream)
        actual.append(filter.admit(notification.slot, notification.key) ? u'A' : u'd');
    QCOMPARE(actual, admitted);
}

void tst_DuplicateFilter::accountDiffKeys_data()
{
    QTest::addColumn<QString>("signatureA");
    QTest::addColumn<QString>("accountA");
    QTest::addColumn<QString>("signatureB");
    QTest::addColumn<QString>("accountB");
    QTest::addColumn<bool>("sameKey");

    QTest::addRow("same diff") << u"sig1"_s << u"acc1"_s << u"sig1"_s << u"acc1"_s << true;
    QTest::addRow("other account, same tx") << u"sig1"_s << u"acc1"_s << u"sig1"_s << u"acc2"_s << false;
    QTest::addRow("same account, other tx") << u"sig1"_s << u"acc1"_s << u"sig2"_s << u"acc1"_s << false;
    // Base58 has no '/', so the separator cannot make two pairs collide.
    QTest::addRow("no collision across the separator") << u"ab"_s << u"c"_s << u"a"_s << u"bc"_s << false;
    QTest::addRow("null signature") << QString() << u"acc1"_s << QString() << u"acc1"_s << true;
}

void tst_DuplicateFilter::accountDiffKeys()
{
    QFETCH(QString, signatureA);
    QFETCH(QString, accountA);
    QFETCH(QString, signatureB);
    QFETCH(QString, accountB);
    QFETCH(bool, sameKey);
    DuplicateFilter filter;
    QVERIFY(filter.admit(42, DuplicateFilter::accountDiffKey(signatureA, accountA)));
    QCOMPARE(!filter.admit(42, DuplicateFilter::accountDiffKey(signatureB, accountB)), sameKey);
}

void tst_DuplicateFilter::diffsWithoutAnAccountAreKeyedByTheirContent()
{
    // `account: null` (PROTOCOL.md §5.6): two different diffs of one
    // transaction are both kept; the same diff replayed is a duplicate.
    DuplicateFilter filter;
    const QByteArray first = R"({"context":{"slot":42},"account":null,"signature":"sig1","pre":{"lamports":1},"post":{"lamports":2}})";
    const QByteArray second = R"({"context":{"slot":42},"account":null,"signature":"sig1","pre":{"lamports":5},"post":{"lamports":3}})";
    QVERIFY(filter.admit(42, DuplicateFilter::accountDiffKey(u"sig1"_s, QString(), first)));
    QVERIFY(filter.admit(42, DuplicateFilter::accountDiffKey(u"sig1"_s, QString(), second)));
    QVERIFY(!filter.admit(42, DuplicateFilter::accountDiffKey(u"sig1"_s, QString(), first)));
    // With an account the key stays signature and account, whatever the bytes.
    QVERIFY(filter.admit(42, DuplicateFilter::accountDiffKey(u"sig1"_s, u"acc1"_s, first)));
    QVERIFY(!filter.admit(42, DuplicateFilter::accountDiffKey(u"sig1"_s, u"acc1"_s, second)));
}

void tst_DuplicateFilter::memoryIsBoundedByTwoSlots()
{
    DuplicateFilter filter;
    for (quint64 slot = 1; slot <= 1000; ++slot) {
        for (int i = 0; i < 10; ++i)
            QVERIFY(filter.admit(slot, u"s%1-%2"_s.arg(slot).arg(i)));
    }
    QCOMPARE(filter.rememberedKeys(), qsizetype(20));
    // Older than the window: admitted (nothing can prove it a duplicate), not remembered.
    QVERIFY(filter.admit(3, u"s3-0"_s));
    QCOMPARE(filter.rememberedKeys(), qsizetype(20));
    QVERIFY(!filter.admit(999, u"s999-4"_s));
    QVERIFY(!filter.admit(1000, u"s1000-9"_s));
}

void tst_DuplicateFilter::clearForgetsEverything()
{
    DuplicateFilter filter;
    QVERIFY(filter.admit(9, u"a"_s));
    QVERIFY(!filter.admit(9, u"a"_s));
    filter.clear();
    QCOMPARE(filter.rememberedKeys(), qsizetype(0));
    QVERIFY(filter.admit(3, u"b"_s)); // a new stream may start lower
    QVERIFY(filter.admit(3, u"c"_s));
    QVERIFY(!filter.admit(3, u"b"_s));
    QVERIFY(filter.admit(9, u"a"_s));
}

QTEST_GUILESS_MAIN(tst_DuplicateFilter)
#include "tst_duplicatefilter.moc"

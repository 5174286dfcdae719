// AccountDiffModel as the live run's Account diffs dock uses it: a bounded
// window over an unbounded stream of diffs (the events file keeps them all).

#include "model/accountdiffmodel.h"

#include <QSignalSpy>
#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

namespace {

AccountDiffRecord diff(int n)
{
    AccountDiffRecord r;
    r.sessionId = u"s"_s;
    r.slot = quint64(1000 + n / 4);
    r.signature = u"sig%1"_s.arg(n / 2); // two diffs a transaction
    r.account = u"acct%1"_s.arg(n);
    r.preExists = true;
    r.postExists = true;
    r.preLamports = quint64(n);
    r.postLamports = quint64(n) + 1;
    r.preOwner = r.postOwner = u"11111111111111111111111111111111"_s;
    r.preDataLen = r.postDataLen = 0u;
    return r;
}

QList<AccountDiffRecord> diffs(int from, int count)
{
    QList<AccountDiffRecord> list;
    for (int n = from; n < from + count; ++n)
        list.append(diff(n));
    return list;
}

} // namespace

class tst_AccountDiffModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unboundedByDefault();
    void aWindowKeepsTheNewest();
    void aBatchLargerThanTheWindow();
    void stringsOfEvictedRowsGo();
    void theFiltersCombine();
};

void tst_AccountDiffModel::unboundedByDefault()
{
    AccountDiffModel model;
    model.appendRows(diffs(0, 5000));
    QCOMPARE(model.rowCount(), 5000);
    QCOMPARE(model.evictedCount(), 0);
    QCOMPARE(model.record(4999), diff(4999));
}

void tst_AccountDiffModel::aWindowKeepsTheNewest()
{
    AccountDiffModel model;
    model.setWindowSize(1000);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.appendRows(diffs(0, 800));
    QCOMPARE(removed.size(), 0);
    model.appendRows(diffs(800, 500)); // 300 too many: one removal at the front, one insertion
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.evictedCount(), 300);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.constFirst().at(1).toInt(), 0);
    QCOMPARE(removed.constFirst().at(2).toInt(), 299);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(model.record(0), diff(300));
    QCOMPARE(model.record(999), diff(1299));
    QCOMPARE(model.index(0, AccountDiffModel::AccountColumn).data().toString(), u"acct300"_s);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.evictedCount(), 0);
}

void tst_AccountDiffModel::aBatchLargerThanTheWindow()
{
    AccountDiffModel model;
    model.setWindowSize(100);
    model.appendRows(diffs(0, 50));
    model.appendRows(diffs(50, 250)); // the window holds the batch's last 100
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.evictedCount(), 200);
    QCOMPARE(model.record(0), diff(200));
    QCOMPARE(model.record(99), diff(299));
}

void tst_AccountDiffModel::stringsOfEvictedRowsGo()
{
    // A long run: every transaction brings new signatures and accounts. The
    // rows kept read the same after the pool is rebuilt.
    AccountDiffModel model;
    model.setWindowSize(2000);
    model.appendRows(diffs(0, 2000));
    const size_t full = model.memoryBytes();
    for (int batch = 2; batch < 100; ++batch)
        model.appendRows(diffs(batch * 1000, 1000));
    // 150 000 distinct strings passed through; those of 2 000 rows stay
    // (a pool rebuilt at 4 × the rows: at most ~6 × a full window's).
    QVERIFY2(model.memoryBytes() < 6 * full, qPrintable(u"%1 bytes, %2 for a full window"_s.arg(model.memoryBytes()).arg(full)));
    QCOMPARE(model.rowCount(), 2000);
    QCOMPARE(model.evictedCount(), 98000);
    for (int row = 0; row < 2000; row += 97)
        QCOMPARE(model.record(row), diff(98000 + row));
    QCOMPARE(model.index(1999, AccountDiffModel::SignatureColumn).data(AccountDiffModel::SignatureRole).toString(),
             u"sig%1"_s.arg(99999 / 2));
}

void tst_AccountDiffModel::theFiltersCombine()
{
    // The panel's filters: a sub-session (the one selected in the Sessions
    // tree), an account substring and a transaction, each narrowing the
    // others; rows appended later pass the same filters.
    AccountDiffModel model;
    QList<AccountDiffRecord> batch = diffs(0, 40);
    for (int n = 0; n < batch.size(); ++n)
        batch[n].sessionId = n % 4 < 2 ? u"sub-a"_s : u"sub-b"_s; // sig0, sig2, … are sub-a's
    model.appendRows(batch);
    AccountDiffFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QCOMPARE(proxy.rowCount(), 40);
    proxy.setSessionFilter(u"sub-b"_s);
    QCOMPARE(proxy.rowCount(), 20);
    QVERIFY(!proxy.isFiltering()); // a scope of its own, not "the filter"
    for (int row = 0; row < proxy.rowCount(); ++row)
        QCOMPARE(proxy.index(row, 0).data(SessionIdRole).toString(), u"sub-b"_s);
    proxy.setAccountFilter(u"acct3"_s); // acct3, acct30…acct39 → of sub-b: 3, 30, 31, 34, 35, 38, 39
    QCOMPARE(proxy.rowCount(), 7);
    proxy.setSignatureFilter(u"sig15"_s); // acct30, acct31
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setSessionFilter(u"sub-a"_s);
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setSignatureFilter({});
    proxy.setAccountFilter({});
    QCOMPARE(proxy.rowCount(), 20);
    QList<AccountDiffRecord> more = diffs(40, 4);
    for (int n = 0; n < more.size(); ++n)
        more[n].sessionId = n < 2 ? u"sub-a"_s : u"sub-c"_s;
    model.appendRows(more);
    QCOMPARE(proxy.rowCount(), 22);
    proxy.setSessionFilter({});
    QCOMPARE(proxy.rowCount(), 44);
}

QTEST_GUILESS_MAIN(tst_AccountDiffModel)
#include "tst_accountdiffmodel.moc"

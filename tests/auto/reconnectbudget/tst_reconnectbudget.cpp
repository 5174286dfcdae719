// ReconnectBudget: the seed's budget tests (mod.rs) plus the backoff sequence,
// jitter bounds, the wall-clock limit and attempt counting (PROTOCOL.md §7).

#include "net/reconnectbudget.h"

#include <QList>
#include <QTest>

using namespace SlotScope;
using std::chrono::milliseconds;

namespace {

// A clock the test moves by hand.
struct FakeClock
{
    milliseconds now{1'000'000};
    ReconnectBudget::Clock function() { return [this] { return now; }; }
};

ConnectionPolicy noJitter()
{
    ConnectionPolicy policy{.jitter = 0.0};
    return policy;
}

} // namespace

class tst_ReconnectBudget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exhaustsAfterMaxAttempts();
    void resetRestoresFullBudget();
    void discountParkedKeepsBudget();
    void backoffSequenceWithoutJitter();
    void backoffSequenceCustomPolicy();
    void jitterStaysWithinBounds();
    void jitterExtremesOfTheRandomSource_data();
    void jitterExtremesOfTheRandomSource();
    void totalTimeLimit();
    void attemptCounting();
};

void tst_ReconnectBudget::exhaustsAfterMaxAttempts()
{
    ReconnectBudget budget;
    for (int i = 0; i < 20; ++i)
        QVERIFY2(budget.nextBackoff().has_value(), qPrintable(QString::number(i)));
    QVERIFY(!budget.nextBackoff().has_value());
    QVERIFY(!budget.nextBackoff().has_value());
    QCOMPARE(budget.attempt(), 20);
}

void tst_ReconnectBudget::resetRestoresFullBudget()
{
    FakeClock clock;
    ReconnectBudget budget(noJitter(), clock.function());
    budget.nextBackoff();
    budget.nextBackoff();
    QCOMPARE(budget.attempt(), 2);
    clock.now += milliseconds{299'000};
    budget.reset();
    QCOMPARE(budget.attempt(), 0);
    QCOMPARE(budget.elapsed(), milliseconds{0});
    // The delay starts over at the initial backoff …
    QCOMPARE(budget.nextBackoff(), std::optional(milliseconds{1000}));
    // … and all attempts are available again.
    for (int i = 1; i < 20; ++i)
        QVERIFY(budget.nextBackoff());
    QVERIFY(!budget.nextBackoff());
}

void tst_ReconnectBudget::discountParkedKeepsBudget()
{
    FakeClock clock;
    ReconnectBudget budget(noJitter(), clock.function());
    // A long park must leave the whole attempt budget intact afterwards.
    clock.now += milliseconds{600'000};
    budget.discountParked(milliseconds{600'000});
    QCOMPARE(budget.elapsed(), milliseconds{0});
    for (int i = 0; i < 20; ++i)
        QVERIFY2(budget.nextBackoff().has_value(), qPrintable(QString::number(i)));
    QVERIFY(!budget.nextBackoff());

    // The seed's own form: discounting more than the total before any time passed.
    ReconnectBudget seedForm;
    seedForm.discountParked(milliseconds{2 * 300'000});
    for (int i = 0; i < 20; ++i)
        QVERIFY(seedForm.nextBackoff().has_value());
}

void tst_ReconnectBudget::backoffSequenceWithoutJitter()
{
    ReconnectBudget budget(noJitter());
    QList<qint64> delays;
    while (const auto delay = budget.nextBackoff())
        delays.append(delay->count());
    const QList<qint64> expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000,
                                    30000, 30000, 30000, 30000, 30000, 30000, 30000, 30000, 30000, 30000};
    QCOMPARE(delays, expected);
}

void tst_ReconnectBudget::backoffSequenceCustomPolicy()
{
    ConnectionPolicy policy = noJitter();
    policy.initialBackoff = milliseconds{10};
    policy.backoffMultiplier = 3.0;
    policy.maxBackoff = milliseconds{100};
    policy.maxAttempts = 5;
    ReconnectBudget budget(policy);
    QList<qint64> delays;
    while (const auto delay = budget.nextBackoff())
        delays.append(delay->count());
    QCOMPARE(delays, (QList<qint64>{10, 30, 90, 100, 100}));
}

void tst_ReconnectBudget::jitterStaysWithinBounds()
{
    // Default random source: every delay within [0.8, 1.2) of the base, and the
    // samples actually spread (not all equal to the base).
    ConnectionPolicy policy{.maxAttempts = 1};
    double minRatio = 10, maxRatio = 0;
    for (int i = 0; i < 2000; ++i) {
        ReconnectBudget budget(policy);
        const auto delay = budget.nextBackoff();
        QVERIFY(delay);
        const double ratio = double(delay->count()) / 1000.0;
        QVERIFY2(ratio >= 0.8 && ratio <= 1.2, qPrintable(QString::number(ratio)));
        minRatio = std::min(minRatio, ratio);
        maxRatio = std::max(maxRatio, ratio);
    }
    QVERIFY2(minRatio < 0.85, qPrintable(QString::number(minRatio)));
    QVERIFY2(maxRatio > 1.15, qPrintable(QString::number(maxRatio)));
}

void tst_ReconnectBudget::jitterExtremesOfTheRandomSource_data()
{
    QTest::addColumn<double>("jitter");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expected");
    QTest::addRow("low end 0.2") << 0.2 << 0.0 << qint64(800);
    QTest::addRow("middle 0.2") << 0.2 << 0.5 << qint64(1000);
    QTest::addRow("near top 0.2") << 0.2 << 0.9999 << qint64(1200);
    QTest::addRow("floored at zero") << 1.5 << 0.0 << qint64(0);
    QTest::addRow("no jitter") << 0.0 << 0.0 << qint64(1000);
}

void tst_ReconnectBudget::jitterExtremesOfTheRandomSource()
{
    QFETCH(double, jitter);
    QFETCH(double, random);
    QFETCH(qint64, expected);
    ConnectionPolicy policy{.jitter = jitter};
    ReconnectBudget budget(policy, {}, [random] { return random; });
    QCOMPARE(budget.nextBackoff(), std::optional(milliseconds{expected}));
}

void tst_ReconnectBudget::totalTimeLimit()
{
    FakeClock clock;
    ConnectionPolicy policy = noJitter();
    policy.maxTotal = milliseconds{5000};
    ReconnectBudget budget(policy, clock.function());
    QVERIFY(budget.nextBackoff());
    clock.now += milliseconds{4999};
    QVERIFY(budget.nextBackoff());
    QCOMPARE(budget.attempt(), 2);
    clock.now += milliseconds{1};
    QCOMPARE(budget.elapsed(), milliseconds{5000});
    QVERIFY(!budget.nextBackoff()); // elapsed >= maxTotal
    QCOMPARE(budget.attempt(), 2);   // a refused attempt is not counted

    // Parked time does not count against the wall clock.
    budget.discountParked(milliseconds{3000});
    QCOMPARE(budget.elapsed(), milliseconds{2000});
    QVERIFY(budget.nextBackoff());
    QCOMPARE(budget.attempt(), 3);
}

void tst_ReconnectBudget::attemptCounting()
{
    ConnectionPolicy policy = noJitter();
    policy.maxAttempts = 3;
    ReconnectBudget budget(policy);
    QCOMPARE(budget.attempt(), 0);
    QVERIFY(budget.nextBackoff());
    QCOMPARE(budget.attempt(), 1); // incremented before the delay is returned
    QVERIFY(budget.nextBackoff());
    QVERIFY(budget.nextBackoff());
    QCOMPARE(budget.attempt(), 3);
    QVERIFY(!budget.nextBackoff());
    QCOMPARE(budget.attempt(), 3);
}

QTEST_GUILESS_MAIN(tst_ReconnectBudget)
#include "tst_reconnectbudget.moc"

// CoordinatorSnapshot's events-file form (`coordinator` events, RunJournal):
// what is written reads back the same, missing keys keep their defaults, a
// wrongly typed member is an error naming it.

#include "protocol/coordinatorsnapshot.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SlotScope;

class tst_CoordinatorSnapshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void writtenKeys();
    void lenientAboutMissingKeys();
    void wrongTypes_data();
    void wrongTypes();
    void parkedQueuePace();
};

static CoordinatorSnapshot sample()
{
    CoordinatorSnapshot snapshot;
    snapshot.atMs = 1'760'000'000'123;
    snapshot.holder = CoordinatorSnapshot::Socket{u"backtest_a"_s, u"transactions"_s, 1'760'000'000'000, 7, false, 0};
    snapshot.parked = {{u"backtest_b"_s, u"transactions"_s, 1'759'999'999'000, 6, true, 120},
                       {u"backtest_c"_s, u"account diffs"_s, 1'759'999'999'500, 9, false, std::nullopt}};
    snapshot.streaming = 250;
    // (A holder and 250 streaming would leave waitedFor empty in the engine;
    // the form carries whatever it is given.)
    snapshot.waitedFor = {{u"backtest_d"_s, u"transactions"_s, 1'759'999'998'000, 0, false, std::nullopt}};
    snapshot.participants = 256;
    snapshot.ungatedAttempts = 5;
    snapshot.reconnects = 1234;
    snapshot.parks = 321;
    snapshot.longestParkMs = 4567;
    snapshot.totalParkedMs = 98'765;
    snapshot.storms = 3;
    snapshot.lastStormMs = 12'000;
    snapshot.longestStormMs = 15'000;
    snapshot.stormSinceMs = 1'759'999'990'000;
    snapshot.unrecoveredStormMs = 297'000; // (from an earlier run's end in a real file)
    return snapshot;
}

void tst_CoordinatorSnapshot::roundTrip()
{
    const CoordinatorSnapshot snapshot = sample();
    const QByteArray line = QJsonDocument(snapshot.toJson()).toJson(QJsonDocument::Compact);
    const Result<CoordinatorSnapshot> read = CoordinatorSnapshot::fromJson(QJsonDocument::fromJson(line).object());
    QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.error().message));
    QCOMPARE(*read, snapshot);
    QVERIFY(read->inStorm());
    QVERIFY(!read->isIdle());

    const CoordinatorSnapshot idle;
    const Result<CoordinatorSnapshot> readIdle = CoordinatorSnapshot::fromJson(idle.toJson());
    QVERIFY(readIdle.ok());
    QCOMPARE(*readIdle, idle);
    QVERIFY(readIdle->isIdle());
}

void tst_CoordinatorSnapshot::writtenKeys()
{
    const QJsonObject json = sample().toJson();
    QCOMPARE(json.value("holder"_L1).toObject().value("session_id"_L1).toString(), u"backtest_a"_s);
    QCOMPARE(json.value("parked"_L1).toArray().at(0).toObject().value("expedited"_L1).toBool(), true);
    QVERIFY(!json.value("parked"_L1).toArray().at(1).toObject().contains("expedited"_L1));
    QCOMPARE(json.value("parked"_L1).toArray().at(0).toObject().value("slots_behind"_L1).toInteger(), 120);
    QVERIFY(!json.value("parked"_L1).toArray().at(1).toObject().contains("slots_behind"_L1)); // unknown
    QCOMPARE(json.value("holder"_L1).toObject().value("slots_behind"_L1).toInteger(), 0);
    QCOMPARE(json.value("longest_park_ms"_L1).toInteger(), 4567);
    QCOMPARE(json.value("total_parked_ms"_L1).toInteger(), 98'765);
    QCOMPARE(json.value("last_storm_ms"_L1).toInteger(), 12'000);
    QCOMPARE(json.value("unrecovered_storm_ms"_L1).toInteger(), 297'000);
    QCOMPARE(json.value("reconnects"_L1).toInteger(), 1234);
    QVERIFY(CoordinatorSnapshot{}.toJson().value("holder"_L1).isNull());
    QVERIFY(CoordinatorSnapshot{}.toJson().value("storm_since"_L1).isNull());
}

void tst_CoordinatorSnapshot::lenientAboutMissingKeys()
{
    const Result<CoordinatorSnapshot> read = CoordinatorSnapshot::fromJson(
        QJsonObject{{u"reconnects"_s, 5}, {u"future_key"_s, u"ignored"_s}});
    QVERIFY(read.ok());
    QCOMPARE(read->reconnects, 5u);
    QVERIFY(!read->holder);
    QVERIFY(read->parked.isEmpty());
}

void tst_CoordinatorSnapshot::wrongTypes_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("key");
    QTest::newRow("at") << QJsonObject{{u"at"_s, u"now"_s}} << u"at"_s;
    QTest::newRow("holder") << QJsonObject{{u"holder"_s, 3}} << u"holder"_s;
    QTest::newRow("parked not an array") << QJsonObject{{u"parked"_s, QJsonObject{}}} << u"parked"_s;
    QTest::newRow("parked entry") << QJsonObject{{u"parked"_s, QJsonArray{QJsonObject{{u"since"_s, u"x"_s}}}}}
                                  << u"parked"_s;
    QTest::newRow("slots_behind not a number")
        << QJsonObject{{u"holder"_s, QJsonObject{{u"slots_behind"_s, u"x"_s}}}} << u"holder"_s;
    QTest::newRow("slots_behind negative")
        << QJsonObject{{u"parked"_s, QJsonArray{QJsonObject{{u"slots_behind"_s, -1}}}}} << u"parked"_s;
    QTest::newRow("waited_for entry") << QJsonObject{{u"waited_for"_s, QJsonArray{1}}} << u"waited_for"_s;
    QTest::newRow("reconnects") << QJsonObject{{u"reconnects"_s, true}} << u"reconnects"_s;
    // Counts below zero or past their type are damage, not figures to wrap.
    QTest::newRow("reconnects negative") << QJsonObject{{u"reconnects"_s, -1}} << u"reconnects"_s;
    QTest::newRow("storms past int") << QJsonObject{{u"storms"_s, 1e12}} << u"storms"_s;
    QTest::newRow("attempt past int")
        << QJsonObject{{u"parked"_s, QJsonArray{QJsonObject{{u"attempt"_s, 1e12}}}}} << u"parked"_s;
    QTest::newRow("storm_since") << QJsonObject{{u"storm_since"_s, u"x"_s}} << u"storm_since"_s;
}

void tst_CoordinatorSnapshot::wrongTypes()
{
    QFETCH(QJsonObject, json);
    QFETCH(QString, key);
    const Result<CoordinatorSnapshot> read = CoordinatorSnapshot::fromJson(json);
    QVERIFY(!read.ok());
    QVERIFY2(read.error().message.contains(u'"' + key + u'"'), qPrintable(read.error().message));
}

void tst_CoordinatorSnapshot::parkedQueuePace()
{
    const auto at = [](qint64 ms, int parked, std::optional<qint64> stormSince = 0) {
        CoordinatorSnapshot snapshot;
        snapshot.atMs = ms;
        snapshot.stormSinceMs = stormSince;
        for (int i = 0; i < parked; ++i)
            snapshot.parked.append({u"backtest_%1"_s.arg(i), u"transactions"_s, 0, 6, false, std::nullopt});
        return snapshot;
    };
    ParkedQueuePace pace;
    pace.observe(at(1000, 10));
    pace.observe(at(2000, 9));
    QCOMPARE(pace.perMinute(), std::nullopt); // one served: no pace yet
    pace.observe(at(2500, 8));
    QCOMPARE(pace.perMinute(), std::nullopt); // two, but over 1.5 s only
    pace.observe(at(4000, 8));
    // Two served in the 3 s since the peak of 10: 40 a minute, 8 left → 12 s.
    QCOMPARE(*pace.perMinute(), 40.0);
    QCOMPARE(*pace.remainingMs(), qint64(12'000));
    // More park: the count starts again from the new height.
    pace.observe(at(5000, 12));
    QCOMPARE(pace.perMinute(), std::nullopt);
    pace.observe(at(11000, 9));
    QCOMPARE(*pace.perMinute(), 30.0);
    QCOMPARE(*pace.remainingMs(), qint64(18'000));
    // The storm ends; the next one counts on its own.
    pace.observe(at(12000, 0, std::nullopt));
    QCOMPARE(pace.perMinute(), std::nullopt);
    pace.observe(at(20000, 5, 19000));
    pace.observe(at(26000, 2, 19000));
    QCOMPARE(*pace.perMinute(), 30.0);
    QCOMPARE(*pace.remainingMs(), qint64(4'000));
    pace.observe(at(28000, 0, 19000));
    QCOMPARE(pace.remainingMs(), std::nullopt); // nothing left to clear
}

QTEST_GUILESS_MAIN(tst_CoordinatorSnapshot)
#include "tst_coordinatorsnapshot.moc"

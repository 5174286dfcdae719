// The slotscope-refserver command line: URL on the first stdout line, a
// serving process, a clean exit on SIGTERM/SIGINT, usage errors.

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class tst_RefServerApp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesAndStops_data();
    void servesAndStops();
    void usageErrors_data();
    void usageErrors();

private:
    static QString program() { return QString::fromUtf8(SLOTSCOPE_BINARY_DIR) + u"/bin/slotscope-refserver"_s; }
};

void tst_RefServerApp::servesAndStops_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("keyFromEnvironment");
    QTest::addColumn<int>("signal");
    QTest::addRow("synthetic, SIGTERM") << QStringList{u"--api-key"_s, u"k"_s} << false << int(SIGTERM);
    QTest::addRow("fixtures, SIGINT") << QStringList{u"--api-key"_s, u"k"_s, u"--tx-dir"_s,
                                                     QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR), u"--seed"_s, u"3"_s}
                                      << false << int(SIGINT);
    QTest::addRow("key from environment") << QStringList{u"--port"_s, u"0"_s, u"--host"_s, u"127.0.0.1"_s} << true
                                          << int(SIGTERM);
    QTest::addRow("0.31 with every behaviour option")
        << QStringList{u"--api-key"_s, u"k"_s, u"--wire"_s, u"0.31"_s, u"--startup-delay-ms"_s, u"100"_s,
                       u"--starting-runtime-interval-ms"_s, u"50"_s, u"--ready-after-paused-ms"_s, u"10"_s,
                       u"--simulation-error-every"_s, u"5"_s, u"--cut-at-slot"_s, u"1050"_s,
                       u"--closed-linger-ms"_s, u"0"_s, u"--malformed-notifications"_s, u"5"_s,
                       u"--malformed-every"_s, u"3"_s, u"--drop-at-completion"_s, u"1"_s,
                       u"--drop-at-completion-delay-ms"_s, u"20"_s, u"--drop-subscriptions-at-slot"_s, u"1020"_s,
                       u"--slow-step"_s, u"2,4"_s, u"--slow-step-ms"_s, u"300"_s, u"--experiment-fail-every"_s, u"5"_s,
                       u"--experiment-fee-every"_s, u"4"_s, u"--experiment-fee-delta"_s, u"-1000"_s,
                       u"--experiment-cu-every"_s, u"3"_s, u"--experiment-cu-delta"_s, u"700"_s,
                       u"--experiment-sol-every"_s, u"6"_s, u"--experiment-sol-delta"_s, u"12345"_s,
                       u"--experiment-token-every"_s, u"2"_s, u"--experiment-token-delta"_s, u"-5"_s,
                       u"--experiment-omit-every"_s, u"9"_s, u"--experiment-add-every"_s, u"8"_s,
                       u"--experiment-salt"_s, u"7"_s}
        << false << int(SIGTERM);
}

void tst_RefServerApp::servesAndStops()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, keyFromEnvironment);
    QFETCH(int, signal);

    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"SIMULATOR_API_KEY"_s);
    if (keyFromEnvironment)
        environment.insert(u"SIMULATOR_API_KEY"_s, u"from-env"_s);
    process.setProcessEnvironment(environment);
    process.start(program(), arguments);
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 10000);
    const QString firstLine = QString::fromUtf8(process.readLine()).trimmed();
    const QRegularExpression url(uR"(^ws://127\.0\.0\.1:(\d+)/backtest$)"_s);
    const auto match = url.match(firstLine);
    QVERIFY2(match.hasMatch(), qPrintable(firstLine));

    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/health"_s.arg(match.captured(1)))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->readAll(), QByteArray("ok"));
    reply->deleteLater();

    ::kill(pid_t(process.processId()), signal);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardOutput().isEmpty()); // nothing but the URL on stdout
    const QByteArray log = process.readAllStandardError();
    QVERIFY(!log.contains("from-env")); // the key is never logged
    if (const qsizetype wire = arguments.indexOf(u"--wire"_s); wire >= 0)
        QVERIFY2(log.contains("wire " + arguments.at(wire + 1).toLatin1()), log.constData());
}

void tst_RefServerApp::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::addRow("no key") << QStringList{} << QByteArray("--api-key is required");
    QTest::addRow("bad port") << QStringList{u"--api-key"_s, u"k"_s, u"--port"_s, u"70000"_s}
                              << QByteArray("--port must be");
    QTest::addRow("bad host") << QStringList{u"--api-key"_s, u"k"_s, u"--host"_s, u"nowhere"_s}
                              << QByteArray("--host must be");
    QTest::addRow("missing tx dir") << QStringList{u"--api-key"_s, u"k"_s, u"--tx-dir"_s, u"/nonexistent/dir"_s}
                                    << QByteArray("Cannot load transactions");
    QTest::addRow("unknown wire") << QStringList{u"--api-key"_s, u"k"_s, u"--wire"_s, u"0.30"_s}
                                  << QByteArray("--wire must be 0.28 or 0.31");
    QTest::addRow("negative startup delay") << QStringList{u"--api-key"_s, u"k"_s, u"--startup-delay-ms"_s, u"-5"_s}
                                            << QByteArray("--startup-delay-ms must be 0..2147483647");
    QTest::addRow("bad cut slot") << QStringList{u"--api-key"_s, u"k"_s, u"--cut-at-slot"_s, u"soon"_s}
                                  << QByteArray("--cut-at-slot must be a slot number");
    QTest::addRow("malformed every 0") << QStringList{u"--api-key"_s, u"k"_s, u"--malformed-every"_s, u"0"_s}
                                       << QByteArray("--malformed-every must be at least 1");
    QTest::addRow("bad delta") << QStringList{u"--api-key"_s, u"k"_s, u"--experiment-fee-delta"_s, u"1.5"_s}
                               << QByteArray("--experiment-fee-delta must be a whole number");
}

void tst_RefServerApp::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"SIMULATOR_API_KEY"_s);
    process.setProcessEnvironment(environment);
    process.start(program(), arguments);
    QVERIFY(process.waitForFinished(10000));
    QVERIFY(process.exitCode() != 0);
    QVERIFY(process.readAllStandardOutput().isEmpty());
    const QByteArray error = process.readAllStandardError();
    QVERIFY2(error.contains(message), error.constData());
}

QTEST_GUILESS_MAIN(tst_RefServerApp)
#include "tst_refserverapp.moc"

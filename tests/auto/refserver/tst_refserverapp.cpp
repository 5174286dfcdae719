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

// The headless command line of DESIGN.md §5: every option, the defaults, the
// API key from SIMULATOR_API_KEY, and each refusal as one clear line
// (app/slotscope/commandline.h parseHeadlessArguments).

#include "commandline.h"
#include "support/fixtures.h"

#include <QFileInfo>
#include <QTest>

#include <functional>

using namespace SlotScope;
using SlotScope::Testing::fixturesDir;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(SlotScope::HeadlessOptions)

namespace {

const QString kJupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
const QString kToken = u"TokenkegQfeZyiNwAJbNbGCPFHkiJxNRhrA1c28JzG7"_s;

// `slotscope --headless` followed by `rest`.
QStringList headless(const QStringList &rest)
{
    return QStringList{u"slotscope"_s, u"--headless"_s} + rest;
}

QStringList demoRange(const QStringList &rest = {})
{
    return headless(QStringList{u"--demo"_s, u"--start-slot"_s, u"1000"_s, u"--end-slot"_s, u"1199"_s} + rest);
}

QStringList urlRange(const QStringList &rest = {})
{
    return headless(QStringList{u"--url"_s, u"wss://sim.example.org"_s, u"--api-key"_s, u"key-1"_s,
                                u"--start-slot"_s, u"1000"_s, u"--end-slot"_s, u"1199"_s}
                    + rest);
}

// What `demoRange()` alone parses to: every default of DESIGN.md §5.
HeadlessOptions demoDefaults()
{
    HeadlessOptions options;
    options.config.target = RunConfig::Target::Demo;
    options.config.startSlot = 1000;
    options.config.endSlot = 1199;
    options.config.advanceCount = 1;
    options.config.disconnectTimeoutSecs = 900;
    options.config.capacityWaitTimeoutSecs = 900;
    options.config.drive = RunConfig::Drive::RunToEnd;
    options.temporaryCapture = true;
    options.csvKind = HeadlessOptions::CsvKind::Transactions;
    return options;
}

HeadlessOptions urlDefaults()
{
    HeadlessOptions options = demoDefaults();
    options.config.target = RunConfig::Target::Url;
    options.config.url = u"wss://sim.example.org"_s;
    options.config.apiKey = u"key-1"_s;
    return options;
}

HeadlessOptions with(HeadlessOptions options, const std::function<void(HeadlessOptions &)> &change)
{
    change(options);
    return options;
}

QProcessEnvironment environment(const QString &apiKey)
{
    QProcessEnvironment env;
    if (!apiKey.isNull())
        env.insert(u"SIMULATOR_API_KEY"_s, apiKey);
    return env;
}

} // namespace

class tst_CommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesOptions_data();
    void parsesOptions();
    void refusesWithOneLine_data();
    void refusesWithOneLine();
    void usageNamesEveryOption();
    void wantsHeadlessOnlyWithTheFlag_data();
    void wantsHeadlessOnlyWithTheFlag();
    void givesOptionInEveryForm();
};

void tst_CommandLine::givesOptionInEveryForm()
{
    // How the window tells a run from plain options: every spelling the
    // parser takes (`--url=…` opened no run and failed on its options).
    const auto gives = [](const QStringList &rest, QStringView name) {
        return givesOption(QStringList{u"slotscope"_s} + rest, name);
    };
    QVERIFY(gives({u"--url"_s, u"h"_s}, u"url"));
    QVERIFY(gives({u"--url=ws://h"_s}, u"url"));
    QVERIFY(gives({u"-url=ws://h"_s}, u"url"));
    QVERIFY(gives({u"--start-slot"_s, u"1"_s, u"-demo"_s}, u"demo"));
    QVERIFY(!gives({u"--urls"_s}, u"url"));
    QVERIFY(!gives({u"url"_s}, u"url"));
    QVERIFY(!gives({u"--name"_s, u"x"_s}, u"url"));
    QVERIFY(!givesOption({u"--url"_s}, u"url")); // the program's own name is not an option
}

void tst_CommandLine::parsesOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("envApiKey"); // null = SIMULATOR_API_KEY unset
    QTest::addColumn<HeadlessOptions>("expected");

    const QString envKey = u"key-from-env"_s;

    QTest::addRow("demo, defaults") << demoRange() << QString() << demoDefaults();
    QTest::addRow("--parallel")
        << demoRange({u"--parallel"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.parallel = true; });
    // The demo server makes its own key: the environment's is not taken.
    QTest::addRow("demo ignores SIMULATOR_API_KEY") << demoRange() << envKey << demoDefaults();
    QTest::addRow("demo --tx-dir")
        << demoRange({u"--tx-dir"_s, fixturesDir()}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.demoTxDir = fixturesDir(); });
    QTest::addRow("url with --api-key") << urlRange() << QString() << urlDefaults();
    QTest::addRow("--api-key wins over SIMULATOR_API_KEY") << urlRange() << envKey << urlDefaults();
    QTest::addRow("url, key from SIMULATOR_API_KEY")
        << headless({u"--url"_s, u"sim.example.org"_s, u"--start-slot"_s, u"1000"_s, u"--end-slot"_s, u"1199"_s})
        << envKey << with(urlDefaults(), [&](HeadlessOptions &o) {
               o.config.url = u"sim.example.org"_s; // normalised later (backtestWsUrl), kept as given
               o.config.apiKey = envKey;
           });
    QTest::addRow("--key=value form")
        << headless({u"--demo"_s, u"--start-slot=7"_s, u"--end-slot=9"_s, u"--advance-count=3"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.startSlot = 7;
               o.config.endSlot = 9;
               o.config.advanceCount = 3;
           });
    QTest::addRow("single-dash long options")
        << headless({u"-demo"_s, u"-start-slot"_s, u"5"_s, u"-end-slot"_s, u"6"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.startSlot = 5;
               o.config.endSlot = 6;
           });
    QTest::addRow("slots beyond 2^53 stay exact")
        << headless({u"--demo"_s, u"--start-slot"_s, u"9007199254740993"_s, u"--end-slot"_s,
                     u"18446744073709551615"_s, u"--yes"_s})
        << QString() << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.startSlot = 9007199254740993ULL;
               o.config.endSlot = 18446744073709551615ULL;
           });
    // An inverted range is the server's to reject (PROTOCOL.md §1.3, exit 4).
    QTest::addRow("inverted range is passed on")
        << headless({u"--demo"_s, u"--start-slot"_s, u"1199"_s, u"--end-slot"_s, u"1000"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.startSlot = 1199;
               o.config.endSlot = 1000;
           });
    QTest::addRow("--subscribe-program, repeated, in order")
        << demoRange({u"--subscribe-program"_s, kJupiter, u"--subscribe-program"_s, kToken}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.subscribePrograms = {kJupiter, kToken}; });
    QTest::addRow("--account-diffs")
        << demoRange({u"--account-diffs"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.accountDiffs = true; });
    QTest::addRow("--no-zstd")
        << demoRange({u"--no-zstd"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.zstd = false; });
    QTest::addRow("--discover-program without pausing runs to the end")
        << demoRange({u"--discover-program"_s, kJupiter}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.discoverPrograms = {kJupiter}; });
    QTest::addRow("--pause-at-discoveries")
        << demoRange({u"--discover-program"_s, kJupiter, u"--discover-program"_s, kToken,
                      u"--pause-at-discoveries"_s})
        << QString() << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.discoverPrograms = {kJupiter, kToken};
               o.config.pauseAtDiscoveries = true;
               o.config.drive = RunConfig::Drive::PauseAtDiscoveries;
           });
    QTest::addRow("--advance-count")
        << demoRange({u"--advance-count"_s, u"25"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.advanceCount = 25; });
    QTest::addRow("--capacity-wait 0 (fail at once)")
        << demoRange({u"--capacity-wait"_s, u"0"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.capacityWaitTimeoutSecs = 0; });
    QTest::addRow("--capacity-wait 3600")
        << demoRange({u"--capacity-wait"_s, u"3600"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.capacityWaitTimeoutSecs = 3600; });
    QTest::addRow("--disconnect-timeout 0")
        << demoRange({u"--disconnect-timeout"_s, u"0"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.disconnectTimeoutSecs = 0; });
    QTest::addRow("--disconnect-timeout 900 (the maximum)")
        << demoRange({u"--disconnect-timeout"_s, u"900"_s}) << QString() << demoDefaults();
    QTest::addRow("--disconnect-timeout 30")
        << demoRange({u"--disconnect-timeout"_s, u"30"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.config.disconnectTimeoutSecs = 30; });
    QTest::addRow("--capture")
        << demoRange({u"--capture"_s, u"out/run.ndjson"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.capturePath = u"out/run.ndjson"_s;
               o.temporaryCapture = false;
           });
    QTest::addRow("--capture --overwrite")
        << demoRange({u"--capture"_s, u"out/run.ndjson"_s, u"--overwrite"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.capturePath = u"out/run.ndjson"_s;
               o.config.overwriteCapture = true;
               o.temporaryCapture = false;
           });
    QTest::addRow("a range at the limit needs no --yes")
        << demoRange({u"--range-limit"_s, u"200"_s}) << QString() << demoDefaults();
    QTest::addRow("a range above the limit with --yes")
        << demoRange({u"--range-limit"_s, u"199"_s, u"--yes"_s}) << QString() << demoDefaults();
    QTest::addRow("--csv without --capture captures to a temporary file")
        << demoRange({u"--csv"_s, u"run.csv"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.csvPath = u"run.csv"_s; });
    QTest::addRow("--csv - is standard output")
        << demoRange({u"--csv"_s, u"-"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.csvPath = u"/dev/stdout"_s; });
    QTest::addRow("--capture - is standard output")
        << demoRange({u"--capture"_s, u"-"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.capturePath = u"/dev/stdout"_s;
               o.temporaryCapture = false;
           });
    QTest::addRow("--csv --overwrite without --capture")
        << demoRange({u"--csv"_s, u"run.csv"_s, u"--overwrite"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.csvPath = u"run.csv"_s; });
    QTest::addRow("--csv with --capture")
        << demoRange({u"--capture"_s, u"run.ndjson"_s, u"--csv"_s, u"run.csv"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.capturePath = u"run.ndjson"_s;
               o.temporaryCapture = false;
               o.csvPath = u"run.csv"_s;
           });
    QTest::addRow("--csv-kind transactions")
        << demoRange({u"--csv"_s, u"run.csv"_s, u"--csv-kind"_s, u"transactions"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) { o.csvPath = u"run.csv"_s; });
    QTest::addRow("--csv-kind account-diffs")
        << demoRange({u"--account-diffs"_s, u"--csv"_s, u"run.csv"_s, u"--csv-kind"_s, u"account-diffs"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.config.accountDiffs = true;
               o.csvPath = u"run.csv"_s;
               o.csvKind = HeadlessOptions::CsvKind::AccountDiffs;
           });
    QTest::addRow("--csv-kind events")
        << demoRange({u"--csv"_s, u"run.csv"_s, u"--csv-kind"_s, u"events"_s}) << QString()
        << with(demoDefaults(), [](HeadlessOptions &o) {
               o.csvPath = u"run.csv"_s;
               o.csvKind = HeadlessOptions::CsvKind::Events;
           });
    QTest::addRow("everything at once (url)")
        << urlRange({u"--subscribe-program"_s, kToken, u"--discover-program"_s, kJupiter,
                     u"--pause-at-discoveries"_s, u"--advance-count"_s, u"4"_s, u"--disconnect-timeout"_s,
                     u"120"_s, u"--capture"_s, u"a.ndjson"_s, u"--csv"_s, u"a.csv"_s, u"--csv-kind"_s,
                     u"events"_s})
        << envKey << with(urlDefaults(), [](HeadlessOptions &o) {
               o.config.subscribePrograms = {kToken};
               o.config.discoverPrograms = {kJupiter};
               o.config.pauseAtDiscoveries = true;
               o.config.drive = RunConfig::Drive::PauseAtDiscoveries;
               o.config.advanceCount = 4;
               o.config.disconnectTimeoutSecs = 120;
               o.config.capturePath = u"a.ndjson"_s;
               o.temporaryCapture = false;
               o.csvPath = u"a.csv"_s;
               o.csvKind = HeadlessOptions::CsvKind::Events;
           });
}

void tst_CommandLine::parsesOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, envApiKey);
    QFETCH(HeadlessOptions, expected);

    const Result<HeadlessOptions> parsed = parseHeadlessArguments(arguments, environment(envApiKey));
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    const RunConfig &config = parsed->config;
    const RunConfig &want = expected.config;
    QCOMPARE(config.target, want.target);
    QCOMPARE(config.url, want.url);
    QCOMPARE(config.apiKey, want.apiKey);
    QCOMPARE(config.demoTxDir, want.demoTxDir);
    QCOMPARE(config.startSlot, want.startSlot);
    QCOMPARE(config.endSlot, want.endSlot);
    QCOMPARE(config.parallel, want.parallel);
    QCOMPARE(config.subscribePrograms, want.subscribePrograms);
    QCOMPARE(config.accountDiffs, want.accountDiffs);
    QCOMPARE(config.zstd, want.zstd);
    QCOMPARE(config.discoverPrograms, want.discoverPrograms);
    QCOMPARE(config.pauseAtDiscoveries, want.pauseAtDiscoveries);
    QCOMPARE(config.advanceCount, want.advanceCount);
    QCOMPARE(config.disconnectTimeoutSecs, want.disconnectTimeoutSecs);
    QCOMPARE(config.capacityWaitTimeoutSecs, want.capacityWaitTimeoutSecs);
    QCOMPARE(config.capturePath, want.capturePath);
    QCOMPARE(config.overwriteCapture, want.overwriteCapture);
    QCOMPARE(config.drive, want.drive);
    QCOMPARE(parsed->csvPath, expected.csvPath);
    QCOMPARE(parsed->csvKind, expected.csvKind);
    QCOMPARE(parsed->temporaryCapture, expected.temporaryCapture);

    // What the engine is handed must pass its own check (a temporary capture
    // path is filled in by the runner before the run starts).
    RunConfig runnable = config;
    if (parsed->temporaryCapture)
        runnable.capturePath = u"/tmp/capture.ndjson"_s;
    QCOMPARE(runnable.validate(), QString());
}

void tst_CommandLine::refusesWithOneLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("envApiKey");
    QTest::addColumn<QString>("expectedMessage");

    const QString aFile = fixturesDir() + u"/README.md"_s;
    QVERIFY(QFileInfo(aFile).isFile());
    const QString missingDir = fixturesDir() + u"/no-such-directory"_s;

    QTest::addRow("missing --start-slot")
        << headless({u"--demo"_s, u"--end-slot"_s, u"1199"_s}) << QString()
        << u"--start-slot and --end-slot are required"_s;
    QTest::addRow("missing --end-slot")
        << headless({u"--demo"_s, u"--start-slot"_s, u"1000"_s}) << QString()
        << u"--start-slot and --end-slot are required"_s;
    // The key never appears in the message; the source it came from does.
    QTest::addRow("SIMULATOR_API_KEY with its newline")
        << headless({u"--url"_s, u"wss://sim.example.org"_s, u"--start-slot"_s, u"1"_s, u"--end-slot"_s, u"2"_s})
        << u"SECRETKEY123\n"_s
        << u"SIMULATOR_API_KEY: the API key contains a line break or another control character (a key read from a "
           "file keeps its newline); it cannot be sent"_s;
    QTest::addRow("--api-key smuggling a header")
        << headless({u"--url"_s, u"wss://sim.example.org"_s, u"--api-key"_s, u"SECRETKEY123\r\nX-Evil: 1"_s,
                     u"--start-slot"_s, u"1"_s, u"--end-slot"_s, u"2"_s})
        << QString()
        << u"--api-key: the API key contains a line break or another control character (a key read from a file "
           "keeps its newline); it cannot be sent"_s;
    QTest::addRow("--url with no host")
        << headless({u"--url"_s, u"ws://?x=1"_s, u"--api-key"_s, u"k"_s, u"--start-slot"_s, u"1"_s,
                     u"--end-slot"_s, u"2"_s})
        << QString() << u"--url: \"ws://?x=1\" has no host"_s;
    QTest::addRow("--url with an http scheme")
        << headless({u"--url"_s, u"http://sim.example.org"_s, u"--api-key"_s, u"k"_s, u"--start-slot"_s, u"1"_s,
                     u"--end-slot"_s, u"2"_s})
        << QString()
        << u"--url: \"http://sim.example.org\": unsupported scheme \"http\"; use ws:// or wss:// (or just the host "
           "name)"_s;
    QTest::addRow("--capacity-wait past 65535")
        << demoRange({u"--capacity-wait"_s, u"70000"_s}) << QString()
        << u"--capacity-wait: expected 0 to 65535 seconds, got 70000"_s;
    QTest::addRow("--demo with --url")
        << demoRange({u"--url"_s, u"wss://sim.example.org"_s, u"--api-key"_s, u"k"_s}) << QString()
        << u"give exactly one of --demo and --url"_s;
    QTest::addRow("neither --demo nor --url")
        << headless({u"--start-slot"_s, u"1000"_s, u"--end-slot"_s, u"1199"_s}) << u"k"_s
        << u"give exactly one of --demo and --url"_s;
    QTest::addRow("--start-slot not a number")
        << headless({u"--demo"_s, u"--start-slot"_s, u"abc"_s, u"--end-slot"_s, u"1199"_s}) << QString()
        << u"--start-slot: not a slot number: abc"_s;
    QTest::addRow("--start-slot negative")
        << headless({u"--demo"_s, u"--start-slot"_s, u"-5"_s, u"--end-slot"_s, u"1199"_s}) << QString()
        << u"--start-slot: not a slot number: -5"_s;
    QTest::addRow("--start-slot with an exponent")
        << headless({u"--demo"_s, u"--start-slot"_s, u"1e3"_s, u"--end-slot"_s, u"1199"_s}) << QString()
        << u"--start-slot: not a slot number: 1e3"_s;
    QTest::addRow("--end-slot past 2^64")
        << headless({u"--demo"_s, u"--start-slot"_s, u"1000"_s, u"--end-slot"_s, u"18446744073709551616"_s})
        << QString() << u"--end-slot: not a slot number: 18446744073709551616"_s;
    QTest::addRow("--end-slot empty")
        << headless({u"--demo"_s, u"--start-slot"_s, u"1000"_s, u"--end-slot="_s}) << QString()
        << u"--end-slot: not a slot number: "_s;
    QTest::addRow("--advance-count 0")
        << demoRange({u"--advance-count"_s, u"0"_s}) << QString()
        << u"--advance-count: expected a positive number, got 0"_s;
    QTest::addRow("--advance-count not a number")
        << demoRange({u"--advance-count"_s, u"many"_s}) << QString()
        << u"--advance-count: expected a positive number, got many"_s;
    QTest::addRow("--disconnect-timeout above 900")
        << demoRange({u"--disconnect-timeout"_s, u"901"_s}) << QString()
        << u"--disconnect-timeout: expected 0 to 900 seconds, got 901"_s;
    QTest::addRow("--disconnect-timeout beyond 16 bits")
        << demoRange({u"--disconnect-timeout"_s, u"65536"_s}) << QString()
        << u"--disconnect-timeout: expected 0 to 900 seconds, got 65536"_s;
    QTest::addRow("--disconnect-timeout not a number")
        << demoRange({u"--disconnect-timeout"_s, u"1m"_s}) << QString()
        << u"--disconnect-timeout: expected 0 to 900 seconds, got 1m"_s;
    QTest::addRow("--subscribe-program not base58")
        << demoRange({u"--subscribe-program"_s, u"notabase58!!"_s}) << QString()
        << u"--subscribe-program: program id \"notabase58!!\" is not base58: '!' at position 11 is not in the "
           "base58 alphabet (no 0, O, I or l)"_s;
    QTest::addRow("--subscribe-program too short")
        << demoRange({u"--subscribe-program"_s, kJupiter, u"--subscribe-program"_s, u"JUP6Lkb"_s}) << QString()
        << u"--subscribe-program: program id \"JUP6Lkb\" decodes to 5 bytes; a Solana address has 32"_s;
    QTest::addRow("--discover-program with a 0")
        << demoRange({u"--discover-program"_s, u"JUP0LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s}) << QString()
        << u"--discover-program: program id \"JUP0LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4\" is not base58: '0' at "
           "position 4 is not in the base58 alphabet (no 0, O, I or l)"_s;
    QTest::addRow("--pause-at-discoveries without --discover-program")
        << demoRange({u"--pause-at-discoveries"_s}) << QString()
        << u"--pause-at-discoveries needs at least one --discover-program"_s;
    QTest::addRow("unknown --csv-kind")
        << demoRange({u"--csv"_s, u"run.csv"_s, u"--csv-kind"_s, u"xlsx"_s}) << QString()
        << u"--csv-kind: expected transactions, account-diffs or events, got xlsx"_s;
    QTest::addRow("--csv-kind without --csv")
        << demoRange({u"--csv-kind"_s, u"events"_s}) << QString() << u"--csv-kind needs --csv"_s;
    // A script's unset variable: not the option left out (the run would end
    // without the file, exit 0).
    QTest::addRow("--csv \"\"")
        << demoRange({u"--csv"_s, QString()}) << QString() << u"--csv: the name is empty (an unset variable?)"_s;
    // The last one would win unsaid: a script's two sources of one option.
    QTest::addRow("--csv twice")
        << demoRange({u"--csv"_s, u"a.csv"_s, u"--csv"_s, u"b.csv"_s}) << QString()
        << u"--csv: given more than once (a.csv, b.csv); which one?"_s;
    QTest::addRow("--end-slot twice")
        << demoRange({u"--end-slot"_s, u"9"_s}) << QString()
        << u"--end-slot: given more than once (1199, 9); which one?"_s;
    QTest::addRow("--capture \"\"")
        << demoRange({u"--capture"_s, QString()}) << QString() << u"--capture: the name is empty (an unset variable?)"_s;
    QTest::addRow("--account-diffs into standard output")
        << demoRange({u"--account-diffs"_s, u"--capture"_s, u"-"_s}) << QString()
        << u"--account-diffs: the diffs go to the events file beside the capture, which a capture to /dev/stdout does "
           "not have: capture into a file"_s;
    // `--capture $OUT --overwrite` with OUT unset: no file named "--overwrite".
    QTest::addRow("an option where a value belongs")
        << demoRange({u"--capture"_s, u"--overwrite"_s}) << QString()
        << u"--capture: missing value (the next argument, --overwrite, is an option; an unset variable?)"_s;
    QTest::addRow("an option where the CSV belongs")
        << demoRange({u"--csv"_s, u"--verbose"_s}) << QString()
        << u"--csv: missing value (the next argument, --verbose, is an option; an unset variable?)"_s;
    QTest::addRow("--api-key with --demo")
        << demoRange({u"--api-key"_s, u"abc"_s}) << QString()
        << u"--api-key only applies to --url (the demo simulator makes its own)"_s;
    QTest::addRow("--tx-dir \"\"")
        << demoRange({u"--tx-dir"_s, QString()}) << QString() << u"--tx-dir: the name is empty (an unset variable?)"_s;
    QTest::addRow("--tx-dir with --url")
        << urlRange({u"--tx-dir"_s, fixturesDir()}) << QString() << u"--tx-dir only applies to --demo"_s;
    QTest::addRow("nonexistent --tx-dir")
        << demoRange({u"--tx-dir"_s, missingDir}) << QString()
        << u"--tx-dir: no such directory: %1"_s.arg(missingDir);
    QTest::addRow("--tx-dir is a file")
        << demoRange({u"--tx-dir"_s, aFile}) << QString() << u"--tx-dir: %1 is a file, not a directory"_s.arg(aFile);
    QTest::addRow("--url without a key anywhere")
        << headless({u"--url"_s, u"sim.example.org"_s, u"--start-slot"_s, u"1"_s, u"--end-slot"_s, u"2"_s})
        << QString() << u"no API key: pass --api-key or set SIMULATOR_API_KEY"_s;
    QTest::addRow("--url with an empty SIMULATOR_API_KEY")
        << headless({u"--url"_s, u"sim.example.org"_s, u"--start-slot"_s, u"1"_s, u"--end-slot"_s, u"2"_s})
        << u""_s << u"no API key: pass --api-key or set SIMULATOR_API_KEY"_s;
    QTest::addRow("unknown option")
        << demoRange({u"--frobnicate"_s}) << QString() << u"Unknown option 'frobnicate'."_s;
    QTest::addRow("option without its value")
        << headless({u"--demo"_s, u"--end-slot"_s, u"1199"_s, u"--start-slot"_s}) << QString()
        << u"Missing value after '--start-slot'."_s;
    QTest::addRow("stray argument")
        << demoRange({u"extra"_s}) << QString() << u"unexpected argument: extra"_s;
    QTest::addRow("--overwrite without --capture or --csv")
        << demoRange({u"--overwrite"_s}) << QString() << u"--overwrite needs --capture or --csv"_s;
    QTest::addRow("a range above the default limit")
        << headless({u"--demo"_s, u"--start-slot"_s, u"0"_s, u"--end-slot"_s, u"100000000"_s}) << QString()
        << u"the range 0..100000000 spans 100000001 slots, more than 100000: pass --yes to run it anyway"_s;
    QTest::addRow("a range above --range-limit")
        << demoRange({u"--range-limit"_s, u"199"_s}) << QString()
        << u"the range 1000..1199 spans 200 slots, more than 199: pass --yes to run it anyway"_s;
    QTest::addRow("--capture a folder")
        << demoRange({u"--capture"_s, fixturesDir()}) << QString()
        << u"--capture: %1 is a folder, not a file"_s.arg(fixturesDir());
    QTest::addRow("--csv a folder")
        << demoRange({u"--csv"_s, fixturesDir()}) << QString()
        << u"--csv: %1 is a folder, not a file"_s.arg(fixturesDir());
    // The CSV is read back from the capture after the run: /dev/null has
    // nothing to give back (and a named pipe would wait for a writer forever).
    QTest::addRow("--csv from a --capture into a device")
        << demoRange({u"--capture"_s, u"/dev/null"_s, u"--csv"_s, u"run.csv"_s}) << QString()
        << u"--csv is made from the capture, which /dev/null (a device or named pipe) cannot give back: "
           u"capture into a file, or leave out --capture"_s;
    // The CSV is written from the capture after the run: over it, the run's
    // only record would become a table of it.
    QTest::addRow("--csv over its own --capture")
        << demoRange({u"--capture"_s, u"out/run.ndjson"_s, u"--csv"_s, u"out/../out/run.ndjson"_s}) << QString()
        << u"--csv: out/run.ndjson is the capture the CSV is made from; name the CSV differently"_s;
    QTest::addRow("--csv over the capture's events file")
        << demoRange({u"--capture"_s, u"run.ndjson"_s, u"--csv"_s, u"run.events.ndjson"_s}) << QString()
        << u"--csv: run.events.ndjson is the events file of the capture the CSV is made from; name the CSV differently"_s;
    QTest::addRow("--name not a session name")
        << demoRange({u"--name"_s, u"Bad Name!"_s}) << QString()
        << u"--name: session name \"Bad Name!\": a space is not allowed; use a–z, 0–9, '.', '_' and '-'"_s;
    QTest::addRow("--csv-kind account-diffs without --account-diffs")
        << demoRange({u"--csv"_s, u"diffs.csv"_s, u"--csv-kind"_s, u"account-diffs"_s}) << QString()
        << u"--csv-kind account-diffs needs --account-diffs"_s;
    QTest::addRow("--range-limit not a number")
        << demoRange({u"--range-limit"_s, u"many"_s}) << QString() << u"--range-limit: not a number of slots: many"_s;
}

void tst_CommandLine::refusesWithOneLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, envApiKey);
    QFETCH(QString, expectedMessage);

    const Result<HeadlessOptions> parsed = parseHeadlessArguments(arguments, environment(envApiKey));
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message, expectedMessage);
    QVERIFY(!parsed.error().message.contains(u'\n'));
}

void tst_CommandLine::usageNamesEveryOption()
{
    const QString usage = headlessUsage();
    const QStringList options{u"--headless"_s, u"--demo"_s, u"--tx-dir"_s, u"--url"_s, u"--api-key"_s,
                              u"--start-slot"_s, u"--end-slot"_s, u"--parallel"_s, u"--subscribe-program"_s,
                              u"--account-diffs"_s, u"--no-zstd"_s, u"--discover-program"_s, u"--pause-at-discoveries"_s,
                              u"--advance-count"_s, u"--disconnect-timeout"_s, u"--capacity-wait"_s, u"--capture"_s, u"--csv"_s,
                              u"--csv-kind"_s, u"--overwrite"_s, u"--yes"_s, u"--range-limit"_s, u"--help"_s};
    for (const QString &option : options)
        QVERIFY2(usage.contains(option), qPrintable(option));
    QVERIFY(usage.contains(u"SIMULATOR_API_KEY"_s));
    // What to type, not this binary's path.
    QVERIFY2(usage.startsWith(u"Usage: slotscope --headless [options]"_s), qPrintable(usage.left(80)));
    // Every help option it lists is one.
    QVERIFY(usage.contains(u"--help-all"_s));
    for (const QString &help : {u"--help"_s, u"-h"_s, u"-?"_s, u"--help-all"_s})
        QVERIFY2(wantsHelp({u"slotscope"_s, u"--headless"_s, help}), qPrintable(help));
    QVERIFY(!wantsHelp({u"slotscope"_s, u"--headless"_s, u"--demo"_s}));
    QVERIFY(!wantsHelp({u"--help"_s})); // the program's own name, whatever it is
}

void tst_CommandLine::wantsHeadlessOnlyWithTheFlag_data()
{
    QTest::addColumn<QByteArrayList>("arguments");
    QTest::addColumn<bool>("expected");
    QTest::addRow("no arguments") << QByteArrayList{"slotscope"} << false;
    QTest::addRow("--headless first") << QByteArrayList{"slotscope", "--headless", "--demo"} << true;
    QTest::addRow("--headless last") << QByteArrayList{"slotscope", "--demo", "--headless"} << true;
    QTest::addRow("GUI demo") << QByteArrayList{"slotscope", "--start-demo"} << false;
    QTest::addRow("a prefix is not the flag") << QByteArrayList{"slotscope", "--headless-ish"} << false;
    // The program name is not an option.
    QTest::addRow("program named --headless") << QByteArrayList{"--headless"} << false;
}

void tst_CommandLine::wantsHeadlessOnlyWithTheFlag()
{
    QFETCH(QByteArrayList, arguments);
    QFETCH(bool, expected);
    QList<char *> argv;
    for (QByteArray &argument : arguments)
        argv.append(argument.data());
    argv.append(nullptr);
    QCOMPARE(wantsHeadless(int(arguments.size()), argv.data()), expected);
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"

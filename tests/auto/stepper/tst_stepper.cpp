// The engine's stepping policy without sockets (issue 10 item 3): every drive
// mode × {readyForContinue, paused, paused then ready, paused alone with the
// session layer's synthesized ready (legacy server), simulationError, refused
// step, terminal error}, plus held commands, positions and discoveries ahead.
//
// Each case is a script of inputs; the transcript records every input and,
// after "→", the step it made the stepper send. Expected transcripts are
// written out by hand from PROTOCOL-0.31.md §3.2 / §4.7 / §4.8, not computed.

#include "engine/stepper.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(SlotScope::DriveMode)
Q_DECLARE_METATYPE(SlotScope::SessionState)

namespace {

constexpr quint64 kStart = 1000;
constexpr quint64 kEnd = 1099;
constexpr quint64 kAdvance = 5;

// Errors as the server sends them (wire JSON, PROTOCOL-0.31.md §4.7–4.8).
BacktestError wireError(const char *json)
{
    return BacktestError::fromJson(QJsonDocument::fromJson(json).object());
}

const char *const kSimulationError = R"({"simulationError":{"error":"Transaction simulation failed: custom program error: 0x1771"}})";
const char *const kInvalidRequest = R"({"invalidRequest":{"error":"slot 1010 is not after the last executed slot"}})";
const char *const kAdvanceSlotFailed = R"({"advanceSlotFailed":{"slot":1004,"error":"bank hash mismatch"}})";
const char *const kSessionNotFound = R"({"sessionNotFound":{"session_id":"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"}})";

QString describe(const Step &step)
{
    if (const auto *advance = std::get_if<ContinueParams>(&step))
        return u"continue %1"_s.arg(advance->advanceCount);
    const auto &to = std::get<ContinueToParams>(step);
    return to.batchIndex ? u"continueTo %1/%2"_s.arg(to.slot).arg(*to.batchIndex)
                         : u"continueTo %1/-"_s.arg(to.slot);
}

std::pair<quint64, std::optional<quint32>> parsePosition(const QString &text)
{
    const QString batch = text.section(u'/', 1, 1);
    return {text.section(u'/', 0, 0).toULongLong(),
            batch == u"-" ? std::nullopt : std::optional<quint32>(batch.toUInt())};
}

DriveMode parseMode(const QString &text)
{
    if (text == u"run-to-end")
        return DriveMode::RunToEnd;
    if (text == u"pause-at-discoveries")
        return DriveMode::PauseAtDiscoveries;
    if (text == u"to-next-discovery")
        return DriveMode::ToNextDiscovery;
    return DriveMode::Manual;
}

/// Feeds one input ("ready", "ready*" = synthesized, "paused 1010/2",
/// "slot 1004", "discovery 1010/2", "error <json>", "user continue 3",
/// "user to 1030/0", "user pause", "drive run-to-end", "not sent") and returns its
/// transcript line.
QString feed(Stepper &stepper, const QString &input)
{
    std::optional<Step> step;
    QString extra;
    const bool wasDriving = stepper.drivingStopped().isEmpty();
    const QString verb = input.section(u' ', 0, 0);
    const QString rest = input.section(u' ', 1);
    if (verb == u"ready" || verb == u"ready*") {
        step = stepper.onReadyForContinue(verb == u"ready*");
    } else if (verb == u"paused") {
        const auto [slot, batch] = parsePosition(rest);
        stepper.onPaused(PausedEvent{slot, batch});
    } else if (verb == u"slot") {
        stepper.onSlot(rest.toULongLong());
    } else if (verb == u"discovery") {
        // "discovery 1010/2 A B": the batch matched programExecuted A and B.
        const QStringList words = rest.split(u' ');
        const auto [slot, batch] = parsePosition(words.first());
        DiscoveryBatchEvent event{.slot = slot, .batchIndex = batch.value_or(0)};
        for (const QString &program : words.mid(1))
            event.matched.append(DiscoveryFilter::programExecuted(program));
        if (!stepper.onDiscovery(event)) {
            extra = u" (known)"_s;
        } else {
            for (const BreakpointHit &hit : stepper.lastHits())
                extra += u" [%1#%2 %3]"_s.arg(hit.program).arg(hit.hit).arg(breakpointActionName(hit.action));
        }
    } else if (verb == u"error") {
        switch (stepper.onError(wireError(rest.toUtf8().constData()))) {
        case Stepper::ErrorEffect::Counted: extra = u" (counted)"_s; break;
        case Stepper::ErrorEffect::Refused: extra = u" (refused)"_s; break;
        case Stepper::ErrorEffect::Terminal: extra = u" (terminal)"_s; break;
        case Stepper::ErrorEffect::Shown: extra = u" (shown)"_s; break;
        }
    } else if (verb == u"user") {
        const QString what = rest.section(u' ', 0, 0);
        const QString argument = rest.section(u' ', 1);
        if (what == u"continue") {
            step = stepper.continueBy(argument.toULongLong());
        } else if (what == u"pause") {
            stepper.stopDriving();
        } else {
            const auto [slot, batch] = parsePosition(argument);
            step = stepper.continueTo(slot, batch);
        }
    } else if (verb == u"drive") {
        step = stepper.drive(parseMode(rest));
    } else if (verb == u"not") {
        stepper.stepNotSent(u"a Continue is already waiting for the connections"_s);
    } else {
        qFatal("unknown script input %s", qPrintable(input));
    }
    // Errors are abbreviated in the transcript to their variant name.
    QString line = verb == u"error" ? u"error "_s + wireError(rest.toUtf8().constData()).variant : input;
    line += extra;
    if (wasDriving && !stepper.drivingStopped().isEmpty())
        line += u" [driving stopped]"_s;
    if (step)
        line += u" → "_s + describe(*step);
    return line;
}

QStringList run(Stepper &stepper, const QStringList &script)
{
    QStringList transcript;
    for (const QString &input : script)
        transcript.append(feed(stepper, input));
    return transcript;
}

const QString kSimErr = u"error "_s + QString::fromLatin1(kSimulationError);
const QString kRefuse = u"error "_s + QString::fromLatin1(kInvalidRequest);
const QString kTerminal = u"error "_s + QString::fromLatin1(kAdvanceSlotFailed);

} // namespace

class tst_Stepper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matrix_data();
    void matrix();
    void heldCommandGoesOutOnTheReady();
    void aHeldTargetThePreviousStepPassedIsNotSent();
    void commandsWhileSteppingWaitTheLastWins();
    void aTargetTypedWhileRunningToEndTakesOver();
    void stepNotSentHandsControlBack();
    void pauseEndsDrivingAfterTheStepInFlight_data();
    void pauseEndsDrivingAfterTheStepInFlight();
    void pauseKeepsTheUsersOwnHeldContinue();
    void errorsThatRefuseNothing_data();
    void errorsThatRefuseNothing();
    void discoveriesAhead_data();
    void discoveriesAhead();
    void endedNeverSteps();
    void breakpoints_data();
    void breakpoints();
    void disablingABreakpointAhead();
    void enablingABreakpointBehindTheAnnouncement();
    void breakpointSpecs_data();
    void breakpointSpecs();
};

void tst_Stepper::matrix_data()
{
    QTest::addColumn<DriveMode>("mode");
    QTest::addColumn<QStringList>("script");
    QTest::addColumn<QStringList>("transcript");
    QTest::addColumn<SessionState>("state");
    QTest::addColumn<DriveMode>("driveAfter");
    QTest::addColumn<bool>("waitingForReady");
    QTest::addColumn<quint64>("simulationErrors");
    QTest::addColumn<quint64>("synthesized");
    QTest::addColumn<bool>("drivingStopped");

    // How each mode gets a Continue in flight, with a Jupiter batch announced
    // during it (the batch lies ahead when the step ends).
    const auto continueInFlight = [](DriveMode mode) -> QStringList {
        if (mode == DriveMode::Manual)
            return {u"slot 1000"_s, u"ready"_s, u"user continue 5 → continue 5"_s, u"discovery 1010/2"_s,
                    u"slot 1004"_s};
        return {u"slot 1000"_s, u"ready → continue 5"_s, u"discovery 1010/2"_s, u"slot 1004"_s};
    };
    // …and a Continue-to the batch 1010/2 (another batch, 1030/0, lies beyond it).
    const auto continueToInFlight = [](DriveMode mode) -> QStringList {
        switch (mode) {
        case DriveMode::Manual:
            return {u"slot 1000"_s, u"discovery 1010/2"_s, u"discovery 1030/0"_s, u"ready"_s,
                    u"user to 1010/2 → continueTo 1010/2"_s};
        case DriveMode::RunToEnd:
            // The user's Continue-to, given before the first ready, is held
            // until it; Run to end is chosen while it runs.
            return {u"slot 1000"_s, u"discovery 1010/2"_s, u"discovery 1030/0"_s, u"user to 1010/2"_s,
                    u"ready → continueTo 1010/2"_s, u"drive run-to-end"_s};
        case DriveMode::PauseAtDiscoveries:
        case DriveMode::ToNextDiscovery:
            return {u"slot 1000"_s, u"discovery 1010/2"_s, u"discovery 1030/0"_s, u"ready → continueTo 1010/2"_s};
        }
        return {};
    };
    // Strips the expected "→ …" parts: the script is what is fed.
    const auto row = [](const char *name, DriveMode mode, const QStringList &transcript, SessionState state,
                        DriveMode after, bool waiting, quint64 simErrors, quint64 synthesized, bool stopped) {
        QStringList script;
        for (const QString &line : transcript) {
            QString input = line.section(u" → "_s, 0, 0);
            for (const QString &note : {u" (counted)"_s, u" (refused)"_s, u" (terminal)"_s, u" (shown)"_s,
                                        u" [driving stopped]"_s})
                input.remove(note);
            if (input == u"error simulationError")
                input = kSimErr;
            else if (input == u"error invalidRequest")
                input = kRefuse;
            else if (input == u"error advanceSlotFailed")
                input = kTerminal;
            script.append(input);
        }
        QTest::newRow(name) << mode << script << transcript << state << after << waiting << simErrors
                            << synthesized << stopped;
    };
    using M = DriveMode;
    using S = SessionState;

    // --- readyForContinue: the step in flight completes.
    row("manual × ready", M::Manual, continueInFlight(M::Manual) + QStringList{u"ready"_s},
        S::Ready, M::Manual, false, 0, 0, false);
    row("run-to-end × ready", M::RunToEnd, continueInFlight(M::RunToEnd) + QStringList{u"ready → continue 5"_s},
        S::Running, M::RunToEnd, false, 0, 0, false);
    row("pause-at-discoveries × ready", M::PauseAtDiscoveries,
        continueInFlight(M::PauseAtDiscoveries) + QStringList{u"ready → continueTo 1010/2"_s},
        S::Running, M::PauseAtDiscoveries, false, 0, 0, false);
    row("to-next-discovery × ready", M::ToNextDiscovery,
        continueInFlight(M::ToNextDiscovery) + QStringList{u"ready → continueTo 1010/2"_s},
        S::Running, M::Manual, false, 0, 0, false);

    // --- paused: records the position, sends nothing, waits for the ready.
    const QStringList paused{u"paused 1010/2"_s};
    row("manual × paused", M::Manual, continueToInFlight(M::Manual) + paused, S::Paused, M::Manual, true, 0, 0, false);
    row("run-to-end × paused", M::RunToEnd, continueToInFlight(M::RunToEnd) + paused, S::Paused, M::RunToEnd, true, 0, 0,
        false);
    row("pause-at-discoveries × paused", M::PauseAtDiscoveries, continueToInFlight(M::PauseAtDiscoveries) + paused,
        S::Paused, M::PauseAtDiscoveries, true, 0, 0, false);
    row("to-next-discovery × paused", M::ToNextDiscovery, continueToInFlight(M::ToNextDiscovery) + paused, S::Paused,
        M::Manual, true, 0, 0, false);

    // --- paused then readyForContinue: exactly one step, on the ready.
    row("manual × paused then ready", M::Manual,
        continueToInFlight(M::Manual) + QStringList{u"paused 1010/2"_s, u"ready"_s},
        S::Paused, M::Manual, false, 0, 0, false);
    row("run-to-end × paused then ready", M::RunToEnd,
        continueToInFlight(M::RunToEnd) + QStringList{u"paused 1010/2"_s, u"ready → continue 5"_s},
        S::Running, M::RunToEnd, false, 0, 0, false);
    row("pause-at-discoveries × paused then ready", M::PauseAtDiscoveries,
        continueToInFlight(M::PauseAtDiscoveries) + QStringList{u"paused 1010/2"_s, u"ready → continueTo 1030/0"_s},
        S::Running, M::PauseAtDiscoveries, false, 0, 0, false);
    row("to-next-discovery × paused then ready", M::ToNextDiscovery,
        continueToInFlight(M::ToNextDiscovery) + QStringList{u"paused 1010/2"_s, u"ready"_s},
        S::Paused, M::Manual, false, 0, 0, false);

    // --- paused alone (a legacy server): the session layer's synthesized ready.
    row("manual × paused alone (legacy)", M::Manual,
        continueToInFlight(M::Manual) + QStringList{u"paused 1010/2"_s, u"ready*"_s},
        S::Paused, M::Manual, false, 0, 1, false);
    row("run-to-end × paused alone (legacy)", M::RunToEnd,
        continueToInFlight(M::RunToEnd) + QStringList{u"paused 1010/2"_s, u"ready* → continue 5"_s},
        S::Running, M::RunToEnd, false, 0, 1, false);
    row("pause-at-discoveries × paused alone (legacy)", M::PauseAtDiscoveries,
        continueToInFlight(M::PauseAtDiscoveries) + QStringList{u"paused 1010/2"_s, u"ready* → continueTo 1030/0"_s},
        S::Running, M::PauseAtDiscoveries, false, 0, 1, false);
    row("to-next-discovery × paused alone (legacy)", M::ToNextDiscovery,
        continueToInFlight(M::ToNextDiscovery) + QStringList{u"paused 1010/2"_s, u"ready*"_s},
        S::Paused, M::Manual, false, 0, 1, false);

    // --- simulationError: counted; the step goes on and ends with its ready.
    const QStringList simErrors{u"error simulationError (counted)"_s, u"slot 1005"_s,
                                u"error simulationError (counted)"_s};
    row("manual × simulationError", M::Manual, continueInFlight(M::Manual) + simErrors + QStringList{u"ready"_s},
        S::Ready, M::Manual, false, 2, 0, false);
    row("run-to-end × simulationError", M::RunToEnd,
        continueInFlight(M::RunToEnd) + simErrors + QStringList{u"ready → continue 5"_s},
        S::Running, M::RunToEnd, false, 2, 0, false);
    row("pause-at-discoveries × simulationError", M::PauseAtDiscoveries,
        continueInFlight(M::PauseAtDiscoveries) + simErrors + QStringList{u"ready → continueTo 1010/2"_s},
        S::Running, M::PauseAtDiscoveries, false, 2, 0, false);
    row("to-next-discovery × simulationError", M::ToNextDiscovery,
        continueInFlight(M::ToNextDiscovery) + simErrors + QStringList{u"ready → continueTo 1010/2"_s},
        S::Running, M::Manual, false, 2, 0, false);
    // …also while paused and waiting for the ready.
    row("pause-at-discoveries × simulationError while paused", M::PauseAtDiscoveries,
        continueToInFlight(M::PauseAtDiscoveries)
            + QStringList{u"paused 1010/2"_s, u"error simulationError (counted)"_s, u"ready → continueTo 1030/0"_s},
        S::Running, M::PauseAtDiscoveries, false, 1, 0, false);

    // --- refused step: steppable again at once, driving drops to manual (a
    // driven session says so); the user's next Continue goes out without a
    // new ready and takes over.
    const QStringList refused{u"error invalidRequest (refused)"_s, u"ready"_s, u"user continue 2 → continue 2"_s};
    const QStringList refusedDriven{u"error invalidRequest (refused) [driving stopped]"_s, u"ready"_s,
                                    u"user continue 2 → continue 2"_s};
    row("manual × refused step", M::Manual, continueToInFlight(M::Manual) + refused, S::Running, M::Manual, false, 0, 0,
        false);
    row("run-to-end × refused step", M::RunToEnd, continueToInFlight(M::RunToEnd) + refusedDriven, S::Running,
        M::Manual, false, 0, 0, false);
    row("pause-at-discoveries × refused step", M::PauseAtDiscoveries,
        continueToInFlight(M::PauseAtDiscoveries) + refusedDriven, S::Running, M::Manual, false, 0, 0, false);
    row("to-next-discovery × refused step", M::ToNextDiscovery, continueToInFlight(M::ToNextDiscovery) + refused,
        S::Running, M::Manual, false, 0, 0, false);

    // --- terminal error: nothing steps again.
    const QStringList terminal{u"error advanceSlotFailed (terminal)"_s, u"ready"_s, u"user continue 2"_s};
    const QStringList terminalDriven{u"error advanceSlotFailed (terminal) [driving stopped]"_s, u"ready"_s,
                                     u"user continue 2"_s};
    row("manual × terminal error", M::Manual, continueToInFlight(M::Manual) + terminal, S::Failed, M::Manual, false, 0,
        0, false);
    row("run-to-end × terminal error", M::RunToEnd, continueToInFlight(M::RunToEnd) + terminalDriven, S::Failed,
        M::Manual, false, 0, 0, true);
    row("pause-at-discoveries × terminal error", M::PauseAtDiscoveries,
        continueToInFlight(M::PauseAtDiscoveries) + terminalDriven, S::Failed, M::Manual, false, 0, 0, true);
    row("to-next-discovery × terminal error", M::ToNextDiscovery, continueToInFlight(M::ToNextDiscovery) + terminal,
        S::Failed, M::Manual, false, 0, 0, false);
}

void tst_Stepper::matrix()
{
    QFETCH(DriveMode, mode);
    QFETCH(QStringList, script);
    QFETCH(QStringList, transcript);
    QFETCH(SessionState, state);
    QFETCH(DriveMode, driveAfter);
    QFETCH(bool, waitingForReady);
    QFETCH(quint64, simulationErrors);
    QFETCH(quint64, synthesized);
    QFETCH(bool, drivingStopped);

    Stepper stepper(kStart, kEnd, kAdvance, mode);
    QCOMPARE(stepper.state(), SessionState::Creating);
    QCOMPARE(run(stepper, script), transcript);
    QCOMPARE(sessionStateName(stepper.state()), sessionStateName(state));
    QCOMPARE(driveModeName(stepper.driveMode()), driveModeName(driveAfter));
    QCOMPARE(stepper.isWaitingForReady(), waitingForReady);
    QCOMPARE(stepper.simulationErrors(), simulationErrors);
    QCOMPARE(stepper.synthesizedReadies(), synthesized);
    QCOMPARE(!stepper.drivingStopped().isEmpty(), drivingStopped);
    if (drivingStopped)
        QVERIFY2(stepper.drivingStopped().contains(stepper.lastError()), qPrintable(stepper.drivingStopped()));
}

void tst_Stepper::heldCommandGoesOutOnTheReady()
{
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::PauseAtDiscoveries);
    const QStringList transcript = run(stepper, {u"slot 1000"_s, u"discovery 1010/2"_s, u"ready"_s, u"paused 1010/2"_s,
                                                 u"user continue 3"_s, u"user continue 4"_s, u"ready"_s, u"ready"_s});
    // The pause came without a step of ours (a replay): the user's Continues
    // wait for the ready, the later one wins, and exactly one goes out.
    QCOMPARE(transcript, (QStringList{u"slot 1000"_s, u"discovery 1010/2"_s, u"ready → continueTo 1010/2"_s,
                                      u"paused 1010/2"_s, u"user continue 3"_s, u"user continue 4"_s,
                                      u"ready → continue 4"_s, u"ready"_s}));
    QCOMPARE(stepper.driveMode(), DriveMode::Manual);
    QVERIFY(!stepper.hasHeldCommand());
}

void tst_Stepper::commandsWhileSteppingWaitTheLastWins()
{
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::Manual);
    const QStringList transcript = run(stepper, {u"ready"_s, u"user continue 2"_s, u"user continue 7"_s,
                                                 u"user to 1050/-"_s, u"drive run-to-end"_s, u"slot 1001"_s,
                                                 u"ready"_s});
    QCOMPARE(transcript, (QStringList{u"ready"_s, u"user continue 2 → continue 2"_s, u"user continue 7"_s,
                                      u"user to 1050/-"_s, u"drive run-to-end"_s, u"slot 1001"_s,
                                      u"ready → continue 5"_s}));
    QVERIFY(!stepper.hasHeldCommand());
    QCOMPARE(stepper.nextSlot(), quint64(1002));
}

void tst_Stepper::aHeldTargetThePreviousStepPassedIsNotSent()
{
    // Continue To 1003/0 clicked twice: the first runs to it, the second,
    // held meanwhile, would be refused by the server (behind the session):
    // not sent, and said as the last error. A target held that is still
    // ahead goes out.
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::Manual);
    const QStringList transcript = run(stepper, {u"slot 1000"_s, u"ready"_s, u"user to 1003/0"_s, u"user to 1003/0"_s,
                                                 u"slot 1001"_s, u"slot 1002"_s, u"paused 1003/0"_s, u"ready"_s});
    QCOMPARE(transcript, (QStringList{u"slot 1000"_s, u"ready"_s, u"user to 1003/0 → continueTo 1003/0"_s,
                                      u"user to 1003/0"_s, u"slot 1001"_s, u"slot 1002"_s, u"paused 1003/0"_s,
                                      u"ready"_s}));
    QVERIFY2(stepper.lastError().startsWith(u"Continue To 1003/0 not sent: the session passed it"_s),
             qPrintable(stepper.lastError()));
    QVERIFY(!stepper.hasHeldCommand());
    QCOMPARE(stepper.state(), SessionState::Paused); // steppable, where it was

    Stepper ahead(kStart, kEnd, kAdvance, DriveMode::Manual);
    QCOMPARE(run(ahead, {u"slot 1000"_s, u"ready"_s, u"user to 1003/0"_s, u"user to 1003/-"_s, u"paused 1003/0"_s,
                         u"ready"_s}),
             (QStringList{u"slot 1000"_s, u"ready"_s, u"user to 1003/0 → continueTo 1003/0"_s, u"user to 1003/-"_s,
                          u"paused 1003/0"_s, u"ready → continueTo 1003/-"_s}));
}

void tst_Stepper::aTargetTypedWhileRunningToEndTakesOver()
{
    // Run to End has a step in flight; the user types a target: driving
    // stops, and the target goes out on the ready (it was once dropped, and
    // the run simply stopped).
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::RunToEnd);
    const QStringList transcript =
        run(stepper, {u"ready"_s, u"user to 1050/-"_s, u"slot 1004"_s, u"ready"_s, u"slot 1050"_s, u"ready"_s});
    QCOMPARE(transcript, (QStringList{u"ready → continue 5"_s, u"user to 1050/-"_s, u"slot 1004"_s,
                                      u"ready → continueTo 1050/-"_s, u"slot 1050"_s, u"ready"_s}));
    QCOMPARE(stepper.driveMode(), DriveMode::Manual);
    QVERIFY(!stepper.hasHeldCommand());
}

void tst_Stepper::stepNotSentHandsControlBack()
{
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::RunToEnd);
    const QStringList transcript = run(stepper, {u"ready"_s, u"not sent"_s, u"ready"_s});
    QCOMPARE(transcript, (QStringList{u"ready → continue 5"_s, u"not sent [driving stopped]"_s, u"ready"_s}));
    QCOMPARE(stepper.state(), SessionState::Ready);
    QCOMPARE(stepper.driveMode(), DriveMode::Manual);
    QCOMPARE(stepper.drivingStopped(), u"a Continue is already waiting for the connections"_s);
    // The user takes over: driving again, nothing stopped any more.
    QCOMPARE(feed(stepper, u"drive run-to-end"_s), u"drive run-to-end → continue 5"_s);
    QCOMPARE(stepper.drivingStopped(), QString());
}

void tst_Stepper::pauseEndsDrivingAfterTheStepInFlight_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QStringList>("script");
    QTest::addColumn<QStringList>("transcript");
    QTest::addColumn<SessionState>("state");

    // The step in flight finishes; no step follows it; the session is
    // steppable for the user (a Continue goes out at once), and nothing
    // says driving "stopped" (the user chose it).
    QTest::addRow("run to end, mid-step")
        << u"run-to-end"_s << QStringList{u"ready"_s, u"user pause"_s, u"slot 1004"_s, u"ready"_s, u"user continue 2"_s}
        << QStringList{u"ready → continue 5"_s, u"user pause"_s, u"slot 1004"_s, u"ready"_s,
                       u"user continue 2 → continue 2"_s}
        << SessionState::Running;
    QTest::addRow("to next discovery, mid-step")
        << u"to-next-discovery"_s
        << QStringList{u"discovery 1020/1"_s, u"ready"_s, u"user pause"_s, u"paused 1020/1"_s, u"ready"_s}
        << QStringList{u"discovery 1020/1"_s, u"ready → continueTo 1020/1"_s, u"user pause"_s, u"paused 1020/1"_s,
                       u"ready"_s}
        << SessionState::Paused;
    // Paused before the ready, driven again with a Continue held: Pause drops it.
    QTest::addRow("held command of a driven session dropped")
        << u"manual"_s
        << QStringList{u"ready"_s, u"user continue 1"_s, u"paused 1000/-"_s, u"user continue 3"_s,
                       u"drive run-to-end"_s, u"user pause"_s, u"ready"_s}
        << QStringList{u"ready"_s, u"user continue 1 → continue 1"_s, u"paused 1000/-"_s, u"user continue 3"_s,
                       u"drive run-to-end"_s, u"user pause"_s, u"ready"_s}
        << SessionState::Paused;
    // Before the first ready: the run never starts stepping by itself.
    QTest::addRow("before the first ready")
        << u"run-to-end"_s << QStringList{u"user pause"_s, u"ready"_s}
        << QStringList{u"user pause"_s, u"ready"_s} << SessionState::Ready;
}

void tst_Stepper::pauseEndsDrivingAfterTheStepInFlight()
{
    QFETCH(QString, mode);
    QFETCH(QStringList, script);
    QFETCH(QStringList, transcript);
    QFETCH(SessionState, state);
    Stepper stepper(kStart, kEnd, kAdvance, parseMode(mode));
    QCOMPARE(run(stepper, script), transcript);
    QCOMPARE(stepper.driveMode(), DriveMode::Manual);
    QVERIFY(!stepper.hasHeldCommand());
    QCOMPARE(stepper.drivingStopped(), QString());
    QCOMPARE(stepper.state(), state);
    // Driving again picks up where the pause left it.
    if (stepper.phase() == Stepper::Phase::Ready)
        QVERIFY(feed(stepper, u"drive run-to-end"_s).endsWith(u" → continue 5"_s));
}

void tst_Stepper::pauseKeepsTheUsersOwnHeldContinue()
{
    // A Continue the user queued on an undriven session (paused, before its
    // ready) is not undone by a Pause of the whole batch.
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::Manual);
    QCOMPARE(run(stepper, {u"ready"_s, u"user continue 1"_s, u"paused 1000/-"_s, u"user continue 3"_s, u"user pause"_s,
                           u"ready"_s}),
             (QStringList{u"ready"_s, u"user continue 1 → continue 1"_s, u"paused 1000/-"_s, u"user continue 3"_s,
                          u"user pause"_s, u"ready → continue 3"_s}));
}

void tst_Stepper::errorsThatRefuseNothing_data()
{
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("line");
    QTest::addRow("session not found") << QString::fromLatin1(kSessionNotFound) << u"error sessionNotFound (shown)"_s;
    QTest::addRow("unknown variant") << u"{\"somethingNew\":{\"why\":\"later\"}}"_s
                                     << u"error somethingNew (shown)"_s;
    QTest::addRow("refusal with nothing in flight") << QString::fromLatin1(kInvalidRequest)
                                                    << u"error invalidRequest (shown)"_s;
}

void tst_Stepper::errorsThatRefuseNothing()
{
    QFETCH(QString, error);
    QFETCH(QString, line);
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::RunToEnd);
    const bool inFlight = !line.contains(u"invalidRequest"_s);
    QStringList script{u"ready"_s};
    if (!inFlight)
        script = {u"drive manual"_s, u"ready"_s};
    script << u"error "_s + error << u"ready"_s;
    QStringList expected = inFlight ? QStringList{u"ready → continue 5"_s, line, u"ready → continue 5"_s}
                                    : QStringList{u"drive manual"_s, u"ready"_s, line, u"ready"_s};
    QCOMPARE(run(stepper, script), expected);
    QCOMPARE(stepper.drivingStopped(), QString());
    QVERIFY(!stepper.lastError().isEmpty() || inFlight); // shown until a step completes
}

void tst_Stepper::discoveriesAhead_data()
{
    QTest::addColumn<QStringList>("script");
    QTest::addColumn<QString>("next"); // "" = none ahead

    const QStringList batches{u"discovery 1010/0"_s, u"discovery 1010/3"_s, u"discovery 1020/1"_s};
    QTest::addRow("before any step") << QStringList{u"slot 1000"_s} + batches << u"1010/0"_s;
    QTest::addRow("startup slot is the batch's slot") << QStringList{u"slot 1010"_s} + batches << u"1010/0"_s;
    QTest::addRow("paused before batch 0") << batches + QStringList{u"paused 1010/0"_s} << u"1010/3"_s;
    QTest::addRow("paused before batch 3") << batches + QStringList{u"paused 1010/3"_s} << u"1020/1"_s;
    QTest::addRow("paused after the whole slot") << batches + QStringList{u"paused 1010/-"_s} << u"1020/1"_s;
    QTest::addRow("executed past every batch")
        << batches + QStringList{u"ready"_s, u"user continue 30"_s, u"slot 1025"_s} << QString();
    QTest::addRow("announced out of order")
        << QStringList{u"discovery 1020/1"_s, u"discovery 1010/3"_s, u"discovery 1010/3"_s} << u"1010/3"_s;
}

void tst_Stepper::discoveriesAhead()
{
    QFETCH(QStringList, script);
    QFETCH(QString, next);
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::Manual);
    const QStringList transcript = run(stepper, script);
    const auto ahead = stepper.nextDiscoveryAhead();
    QCOMPARE(ahead ? u"%1/%2"_s.arg(ahead->slot).arg(ahead->batchIndex) : QString(), next);
    // A batch announced twice (a replay after a reconnect) is kept once.
    QCOMPARE(transcript.count(u"discovery 1010/3 (known)"_s), script.count(u"discovery 1010/3"_s) > 1 ? 1 : 0);
}

void tst_Stepper::endedNeverSteps()
{
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::RunToEnd);
    QCOMPARE(feed(stepper, u"ready"_s), u"ready → continue 5"_s);
    stepper.onEnded(SessionState::Stopped);
    QCOMPARE(run(stepper, {u"ready"_s, u"user continue 1"_s, u"drive run-to-end"_s, u"paused 1003/-"_s}),
             (QStringList{u"ready"_s, u"user continue 1"_s, u"drive run-to-end"_s, u"paused 1003/-"_s}));
    QCOMPARE(stepper.state(), SessionState::Stopped);
    QCOMPARE(stepper.phase(), Stepper::Phase::Ended);
}

void tst_Stepper::breakpoints_data()
{
    // Breakpoints: A skips its first 2 hits, B only logs, C pauses only in
    // slots 1010..1015, D is off. The server announces one batch after each
    // step (PROTOCOL.md §6.2); driving stops before every announced batch,
    // and Run to Next Discovery ends only where a breakpoint pauses.
    QTest::addColumn<DriveMode>("mode");
    QTest::addColumn<QStringList>("expected");

    // Both modes start alike: A's first hit is skipped, B's logged.
    const QStringList start{u"slot 1000"_s,
                            u"discovery 1003/0 A [A#1 skip]"_s,
                            u"ready → continueTo 1003/0"_s,
                            u"paused 1003/0"_s,
                            u"discovery 1005/1 B [B#1 log]"_s,
                            u"ready → continueTo 1005/1"_s,
                            u"paused 1005/1"_s};
    QTest::addRow("run to next discovery: skip 2, log, pause at A's third hit")
        << DriveMode::ToNextDiscovery
        << start + QStringList{u"discovery 1007/0 C D"_s,                 // out of C's range, D off: no hit
                       u"ready → continueTo 1007/0"_s,
                       u"paused 1007/0"_s,
                       u"discovery 1008/0 A [A#2 skip]"_s,
                       u"ready → continueTo 1008/0"_s,
                       u"paused 1008/0"_s,
                       u"discovery 1012/2 A B [A#3 pause] [B#2 log]"_s,
                       u"ready → continueTo 1012/2"_s,               // Run to Next Discovery ends here
                       u"paused 1012/2"_s,
                       u"discovery 1014/0 C [C#1 pause]"_s,
                       u"ready"_s,                                   // manual: the user's turn
                       u"drive to-next-discovery → continueTo 1014/0"_s,
                       u"paused 1014/0"_s,
                       u"discovery 1030/0 B [B#3 log]"_s,
                       u"ready"_s,                                   // manual again after C's pause
                       u"drive to-next-discovery → continueTo 1030/0"_s,
                       u"paused 1030/0"_s,                          // B only logs: driving goes on
                       u"ready → continue 5"_s};                     // nothing ahead: on to the end
    QTest::addRow("pause at discoveries (headless): every batch is a stop, verdicts only reported")
        << DriveMode::PauseAtDiscoveries
        << start + QStringList{u"discovery 1008/0 A [A#2 skip]"_s,
                       u"ready → continueTo 1008/0"_s,
                       u"paused 1008/0"_s,
                       u"discovery 1012/2 A [A#3 pause]"_s,
                       u"ready → continueTo 1012/2"_s,
                       u"paused 1012/2"_s,
                       u"ready → continue 5"_s};
}

void tst_Stepper::breakpoints()
{
    QFETCH(DriveMode, mode);
    QFETCH(QStringList, expected);
    Stepper stepper(kStart, kEnd, kAdvance, mode);
    DiscoveryBreakpoint a = DiscoveryBreakpoint::forProgram(u"A"_s);
    a.skipHits = 2;
    DiscoveryBreakpoint b = DiscoveryBreakpoint::forProgram(u"B"_s);
    b.logOnly = true;
    DiscoveryBreakpoint c = DiscoveryBreakpoint::forProgram(u"C"_s);
    c.fromSlot = 1010;
    c.toSlot = 1015;
    DiscoveryBreakpoint d = DiscoveryBreakpoint::forProgram(u"D"_s);
    d.enabled = false;
    stepper.setBreakpoints({a, b, c, d});
    QStringList script;
    for (const QString &line : expected)
        script.append(line.section(u" ["_s, 0, 0).section(u" →"_s, 0, 0));
    QCOMPARE(run(stepper, script), expected);
    QCOMPARE(stepper.breakpoints().hits(u"A"_s), quint64(3));
    QCOMPARE(stepper.breakpoints().hits(u"D"_s), quint64(0));
    QVERIFY(stepper.pausesBefore(1012, 2));
    QVERIFY(!stepper.pausesBefore(1003, 0));
}

void tst_Stepper::disablingABreakpointAhead()
{
    // A batch announced while its breakpoint paused, then the breakpoint is
    // disabled: Run to Next Discovery no longer ends there, and later batches
    // are not counted.
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::Manual);
    stepper.setBreakpoints({DiscoveryBreakpoint::forProgram(u"A"_s)});
    QCOMPARE(run(stepper, {u"slot 1000"_s, u"discovery 1003/0 A"_s, u"ready"_s}),
             (QStringList{u"slot 1000"_s, u"discovery 1003/0 A [A#1 pause]"_s, u"ready"_s}));
    QVERIFY(stepper.pausesBefore(1003, 0));
    DiscoveryBreakpoint off = DiscoveryBreakpoint::forProgram(u"A"_s);
    off.enabled = false;
    stepper.setBreakpoints({off});
    QVERIFY(!stepper.pausesBefore(1003, 0));
    QCOMPARE(run(stepper, {u"drive to-next-discovery"_s, u"paused 1003/0"_s, u"discovery 1010/0 A"_s, u"ready"_s,
                           u"paused 1010/0"_s, u"ready"_s}),
             (QStringList{u"drive to-next-discovery → continueTo 1003/0"_s, u"paused 1003/0"_s,
                          u"discovery 1010/0 A"_s, u"ready → continueTo 1010/0"_s, u"paused 1010/0"_s,
                          u"ready → continue 5"_s}));
    QCOMPARE(stepper.breakpoints().hits(u"A"_s), quint64(1));
    QCOMPARE(stepper.driveMode(), DriveMode::ToNextDiscovery);
}

void tst_Stepper::enablingABreakpointBehindTheAnnouncement()
{
    // The batch ahead was announced while its breakpoint was off (or its
    // slots did not cover it); switched on, it counts that batch at once and
    // Run to Next Discovery stops there, not at the batch after it (the
    // server announces only the next one). Counted once, however often it
    // is switched.
    Stepper stepper(kStart, kEnd, kAdvance, DriveMode::Manual);
    DiscoveryBreakpoint off = DiscoveryBreakpoint::forProgram(u"A"_s);
    off.enabled = false;
    stepper.setBreakpoints({off});
    QCOMPARE(run(stepper, {u"slot 1000"_s, u"discovery 1003/0 A"_s, u"ready"_s}),
             (QStringList{u"slot 1000"_s, u"discovery 1003/0 A"_s, u"ready"_s}));
    QVERIFY(!stepper.pausesBefore(1003, 0));
    const QList<Stepper::LateHits> late = stepper.setBreakpoints({DiscoveryBreakpoint::forProgram(u"A"_s)});
    QCOMPARE(late.size(), 1);
    QCOMPARE(late.constFirst().batch.slot, 1003u);
    QCOMPARE(late.constFirst().hits, (QList<BreakpointHit>{{u"A"_s, 1, BreakpointAction::Pause}}));
    QVERIFY(stepper.pausesBefore(1003, 0));
    QVERIFY(stepper.setBreakpoints({off}).isEmpty());
    QVERIFY(stepper.setBreakpoints({DiscoveryBreakpoint::forProgram(u"A"_s)}).isEmpty()); // already counted
    QCOMPARE(stepper.breakpoints().hits(u"A"_s), quint64(1));
    QCOMPARE(run(stepper, {u"drive to-next-discovery"_s, u"paused 1003/0"_s, u"ready"_s}),
             (QStringList{u"drive to-next-discovery → continueTo 1003/0"_s, u"paused 1003/0"_s, u"ready"_s}));
    QCOMPARE(stepper.driveMode(), DriveMode::Manual); // stopped before it

    // Switched on while driving, with the Continue To of that batch already
    // in flight (sent while it was no stop): driving ends there too.
    Stepper driving(kStart, kEnd, kAdvance, DriveMode::Manual);
    driving.setBreakpoints({off});
    QCOMPARE(run(driving, {u"slot 1000"_s, u"discovery 1003/0 A"_s, u"ready"_s, u"drive to-next-discovery"_s}),
             (QStringList{u"slot 1000"_s, u"discovery 1003/0 A"_s, u"ready"_s,
                          u"drive to-next-discovery → continueTo 1003/0"_s}));
    QCOMPARE(driving.driveMode(), DriveMode::ToNextDiscovery);
    QCOMPARE(driving.setBreakpoints({DiscoveryBreakpoint::forProgram(u"A"_s)}).size(), 1);
    QCOMPARE(driving.driveMode(), DriveMode::Manual);
    QCOMPARE(run(driving, {u"paused 1003/0"_s, u"discovery 1010/0 A"_s, u"ready"_s}),
             (QStringList{u"paused 1003/0"_s, u"discovery 1010/0 A [A#2 pause]"_s, u"ready"_s})); // waits here
}

void tst_Stepper::breakpointSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("normalized"); // "" = an error
    QTest::addRow("plain") << u"JUP6"_s << u"JUP6"_s;
    QTest::addRow("every option") << u"JUP6,off,slots=10-20,log,skip=2"_s << u"JUP6,skip=2,log,slots=10-20,off"_s;
    QTest::addRow("open start") << u"JUP6,slots=-20"_s << u"JUP6,slots=-20"_s;
    QTest::addRow("open end") << u"JUP6,slots=10-"_s << u"JUP6,slots=10-"_s;
    QTest::addRow("no program") << u",skip=1"_s << QString();
    QTest::addRow("unknown option") << u"JUP6,pause"_s << QString();
    QTest::addRow("skip without count") << u"JUP6,skip=x"_s << QString();
    QTest::addRow("inverted range") << u"JUP6,slots=20-10"_s << QString();
    QTest::addRow("range without dash") << u"JUP6,slots=20"_s << QString();
}

void tst_Stepper::breakpointSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, normalized);
    const Result<DiscoveryBreakpoint> breakpoint = DiscoveryBreakpoint::fromSpec(spec);
    QCOMPARE(bool(breakpoint), !normalized.isEmpty());
    if (breakpoint) {
        QCOMPARE(breakpoint->toSpec(), normalized);
        QCOMPARE(DiscoveryBreakpoint::fromSpec(normalized)->toSpec(), normalized);
    } else {
        QVERIFY(breakpoint.error().message.contains(spec));
    }
}

QTEST_GUILESS_MAIN(tst_Stepper)
#include "tst_stepper.moc"

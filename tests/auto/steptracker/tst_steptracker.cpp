// StepTracker: the step-in-flight bookkeeping both control managers share
// (ControlManager per session, ParallelControlManager per sub-session): what
// answers a step, what marks it acted on, and the late-ready rule
// (PROTOCOL-0.31.md §3.2). tst_controlmanager and tst_parallelcontrolmanager
// check the same rules through each manager's wire.

#include "net/steptracker.h"

#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

namespace {

const ControlRequest continueOne = Requests::Continue{ContinueParams{.advanceCount = 1}};
const ControlRequest continueTo = Requests::ContinueTo{ContinueToParams{.slot = 380'000'010}};
const ControlResponse ready = Responses::ReadyForContinue{};
const ControlResponse slot = Responses::SlotNotification{380'000'001};
const SessionEventKind readyEvent = Responses::ReadyForContinue{};
const SessionEventKind slotEvent = Responses::SlotNotification{380'000'001};

} // namespace

class tst_StepTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readyAnswersAStepSentAfterTheReady();
    void pausedAnswersTheStep();
    void lateReadyOfTheEarlierPauseKeepsTheStep();
    void lateReadyAfterActivityAnswersTheStep();
    void onlyOneReadyIsThePauses();
    void refusalEndsThePairing();
    void activityMarksActedOnButNotTheLateReady();
    void connectionOfTheStep();
    void clearStepKeepsThePauseDue();
    void aRefusalAfterACopyIsNoActivity();
};

void tst_StepTracker::readyAnswersAStepSentAfterTheReady()
{
    StepTracker tracker;
    QVERIFY(!tracker.hasStep());
    QCOMPARE(tracker.step(), nullptr);
    tracker.stepSent(continueOne);
    QVERIFY(tracker.hasStep());
    QCOMPARE(*tracker.step(), continueOne);
    QVERIFY(!tracker.isActedOn());
    QVERIFY(!tracker.isReadyOfEarlierPause(ready)); // no pause before it
    tracker.noteActivity(ready);
    QVERIFY(tracker.isActedOn());
    tracker.readyArrived();
    QVERIFY(!tracker.hasStep());
}

void tst_StepTracker::pausedAnswersTheStep()
{
    StepTracker tracker;
    tracker.stepSent(continueTo);
    tracker.pausedArrived();
    QVERIFY(!tracker.hasStep());
}

void tst_StepTracker::lateReadyOfTheEarlierPauseKeepsTheStep()
{
    StepTracker tracker;
    tracker.stepSent(continueTo);
    tracker.pausedArrived();
    // SessionCore stood in for the pause's ready: the next step goes out first.
    tracker.stepSent(continueOne);
    QVERIFY(tracker.isReadyOfEarlierPause(ready));
    QVERIFY(tracker.isReadyOfEarlierPause(readyEvent));
    QVERIFY(!tracker.isReadyOfEarlierPause(slot));
    tracker.readyArrived();
    QVERIFY(tracker.hasStep());
    QCOMPARE(*tracker.step(), continueOne);
    // The step's own ready answers it.
    QVERIFY(!tracker.isReadyOfEarlierPause(ready));
    tracker.readyArrived();
    QVERIFY(!tracker.hasStep());
}

void tst_StepTracker::lateReadyAfterActivityAnswersTheStep()
{
    StepTracker tracker;
    tracker.pausedArrived();
    tracker.stepSent(continueOne);
    tracker.noteActivity(slot); // the server is already running the step
    QVERIFY(tracker.isActedOn());
    QVERIFY(!tracker.isReadyOfEarlierPause(ready));
    tracker.readyArrived();
    QVERIFY(!tracker.hasStep());
}

void tst_StepTracker::onlyOneReadyIsThePauses()
{
    StepTracker tracker;
    tracker.pausedArrived();
    tracker.readyArrived(); // the pause's ready, before any step
    tracker.stepSent(continueOne);
    QVERIFY(!tracker.isReadyOfEarlierPause(ready));
    tracker.readyArrived();
    QVERIFY(!tracker.hasStep());
}

void tst_StepTracker::refusalEndsThePairing()
{
    StepTracker tracker;
    tracker.pausedArrived();
    tracker.stepSent(continueOne);
    tracker.stepRefused();
    QVERIFY(!tracker.hasStep());
    // SessionCore forgot its stand-in: a ready now answers whatever is sent next.
    tracker.stepSent(continueTo);
    QVERIFY(!tracker.isReadyOfEarlierPause(ready));
    tracker.readyArrived();
    QVERIFY(!tracker.hasStep());
}

void tst_StepTracker::activityMarksActedOnButNotTheLateReady()
{
    StepTracker tracker;
    tracker.noteActivity(slotEvent); // no step: nothing to mark
    QVERIFY(!tracker.isActedOn());
    tracker.pausedArrived();
    tracker.stepSent(continueOne);
    tracker.noteActivity(readyEvent);
    QVERIFY(!tracker.isActedOn());
    tracker.readyArrived();
    tracker.noteActivity(slotEvent);
    QVERIFY(tracker.isActedOn());
    // A new step starts unanswered again.
    tracker.readyArrived();
    tracker.stepSent(continueTo);
    QVERIFY(!tracker.isActedOn());
}

void tst_StepTracker::connectionOfTheStep()
{
    StepTracker tracker;
    tracker.stepSent(continueOne, -1); // asked for while reconnecting
    QCOMPARE(tracker.connection(), -1);
    tracker.stepResent(3);
    QCOMPARE(tracker.connection(), 3);
    QVERIFY(tracker.hasStep());
    tracker.stepSent(continueTo, 4);
    QCOMPARE(tracker.connection(), 4);
}

void tst_StepTracker::clearStepKeepsThePauseDue()
{
    StepTracker tracker;
    tracker.pausedArrived();
    tracker.stepSent(continueOne);
    tracker.clearStep(); // closed by the user
    QVERIFY(!tracker.hasStep());
    tracker.stepSent(continueTo);
    QVERIFY(tracker.isReadyOfEarlierPause(ready));
}

void tst_StepTracker::aRefusalAfterACopyIsNoActivity()
{
    // Before a copy went out a refusal answers the step as any frame shows
    // the server read it; after, it may answer the copy (ConnectionPolicy::
    // duplicateRefusalHold), so it marks nothing until the step's own frames.
    const ControlResponse refused = Responses::Error{BacktestError::invalidRequest(u"busy"_s)};
    const SessionEventKind refusedEvent = Responses::Error{BacktestError::invalidRequest(u"busy"_s)};
    const ControlResponse perTransaction = Responses::Error{BacktestError::simulationError(u"x"_s)};
    QVERIFY(StepTracker::isRefusal(refused));
    QVERIFY(!StepTracker::isRefusal(slot));

    StepTracker tracker;
    tracker.stepSent(continueOne);
    QVERIFY(!tracker.refusalMayAnswerCopy());
    tracker.noteActivity(refused);
    QVERIFY(tracker.isActedOn());

    tracker.stepSent(continueOne, 1);
    tracker.copySent(2);
    QCOMPARE(tracker.connection(), 2);
    QVERIFY(tracker.refusalMayAnswerCopy());
    tracker.noteActivity(refused);
    tracker.noteActivity(refusedEvent);
    QVERIFY(!tracker.isActedOn());
    QVERIFY(tracker.refusalMayAnswerCopy());
    tracker.noteActivity(perTransaction); // a transaction of the step failed: it runs
    QVERIFY(tracker.isActedOn());
    QVERIFY(!tracker.refusalMayAnswerCopy());

    tracker.stepSent(continueOne); // a new step: no copy of it yet
    QVERIFY(!tracker.refusalMayAnswerCopy());
    tracker.copySent(3);
    tracker.noteActivity(slotEvent);
    QVERIFY(!tracker.refusalMayAnswerCopy());
    tracker.stepRefused();
    QVERIFY(!tracker.refusalMayAnswerCopy());
}

QTEST_APPLESS_MAIN(tst_StepTracker)
#include "tst_steptracker.moc"

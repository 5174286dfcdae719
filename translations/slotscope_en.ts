<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>SlotScope::AccountDiffsView</name>
    <message numerus="yes">
        <source> · %n older evicted (in the events file)</source>
        <translation>
            <numerusform> · %n older evicted (in the events file)</numerusform>
            <numerusform> · %n older evicted (in the events file)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n diff(s)</source>
        <translation>
            <numerusform>%n diff</numerusform>
            <numerusform>%n diffs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::CaptureDocument</name>
    <message numerus="yes">
        <source>%n account diff(s) in the capture unreadable (no JSON object)</source>
        <translation>
            <numerusform>%n account diff in the capture unreadable (no JSON object)</numerusform>
            <numerusform>%n account diffs in the capture unreadable (no JSON object)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) with account diffs damaged: their diffs are not shown</source>
        <translation>
            <numerusform>%n line with account diffs damaged: its diffs are not shown</numerusform>
            <numerusform>%n lines with account diffs damaged: their diffs are not shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transaction(s) name no session: the capture has %1 sessions and does not say whose they are</source>
        <translation>
            <numerusform>%n transaction names no session: the capture has %1 sessions and does not say whose it is</numerusform>
            <numerusform>%n transactions name no session: the capture has %1 sessions and does not say whose they are</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::CaptureView</name>
    <message numerus="yes">
        <source> · %n session(s)</source>
        <translation>
            <numerusform> · %n session</numerusform>
            <numerusform> · %n sessions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n damaged line(s) skipped&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;%n damaged line skipped&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;%n damaged lines skipped&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) of an unknown type skipped</source>
        <translation>
            <numerusform>%n line of an unknown type skipped</numerusform>
            <numerusform>%n lines of an unknown type skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate transaction(s) dropped</source>
        <translation>
            <numerusform>%n duplicate transaction dropped</numerusform>
            <numerusform>%n duplicate transactions dropped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of the events file could not be read</source>
        <translation>
            <numerusform>%n event of the events file could not be read</numerusform>
            <numerusform>%n events of the events file could not be read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Incomplete recording:&lt;/b&gt; %n replay gap(s), notifications missing (see Warnings)</source>
        <translation>
            <numerusform>&lt;b&gt;Incomplete recording:&lt;/b&gt; %n replay gap, notifications missing (see Warnings)</numerusform>
            <numerusform>&lt;b&gt;Incomplete recording:&lt;/b&gt; %n replay gaps, notifications missing (see Warnings)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Incomplete recording:&lt;/b&gt; %n unreadable frame(s) dropped while recording</source>
        <translation>
            <numerusform>&lt;b&gt;Incomplete recording:&lt;/b&gt; %n unreadable frame dropped while recording</numerusform>
            <numerusform>&lt;b&gt;Incomplete recording:&lt;/b&gt; %n unreadable frames dropped while recording</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::CompareCommand</name>
    <message numerus="yes">
        <source>expected two captures, BASELINE and EXPERIMENT; got %n</source>
        <translation>
            <numerusform>expected two captures, BASELINE and EXPERIMENT; got %n</numerusform>
            <numerusform>expected two captures, BASELINE and EXPERIMENT; got %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::CompareView</name>
    <message numerus="yes">
        <source>Compared: %n regression(s)</source>
        <translation>
            <numerusform>Compared: %n regression</numerusform>
            <numerusform>Compared: %n regressions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::CoordinatorPanel</name>
    <message numerus="yes">
        <source>&lt;b&gt;Handshake slot:&lt;/b&gt; free — the parked wait for %n streaming socket(s) to stop or fall silent</source>
        <translation>
            <numerusform>&lt;b&gt;Handshake slot:&lt;/b&gt; free — the parked wait for %n streaming socket to stop or fall silent</numerusform>
            <numerusform>&lt;b&gt;Handshake slot:&lt;/b&gt; free — the parked wait for %n streaming sockets to stop or fall silent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 sockets streaming · %n parked</source>
        <translation>
            <numerusform>%1 of %2 sockets streaming · %n parked</numerusform>
            <numerusform>%1 of %2 sockets streaming · %n parked</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::ExportDialog</name>
    <message numerus="yes">
        <source>Selected rows (%n)</source>
        <translation>
            <numerusform>Selected rows (%n)</numerusform>
            <numerusform>Selected rows (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rows the filter shows (%n)</source>
        <translation>
            <numerusform>Row the filter shows (%n)</numerusform>
            <numerusform>Rows the filter shows (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Diffs the panel&apos;s filter shows (%n)</source>
        <translation>
            <numerusform>Diff the panel&apos;s filter shows (%n)</numerusform>
            <numerusform>Diffs the panel&apos;s filter shows (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Selected diffs (%n)</source>
        <translation>
            <numerusform>Selected diff (%n)</numerusform>
            <numerusform>Selected diffs (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::HeadlessRunner</name>
    <message numerus="yes">
        <source>  %n simulation error(s)</source>
        <translation>
            <numerusform>  %n simulation error</numerusform>
            <numerusform>  %n simulation errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>a subscription resumed after slots had left the server&apos;s %1-slot replay window %n time(s), %2 slot(s) in all (replay_gap in the events file); the capture is incomplete</source>
        <translation>
            <numerusform>a subscription resumed after slots had left the server&apos;s %1-slot replay window %n time, %2 slot(s) in all (replay_gap in the events file); the capture is incomplete</numerusform>
            <numerusform>a subscription resumed after slots had left the server&apos;s %1-slot replay window %n times, %2 slot(s) in all (replay_gap in the events file); the capture is incomplete</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::MainWindow</name>
    <message numerus="yes">
        <source>%n row(s) evicted from the view (still in the capture)</source>
        <translation>
            <numerusform>%n row evicted from the view (still in the capture)</numerusform>
            <numerusform>%n rows evicted from the view (still in the capture)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Its %n sessions are closed on the server</source>
        <translation>
            <numerusform>Its %n session is closed on the server</numerusform>
            <numerusform>Its %n sessions are closed on the server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transaction(s) captured</source>
        <translation>
            <numerusform>%n transaction captured</numerusform>
            <numerusform>%n transactions captured</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped · the capture keeps %n transaction(s)</source>
        <translation>
            <numerusform>Stopped · the capture keeps %n transaction</numerusform>
            <numerusform>Stopped · the capture keeps %n transactions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Completed · %n transaction(s) captured</source>
        <translation>
            <numerusform>Completed · %n transaction captured</numerusform>
            <numerusform>Completed · %n transactions captured</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n replay gap(s), %1 slot(s) missed (replay_gap in the events file)</source>
        <translation>
            <numerusform> · %n replay gap, %1 slot(s) missed (replay_gap in the events file)</numerusform>
            <numerusform> · %n replay gaps, %1 slot(s) missed (replay_gap in the events file)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::ProtocolConsoleView</name>
    <message numerus="yes">
        <source>%n frame(s)</source>
        <translation>
            <numerusform>%n frame</numerusform>
            <numerusform>%n frames</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::RunChartsView</name>
    <message numerus="yes">
        <source>%1: ended · %Ln transaction(s) in %2 s, %3 tx/s on average</source>
        <translation>
            <numerusform>%1: ended · %Ln transaction in %2 s, %3 tx/s on average</numerusform>
            <numerusform>%1: ended · %Ln transactions in %2 s, %3 tx/s on average</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: ended · %Ln transaction(s) in %2 s, %3 s of them moving, %4 tx/s while moving</source>
        <translation>
            <numerusform>%1: ended · %Ln transaction in %2 s, %3 s of them moving, %4 tx/s while moving</numerusform>
            <numerusform>%1: ended · %Ln transactions in %2 s, %3 s of them moving, %4 tx/s while moving</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: still since %2 · %Ln transaction(s)</source>
        <translation>
            <numerusform>%1: still since %2 · %Ln transaction</numerusform>
            <numerusform>%1: still since %2 · %Ln transactions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 tx/s, %3 slots/s · %Ln transaction(s) in %4 s</source>
        <translation>
            <numerusform>%1: %2 tx/s, %3 slots/s · %Ln transaction in %4 s</numerusform>
            <numerusform>%1: %2 tx/s, %3 slots/s · %Ln transactions in %4 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Progress of %n sub-sessions</source>
        <translation>
            <numerusform>Progress of %n sub-session</numerusform>
            <numerusform>Progress of %n sub-sessions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::RunDialog</name>
    <message numerus="yes">
        <source>%n range(s) available.</source>
        <translation>
            <numerusform>%n range available.</numerusform>
            <numerusform>%n ranges available.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n range(s) of another kind, e.g. account state, not listed.)</source>
        <translation>
            <numerusform>(%n range of another kind, e.g. account state, not listed.)</numerusform>
            <numerusform>(%n ranges of another kind, e.g. account state, not listed.)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionModel</name>
    <message numerus="yes">
        <source>%1 (%n sub-session(s))</source>
        <translation>
            <numerusform>%1 (%n sub-session)</numerusform>
            <numerusform>%1 (%n sub-sessions)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotSpinBox</name>
    <message numerus="yes">
        <source>%n slot(s)</source>
        <translation>
            <numerusform>%n slot</numerusform>
            <numerusform>%n slots</numerusform>
        </translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>HeadlessRunner</name>
    <message>
        <source>slotscope: error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope</name>
    <message>
        <source>SlotScope: step, watch and capture Solana backtests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give exactly one of --demo and --url</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--tx-dir: no such directory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--tx-dir only applies to --demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no API key: pass --api-key or set SIMULATOR_API_KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--start-slot and --end-slot are required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--start-slot: not a slot number: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--end-slot: not a slot number: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--pause-at-discoveries needs at least one --discover-program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--advance-count: expected a positive number, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--disconnect-timeout: expected 0 to 900 seconds, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--csv-kind: expected transactions, account-diffs or events, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--csv-kind needs --csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--range-limit: not a number of slots: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the range %1..%2 spans %3 slots, more than %4: pass --yes to run it anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--overwrite needs --capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--capture: %1 already exists; pass --overwrite to replace it (the old capture is kept until the new run has data)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::AboutDialog</name>
    <message>
        <source>About SlotScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Build</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Licence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;SlotScope %1&lt;/h2&gt;&lt;p&gt;Step through, watch and capture Solana backtests on the Termina (nitro-svm) simulator.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home page:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy these facts, e.g. for a bug report</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ConnectionTimelineModel</name>
    <message>
        <source>%1: %2%3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (attempt %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ConnectionTimelineView</name>
    <message>
        <source>Green: Up · orange: Down (reconnecting) · blue: Parked · red: Failed · ◆ reconnect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ControlManager</name>
    <message>
        <source>create contended: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>session create failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 contended: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rejected: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>session failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the session has not been created yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the session has completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the control connection has stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Continue is already in flight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the control connection is not up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>again: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::DiscoveryModel</name>
    <message>
        <source>Ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Positions in the block: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matched filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::Engine</name>
    <message>
        <source>no server URL given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no API key given (set SIMULATOR_API_KEY or pass --api-key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>advance count must be at least 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnect timeout is at most 900 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no capture file given</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ExportDialog</name>
    <message>
        <source>Everything in the capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Selected rows (%n)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Slot range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spreadsheet-safe cells (prefix = + - @ with &apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account diffs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Control events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::HeadlessRunner</name>
    <message>
        <source>demo simulator: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo simulator on %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>synthetic transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transactions from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create a temporary directory for the capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>discovered batch %1/%2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>control</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(creating)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>creating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>capture: %1 (%2 transactions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slotscope: error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>  %n simulation error(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>starting runtime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: stopping the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hangup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>terminated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV incomplete: %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>csv: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::LinkState</name>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retry in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::MainWindow</name>
    <message>
        <source>SlotScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) evicted from the view (still in the capture)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;New Run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue &amp;To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run to &amp;Next Discovery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run to &amp;End</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> slots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slots per Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slot[/batch]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target of Continue To when no discovery batch is selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stepping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Advance </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by signature, fee payer or program id…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discovery Batches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo simulator did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the demo simulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Control: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · Data: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n transaction(s) captured</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>, %1 duplicates dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Stopped · the capture keeps %n transaction(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Completed · %n transaction(s) captured</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select a discovery batch, or type a target as slot or slot/batch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This transaction is not in a capture file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the transaction from the capture: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Error:&lt;/b&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a backtest run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the session; the capture keeps everything received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue the advance count of slots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue to the selected discovery batch, or to the slot[/batch] typed beside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue until just before the next discovered batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep continuing until the session completes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the capture to CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue the advance count of slots on every session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue the advance count of slots on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put docks, toolbars and columns back where they were on first start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About SlotScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new language applies when SlotScope next starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layout reset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace capture?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A capture named %1 exists already.

Replace it? The old capture is kept until the new run has data; a run that fails before that leaves it untouched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Large slot range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The range %1 … %2 spans %L3 slots, more than %L4.

Start it anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV export incomplete: %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ManagedParallelSession</name>
    <message>
        <source>API key rejected by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key rejected by the server (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parallel create failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>control connection failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled before the parallel batch was created</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ManagedSession</name>
    <message>
        <source>subscription %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key rejected by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key rejected by the server (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>session create failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>control connection failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the session has not been started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the session has completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the session has failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the session was shut down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connection failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Continue is already waiting for the connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Continue is already in flight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not send the Continue: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completion drain stalled: subscription %1 failed (%2); the captured stream is incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completion drain stalled: subscription %1 is up but delivered nothing for %2 ms and no end of stream; the captured stream is incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled before the session was created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the session</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::Net</name>
    <message>
        <source>zstd: cannot allocate a decompression context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zstd: the stream is broken since an earlier error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zstd: empty frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zstd: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zstd: a message larger than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zstd: the frame decodes to no data (truncated?)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::Options</name>
    <message>
        <source>Run without a window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the embedded demo simulator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo: replay the transactions in DIR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulator URL or host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key (default: $SIMULATOR_API_KEY).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First slot, inclusive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last slot, inclusive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run as a parallel batch of sub-sessions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture transactions of this program (repeatable; default: all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also capture account diffs (accounts owned by each --subscribe-program; without any: the token and system programs).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not ask for zstd-compressed notifications.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discover batches executing this program (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause before every discovered batch, then go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slots per Continue (default 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds the server keeps the session after a drop (default 900).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture file (NAME.ndjson; events go to NAME.events.ndjson).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the capture to this CSV file at the end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transactions (default), account-diffs or events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also print the connection and protocol log to stderr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace an existing --capture file once the new run has data (without it, an existing capture is an error).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a range larger than --range-limit slots without asking.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slots a run may span without --yes (default %1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ParallelControlManager</name>
    <message>
        <source>parallel create contended: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parallel create failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server did not report the sub-session slot ranges (too old for parallel batches)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parallel create failed: the server created no sub-sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parallel create failed: sessionsCreatedV2 does not list sub-session %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attach contended: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attach rejected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parallel control session failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the parallel batch has not been created yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown sub-session %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sub-session %1 has completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the control connection is not up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Continue is already in flight for %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ParallelSubSession</name>
    <message>
        <source>subscription %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sub-session %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>control connection failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the sub-session is not running yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the sub-session has completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the sub-session has failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the sub-session was shut down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connection failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Continue is already waiting for the connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Continue is already in flight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not send the Continue: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completion drain stalled: subscription %1 failed (%2); the captured stream is incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completion drain stalled: subscription %1 is up but delivered nothing for %2 ms and no end of stream; the captured stream is incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the sub-session</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::PreferencesDialog</name>
    <message>
        <source> rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forget Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where new captures are written; empty = the default shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the capture directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows the live transaction table keeps; older rows stay in the capture file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language applies when SlotScope next starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put docks, toolbars and columns back where they were on first start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Capture directory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Live table keeps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window layout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP, TLS and WebSocket upgrade of one connection attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delay before the first reconnect; it doubles after each failed attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reconnect delay never grows beyond this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect attempts before a connection is given up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time spent reconnecting before a connection is given up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect &amp;timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;First retry after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest retry &amp;delay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Attempts per outage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time &amp;per outage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore &amp;Defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies to runs started from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API keys in the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers whose API key SlotScope keeps in the system keyring (the keys are not shown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent captures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remembered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No API key is remembered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the key for %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key for %1 was removed from the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring did not remove the key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ProtocolLogModel</name>
    <message>
        <source>Replayed duplicate (seqId already seen): dropped, not acted on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in (dropped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seqId</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::RefServer</name>
    <message>
        <source>No API key configured for the reference server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The available range is empty (start %1 &gt; end %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot load transactions from %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::RunDialog</name>
    <message>
        <source>Fetch ranges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause before every discovered batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New backtest run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local simulator (demo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wss://host/backtest or a host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: $SIMULATOR_API_KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>available ranges…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>program ids; empty = every transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>program ids whose batches to discover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> slots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the server keeps the session after the connection drops (≤ 900 s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Slots:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Su&amp;bscribe to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discover:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Advance:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect &amp;timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Capture file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NDJSON capture (*.ndjson)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server to ask: enter a URL first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not fetch ranges: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server lists no ranges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n range(s) available.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the first and last slot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pausing at discoveries needs at least one program to discover.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remember the key for this server in the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parallel batch: the server splits the range into sub-sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also capture account diffs (accounts owned by the subscribed programs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compress the data plane (zstd)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Using $SIMULATOR_API_KEY, which wins over a key in the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key read from the system keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No key for this server in the system keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keyring is not available (%1): the key cannot be remembered, enter it or set SIMULATOR_API_KEY.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the key in the system keyring …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the key from the system keyring …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keyring did not keep the key (%1). Start again to run without remembering it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionEngine</name>
    <message>
        <source>cannot write the capture: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no running session covers slot %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped by the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>end of stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 sub-sessions failed; first: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>capture write failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>capture could not be completed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused a step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the session is not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a step could not be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sub-session %1: %2 (%3); an unattended run cannot go on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2); an unattended run cannot go on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for readyForContinue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting runtime, %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionModel</name>
    <message>
        <source>%1 (%2/%3 up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscription %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sub-session %1 of run %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 (no session yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session %1 of run %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n sub-session(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Parallel run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slot range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Control</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data plane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulation errors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionState</name>
    <message>
        <source>Creating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ShortcutsDialog</name>
    <message>
        <source>%1 (%2)</source>
        <comment>tool tip (shortcut)</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search actions and keys…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <comment>between two shortcuts</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (in %2)</source>
        <comment>action (where it works)</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::SubscriptionManager</name>
    <message>
        <source>corrupt compressed frame: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>subscribe rejected: %1 (code %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>end of stream</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::TransactionDetailView</name>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a transaction to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read this transaction: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fee payer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programs invoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SOL balance changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token balance changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2 of mint %3 (owner %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the transaction carries no logs)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::TransactionModel</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 SOL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fee (lamports)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fee payer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute units consumed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::WebSocketConnection</name>
    <message>
        <source>waiting for the other subscriptions to finish (attempt %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to %1: not a ws:// or wss:// URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key rejected (HTTP %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1 at the WebSocket upgrade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote close: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote close: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection lost: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handshake: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (gave up after 1 attempt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (gave up after %2 attempts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no traffic for %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connect timeout after %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no response within %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client closing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Start a run on the embedded demo simulator right away.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--csv applies to --headless runs; export from the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slotscope: error: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step, watch and capture Solana backtests.
Without a window: slotscope --headless --help</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

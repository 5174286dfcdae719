<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>HeadlessRunner</name>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="277"/>
        <source>slotscope: error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope</name>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="68"/>
        <source>SlotScope: step, watch and capture Solana backtests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="91"/>
        <source>unexpected argument: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="99"/>
        <source>give exactly one of --demo and --url</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="104"/>
        <source>--tx-dir: no such directory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="107"/>
        <source>--tx-dir only applies to --demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="113"/>
        <source>no API key: pass --api-key or set SIMULATOR_API_KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="117"/>
        <source>--start-slot and --end-slot are required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="121"/>
        <source>--start-slot: not a slot number: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="123"/>
        <source>--end-slot: not a slot number: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="128"/>
        <source>--parallel: parallel batches are not available in this version yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="135"/>
        <source>--pause-at-discoveries needs at least one --discover-program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="141"/>
        <source>--advance-count: expected a positive number, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="145"/>
        <source>--disconnect-timeout: expected 0 to 900 seconds, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="158"/>
        <source>--csv-kind: expected transactions, account-diffs or events, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="160"/>
        <source>--csv-kind needs --csv</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ConnectionTimelineView</name>
    <message>
        <location filename="../app/slotscope/connectiontimelineview.cpp" line="56"/>
        <source>Green: Up · orange: Down (reconnecting) · blue: Parked · red: Failed · ◆ reconnect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::ExportDialog</name>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="26"/>
        <source>Everything in the capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/slotscope/exportdialog.cpp" line="27"/>
        <source>Selected rows (%n)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="28"/>
        <source>Slot range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="31"/>
        <source>Spreadsheet-safe cells (prefix = + - @ with &apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="33"/>
        <location filename="../app/slotscope/exportdialog.cpp" line="53"/>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="36"/>
        <source>Transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="37"/>
        <source>Account diffs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="38"/>
        <source>Control events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="44"/>
        <source>first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="45"/>
        <source>last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="53"/>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="63"/>
        <source>&amp;File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="64"/>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="69"/>
        <source>Scope:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/exportdialog.cpp" line="72"/>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::HeadlessRunner</name>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="84"/>
        <source>demo simulator: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="87"/>
        <source>demo simulator on %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="89"/>
        <source>synthetic transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="90"/>
        <source>transactions from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="98"/>
        <source>cannot create a temporary directory for the capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="114"/>
        <source>interrupted: stopping the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="126"/>
        <source>discovered batch %1/%2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="152"/>
        <source>control</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="163"/>
        <source>data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="163"/>
        <source>data %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="184"/>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="205"/>
        <source>(creating)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="206"/>
        <source>creating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="209"/>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="231"/>
        <source>capture: %1 (%2 transactions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="244"/>
        <source>CSV export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="245"/>
        <source>csv: %1 (%2 rows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/headlessrunner.cpp" line="252"/>
        <source>slotscope: error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::MainWindow</name>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="84"/>
        <source>SlotScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/slotscope/mainwindow.cpp" line="101"/>
        <source>%n row(s) evicted from the view (still in the capture)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="137"/>
        <source>&amp;New Run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="139"/>
        <source>Start a backtest run (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="142"/>
        <source>&amp;Stop Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="144"/>
        <source>Close the session; the capture keeps everything received (Shift+F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="147"/>
        <source>&amp;Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="149"/>
        <source>Continue the advance count of slots (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="154"/>
        <source>Continue &amp;To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="156"/>
        <source>Continue to the selected discovery batch, or to the slot[/batch] typed beside (Ctrl+F10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="159"/>
        <source>Run to &amp;Next Discovery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="161"/>
        <source>Continue until just before the next discovered batch (F10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="164"/>
        <source>Run to &amp;End</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="166"/>
        <source>Keep continuing until the session completes (Ctrl+F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="169"/>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="171"/>
        <source>Export the capture to CSV (Ctrl+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="174"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="181"/>
        <source> slots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="182"/>
        <source>Slots per Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="184"/>
        <source>slot[/batch]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="186"/>
        <source>Target of Continue To when no discovery batch is selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="189"/>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="196"/>
        <source>&amp;Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="199"/>
        <source>Stepping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="205"/>
        <source> Advance </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="233"/>
        <source>Filter by signature, fee payer or program id…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="236"/>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="237"/>
        <source>Succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="238"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="239"/>
        <source>Transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="304"/>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="329"/>
        <source>Discovery Batches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="339"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="359"/>
        <source>Protocol Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="367"/>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="374"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="384"/>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="434"/>
        <source>The demo simulator did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="464"/>
        <source>Connecting to %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="465"/>
        <source>the demo simulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="484"/>
        <source>Control: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="486"/>
        <source> · Data: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/slotscope/mainwindow.cpp" line="505"/>
        <source>%n transaction(s) captured</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="506"/>
        <source>, %1 duplicates dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="517"/>
        <source>Run failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/slotscope/mainwindow.cpp" line="520"/>
        <source>Stopped · the capture keeps %n transaction(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/slotscope/mainwindow.cpp" line="523"/>
        <source>Completed · %n transaction(s) captured</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="544"/>
        <source>Select a discovery batch, or type a target as slot or slot/batch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="560"/>
        <source>This transaction is not in a capture file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="565"/>
        <source>Cannot read the transaction from the capture: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="587"/>
        <source>Exporting %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="588"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="599"/>
        <source>CSV export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/slotscope/mainwindow.cpp" line="602"/>
        <source>Exported %n row(s) to %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/slotscope/mainwindow.cpp" line="621"/>
        <source>&lt;b&gt;Error:&lt;/b&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::Options</name>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="23"/>
        <source>Run without a window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="24"/>
        <source>Use the embedded demo simulator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="25"/>
        <source>Demo: replay the transactions in DIR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="26"/>
        <source>Simulator URL or host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="27"/>
        <source>API key (default: $SIMULATOR_API_KEY).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="28"/>
        <source>First slot, inclusive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="29"/>
        <source>Last slot, inclusive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="30"/>
        <source>Run as a parallel batch of sub-sessions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="31"/>
        <source>Capture transactions of this program (repeatable; default: all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="32"/>
        <source>Also capture account diffs (accounts owned by each --subscribe-program; without any: the token and system programs).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="33"/>
        <source>Do not ask for zstd-compressed notifications.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="34"/>
        <source>Discover batches executing this program (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="35"/>
        <source>Pause before every discovered batch, then go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="36"/>
        <source>Slots per Continue (default 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="37"/>
        <source>Seconds the server keeps the session after a drop (default 900).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="38"/>
        <source>Capture file (NAME.ndjson; events go to NAME.events.ndjson).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="39"/>
        <source>Export the capture to this CSV file at the end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="40"/>
        <source>transactions (default), account-diffs or events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/commandline.cpp" line="41"/>
        <source>Also print the connection and protocol log to stderr.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::RunDialog</name>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="55"/>
        <source>Fetch ranges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="59"/>
        <source>Pause before every discovered batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="66"/>
        <source>New backtest run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="67"/>
        <source>Local simulator (demo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="68"/>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="69"/>
        <source>wss://host/backtest or a host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="71"/>
        <source>default: $SIMULATOR_API_KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="76"/>
        <source>available ranges…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="78"/>
        <source>program ids; empty = every transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="79"/>
        <source>program ids whose batches to discover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="81"/>
        <source> slots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="83"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="84"/>
        <source>How long the server keeps the session after the connection drops (≤ 900 s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="103"/>
        <source>&amp;Target:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="104"/>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="105"/>
        <source>API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="106"/>
        <source>&amp;Slots:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="109"/>
        <source>Su&amp;bscribe to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="110"/>
        <source>&amp;Discover:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="112"/>
        <source>&amp;Advance:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="113"/>
        <source>Disconnect &amp;timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="114"/>
        <source>&amp;Capture file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="117"/>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="133"/>
        <source>Capture file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="134"/>
        <source>NDJSON capture (*.ndjson)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="199"/>
        <source>No server to ask: enter a URL first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="208"/>
        <source>Asking %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="214"/>
        <source>Could not fetch ranges: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="232"/>
        <source>The server lists no ranges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/slotscope/rundialog.cpp" line="233"/>
        <source>%n range(s) available.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="243"/>
        <source>Enter the first and last slot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/rundialog.cpp" line="251"/>
        <source>Pausing at discoveries needs at least one program to discover.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotScope::TransactionDetailView</name>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="63"/>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="64"/>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="65"/>
        <source>Raw JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="71"/>
        <source>Select a transaction to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="95"/>
        <source>Cannot read this transaction: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="101"/>
        <source>Success</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="102"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="103"/>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="104"/>
        <source>Slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="106"/>
        <source>Block time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="108"/>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="109"/>
        <source>Fee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="110"/>
        <source>Compute units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="110"/>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="111"/>
        <source>not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="111"/>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="112"/>
        <source>Fee payer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="115"/>
        <source>Programs invoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="121"/>
        <source>SOL balance changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="131"/>
        <source>Token balance changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="134"/>
        <source>%1 → %2 of mint %3 (owner %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/slotscope/transactiondetailview.cpp" line="142"/>
        <source>(the transaction carries no logs)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

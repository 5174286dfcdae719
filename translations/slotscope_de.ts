<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CaptureView</name>
    <message>
        <source>line(s) %1</source>
        <translation>Zeile(n) %1</translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> und %1 weitere</translation>
    </message>
</context>
<context>
    <name>CsvExport</name>
    <message>
        <source>Exporting %1 …</source>
        <translation>Exportiere %1 …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>%1 is a capture this CSV is made from; it was not replaced. Choose another file.</source>
        <translation>%1 ist ein Mitschnitt, aus dem diese CSV erstellt wird; er wurde nicht ersetzt. Bitte eine andere Datei wählen.</translation>
    </message>
    <message>
        <source>Exported to %1: %2</source>
        <translation>Nach %1 exportiert: %2</translation>
    </message>
    <message>
        <source>CSV export incomplete: %1: %2</source>
        <translation>CSV-Export unvollständig: %1: %2</translation>
    </message>
    <message>
        <source>Export cancelled: nothing written to %1</source>
        <translation>Export abgebrochen: nichts nach %1 geschrieben</translation>
    </message>
</context>
<context>
    <name>HeadlessRunner</name>
    <message>
        <source>slotscope: error: %1</source>
        <translation>slotscope: Fehler: %1</translation>
    </message>
</context>
<context>
    <name>SlotScope::AboutDialog</name>
    <message>
        <source>About SlotScope</source>
        <translation>Über SlotScope</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Build</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation>%1 (erstellt mit %2)</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>Einstellungsdatei</translation>
    </message>
    <message>
        <source>Capture directory</source>
        <translation>Mitschnittordner</translation>
    </message>
    <message>
        <source>&lt;h2&gt;SlotScope %1&lt;/h2&gt;&lt;p&gt;Step through, watch and capture Solana backtests on the Termina (nitro-svm) simulator.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;SlotScope %1&lt;/h2&gt;&lt;p&gt;Solana-Backtests auf dem Termina-Simulator (nitro-svm) schrittweise ausführen, beobachten und mitschneiden.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>Home page:</source>
        <translation>Homepage:</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy these facts, e.g. for a bug report</source>
        <translation>Diese Angaben kopieren, z. B. für einen Fehlerbericht</translation>
    </message>
</context>
<context>
    <name>SlotScope::AccountDiffModel</name>
    <message>
        <source>(created)</source>
        <translation>(angelegt)</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(gelöscht)</translation>
    </message>
    <message>
        <source>The owner changed</source>
        <translation>Der Eigentümer hat sich geändert</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Lamports before</source>
        <translation>Lamports vorher</translation>
    </message>
    <message>
        <source>Lamports after</source>
        <translation>Lamports nachher</translation>
    </message>
    <message>
        <source>Δ lamports</source>
        <translation>Δ Lamports</translation>
    </message>
    <message>
        <source>Owner before</source>
        <translation>Eigentümer vorher</translation>
    </message>
    <message>
        <source>Owner after</source>
        <translation>Eigentümer nachher</translation>
    </message>
    <message>
        <source>Data len before</source>
        <translation>Datenlänge vorher</translation>
    </message>
    <message>
        <source>Data len after</source>
        <translation>Datenlänge nachher</translation>
    </message>
    <message>
        <source>Δ data len</source>
        <translation>Δ Datenlänge</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
</context>
<context>
    <name>SlotScope::AccountDiffsView</name>
    <message>
        <source>Filter by account…</source>
        <translation>Nach Konto filtern…</translation>
    </message>
    <message>
        <source>Show only the selected transaction&apos;s diffs</source>
        <translation>Nur die Änderungen der ausgewählten Transaktion anzeigen</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Export the account diffs of the capture to CSV</source>
        <translation>Die Kontoänderungen des Mitschnitts als CSV exportieren</translation>
    </message>
    <message>
        <source>Transaction %1… ✕</source>
        <translation>Transaktion %1… ✕</translation>
    </message>
    <message numerus="yes">
        <source>%n diff(s)</source>
        <translation>
            <numerusform>%n Änderung</numerusform>
            <numerusform>%n Änderungen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 diffs</source>
        <translation>%1 von %2 Änderungen</translation>
    </message>
    <message numerus="yes">
        <source> · %n older evicted (in the events file)</source>
        <translation>
            <numerusform> · %n ältere verdrängt (in der Ereignisdatei)</numerusform>
            <numerusform> · %n ältere verdrängt (in der Ereignisdatei)</numerusform>
        </translation>
    </message>
    <message>
        <source>Diffs of %1 · select the run for all</source>
        <translation>Kontoänderungen von %1 · den Lauf wählen für alle</translation>
    </message>
</context>
<context>
    <name>SlotScope::BatchMonitor</name>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Reconnect Coordinator</source>
        <translation>Wiederverbindungs-Koordinator</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <source>Reconnecting %1 now</source>
        <translation>%1 wird jetzt neu verbunden</translation>
    </message>
    <message>
        <source>Reconnect now (no socket of this row is known yet)</source>
        <translation>Jetzt neu verbinden (von dieser Zeile ist noch kein Socket bekannt)</translation>
    </message>
    <message>
        <source>Show in Connections</source>
        <translation>In „Verbindungen“ zeigen</translation>
    </message>
    <message>
        <source>%1 has nothing to skip: its next attempt is already under way, or it is up again (only a socket waiting out its backoff or parked can be hurried)</source>
        <translation>%1 hat nichts zu überspringen: sein nächster Versuch läuft schon, oder es ist wieder verbunden (nur ein Socket, der seine Wartezeit abwartet oder geparkt ist, lässt sich beschleunigen)</translation>
    </message>
</context>
<context>
    <name>SlotScope::BreakpointModel</name>
    <message>
        <source>%1/%2 %3</source>
        <translation>%1/%2 %3</translation>
    </message>
    <message>
        <source>programExecuted %1 — unchecked: disabled, counts no hits</source>
        <translation>programExecuted %1 — nicht angehakt: deaktiviert, zählt keine Treffer</translation>
    </message>
    <message>
        <source>Discovery filter</source>
        <translation>Fund-Filter</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <source>Log only</source>
        <translation>Nur protokollieren</translation>
    </message>
    <message>
        <source>From slot</source>
        <translation>Ab Slot</translation>
    </message>
    <message>
        <source>To slot</source>
        <translation>Bis Slot</translation>
    </message>
    <message>
        <source>Hits</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <source>Last hit</source>
        <translation>Letzter Treffer</translation>
    </message>
    <message>
        <source>Hits: of every session of the run together. Skip: the first hits each session passes on its own</source>
        <translation>Treffer: aller Sitzungen des Laufs zusammen. Überspringen: die ersten Treffer, die jede Sitzung für sich übergeht</translation>
    </message>
</context>
<context>
    <name>SlotScope::CaptureDocument</name>
    <message>
        <source>Events file: %1</source>
        <translation>Ereignisdatei: %1</translation>
    </message>
    <message>
        <source>%1 is not a regular file (a named pipe or a device): a capture is opened from a file, which is read again for each transaction&apos;s details</source>
        <translation>%1 ist keine reguläre Datei (eine benannte Pipe oder ein Gerät): ein Mitschnitt wird aus einer Datei geöffnet, die für die Details jeder Transaktion erneut gelesen wird</translation>
    </message>
    <message>
        <source>%1 is the events file of a capture, which is not there (%2): an events file is opened with its capture</source>
        <translation>%1 ist die Ereignisdatei eines Mitschnitts, der nicht vorhanden ist (%2): eine Ereignisdatei wird mit ihrem Mitschnitt geöffnet</translation>
    </message>
    <message numerus="yes">
        <source>%n account diff(s) in the capture unreadable (no JSON object)</source>
        <translation>
            <numerusform>%n Kontoänderung im Mitschnitt unlesbar (kein JSON-Objekt)</numerusform>
            <numerusform>%n Kontoänderungen im Mitschnitt unlesbar (kein JSON-Objekt)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) with account diffs damaged: their diffs are not shown</source>
        <translation>
            <numerusform>%n Zeile mit Kontoänderungen beschädigt: ihre Änderungen werden nicht gezeigt</numerusform>
            <numerusform>%n Zeilen mit Kontoänderungen beschädigt: ihre Änderungen werden nicht gezeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transaction(s) name no session: the capture has %1 sessions and does not say whose they are</source>
        <translation>
            <numerusform>%n Transaktion nennt keine Sitzung: der Mitschnitt hat %1 Sitzungen und sagt nicht, wessen sie ist</numerusform>
            <numerusform>%n Transaktionen nennen keine Sitzung: der Mitschnitt hat %1 Sitzungen und sagt nicht, wessen sie sind</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::CaptureView</name>
    <message>
        <source>Reconnect Coordinator</source>
        <translation>Wiederverbindungs-Koordinator</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Filter by signature, fee payer or program id…</source>
        <translation>Nach Signatur, Gebührenzahler oder Programm-ID filtern…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>Transaktionen</translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation>Transaktion</translation>
    </message>
    <message>
        <source>Account diffs</source>
        <translation>Kontoänderungen</translation>
    </message>
    <message>
        <source>Transaction %1 is not in this capture.</source>
        <translation>Transaktion %1 ist nicht in diesem Mitschnitt.</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Discovery batches</source>
        <translation>Fund-Batches</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>%1 kopiert</translation>
    </message>
    <message>
        <source>&lt;b&gt;Offline capture&lt;/b&gt; (read-only) · &lt;code&gt;%1&lt;/code&gt;</source>
        <translation>&lt;b&gt;Offline-Mitschnitt&lt;/b&gt; (schreibgeschützt) · &lt;code&gt;%1&lt;/code&gt;</translation>
    </message>
    <message>
        <source>sim run single document</source>
        <translation>Einzeldokument von sim run</translation>
    </message>
    <message>
        <source>NDJSON</source>
        <translation>NDJSON</translation>
    </message>
    <message>
        <source>slots %1..%2</source>
        <translation>Slots %1..%2</translation>
    </message>
    <message>
        <source>ran %1</source>
        <translation>gelaufen %1</translation>
    </message>
    <message>
        <source>programs %1</source>
        <translation>Programme %1</translation>
    </message>
    <message>
        <source>no events file</source>
        <translation>keine Ereignisdatei</translation>
    </message>
    <message>
        <source>with events file</source>
        <translation>mit Ereignisdatei</translation>
    </message>
    <message>
        <source>%1 transactions (%2 succeeded, %3 failed)</source>
        <translation>%1 Transaktionen (%2 erfolgreich, %3 fehlgeschlagen)</translation>
    </message>
    <message>
        <source> · summary line present</source>
        <translation> · Zusammenfassungszeile vorhanden</translation>
    </message>
    <message>
        <source> · &lt;b&gt;no summary line: the run was cut short&lt;/b&gt;</source>
        <translation> · &lt;b&gt;keine Zusammenfassungszeile: der Lauf wurde vorzeitig beendet&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <source> · %n session(s)</source>
        <translation>
            <numerusform> · %n Sitzung</numerusform>
            <numerusform> · %n Sitzungen</numerusform>
        </translation>
    </message>
    <message>
        <source> · &lt;b&gt;indexing cancelled&lt;/b&gt;: the table holds the rows read so far</source>
        <translation> · &lt;b&gt;Indizierung abgebrochen&lt;/b&gt;: die Tabelle enthält die bisher gelesenen Zeilen</translation>
    </message>
    <message>
        <source>Indexing… %1 transactions</source>
        <translation>Indiziere… %1 Transaktionen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cannot open this capture:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Dieser Mitschnitt kann nicht geöffnet werden:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Reading stopped early:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Lesen vorzeitig beendet:&lt;/b&gt; %1</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n damaged line(s) skipped&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;%n beschädigte Zeile übersprungen&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;%n beschädigte Zeilen übersprungen&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) of an unknown type skipped</source>
        <translation>
            <numerusform>%n Zeile unbekannten Typs übersprungen</numerusform>
            <numerusform>%n Zeilen unbekannten Typs übersprungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate transaction(s) dropped</source>
        <translation>
            <numerusform>%n doppelte Transaktion verworfen</numerusform>
            <numerusform>%n doppelte Transaktionen verworfen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of the events file could not be read</source>
        <translation>
            <numerusform>%n Ereignis der Ereignisdatei konnte nicht gelesen werden</numerusform>
            <numerusform>%n Ereignisse der Ereignisdatei konnten nicht gelesen werden</numerusform>
        </translation>
    </message>
    <message>
        <source>No warnings: every line was read.</source>
        <translation>Keine Warnungen: jede Zeile wurde gelesen.</translation>
    </message>
    <message>
        <source>Warnings (%1)</source>
        <translation>Warnungen (%1)</translation>
    </message>
    <message>
        <source>%1: %2 transactions indexed in %3 s</source>
        <translation>%1: %2 Transaktionen in %3 s indiziert</translation>
    </message>
    <message>
        <source>This transaction&apos;s position in the file is not known.</source>
        <translation>Die Position dieser Transaktion in der Datei ist nicht bekannt.</translation>
    </message>
    <message>
        <source>Cannot read the transaction from the capture: %1</source>
        <translation>Die Transaktion kann nicht aus dem Mitschnitt gelesen werden: %1</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV export failed: %1</source>
        <translation>CSV-Export fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Incomplete recording:&lt;/b&gt; %n replay gap(s), notifications missing (see Warnings)</source>
        <translation>
            <numerusform>&lt;b&gt;Unvollständige Aufzeichnung:&lt;/b&gt; %n Wiederholungslücke, Benachrichtigungen fehlen (siehe Warnungen)</numerusform>
            <numerusform>&lt;b&gt;Unvollständige Aufzeichnung:&lt;/b&gt; %n Wiederholungslücken, Benachrichtigungen fehlen (siehe Warnungen)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Incomplete recording:&lt;/b&gt; %n unreadable frame(s) dropped while recording</source>
        <translation>
            <numerusform>&lt;b&gt;Unvollständige Aufzeichnung:&lt;/b&gt; %n unlesbarer Frame bei der Aufzeichnung verworfen</numerusform>
            <numerusform>&lt;b&gt;Unvollständige Aufzeichnung:&lt;/b&gt; %n unlesbare Frames bei der Aufzeichnung verworfen</numerusform>
        </translation>
    </message>
    <message>
        <source> · stopped by the user (so no summary line)</source>
        <translation> · vom Benutzer angehalten (daher keine Zusammenfassungszeile)</translation>
    </message>
    <message>
        <source> · &lt;b&gt;summary line present, but %1&lt;/b&gt;</source>
        <translation> · &lt;b&gt;Summary-Zeile vorhanden, aber %1&lt;/b&gt;</translation>
    </message>
    <message>
        <source> · &lt;b&gt;empty file: the run wrote nothing&lt;/b&gt;</source>
        <translation> · &lt;b&gt;leere Datei: der Lauf hat nichts geschrieben&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>Read the capture again (Ctrl+R)</source>
        <translation>Den Mitschnitt erneut lesen (Strg+R)</translation>
    </message>
    <message>
        <source> · no summary line yet: the file grew since (a run still writing it?)</source>
        <translation> · noch keine Summenzeile: die Datei ist seither gewachsen (schreibt ein Lauf noch daran?)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 is gone&lt;/b&gt; since it was read; this tab shows what it held then.</source>
        <translation>&lt;b&gt;%1 ist nicht mehr da&lt;/b&gt;, seit er gelesen wurde; dieser Tab zeigt, was er damals enthielt.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 was replaced&lt;/b&gt; since it was read (now %2); this tab shows the old one.</source>
        <translation>&lt;b&gt;%1 wurde ersetzt&lt;/b&gt;, seit er gelesen wurde (jetzt %2); dieser Tab zeigt den alten.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 has grown by %2&lt;/b&gt; since it was read (a run still writing it?); this tab shows what it held then.</source>
        <translation>&lt;b&gt;%1 ist um %2 gewachsen&lt;/b&gt;, seit er gelesen wurde (schreibt ein Lauf noch daran?); dieser Tab zeigt, was er damals enthielt.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Its events file changed&lt;/b&gt; since it was read; the Sessions, Connections and Protocol tabs show what it held then.</source>
        <translation>&lt;b&gt;Seine Ereignisdatei hat sich geändert&lt;/b&gt;, seit sie gelesen wurde; die Tabs Sitzungen, Verbindungen und Protokoll zeigen, was sie damals enthielt.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 was rewritten&lt;/b&gt; since it was read; this tab shows what it held then.</source>
        <translation>&lt;b&gt;%1 wurde neu geschrieben&lt;/b&gt;, seit er gelesen wurde; dieser Tab zeigt, was er damals enthielt.</translation>
    </message>
    <message>
        <source>Sub-session %1 · select the run for all</source>
        <translation>Untersitzung %1 · für alle den Lauf auswählen</translation>
    </message>
</context>
<context>
    <name>SlotScope::CommandLine</name>
    <message>
        <source>Run without a window.</source>
        <translation>Ohne Fenster ausführen.</translation>
    </message>
    <message>
        <source>Use the embedded demo simulator.</source>
        <translation>Den eingebauten Demo-Simulator verwenden.</translation>
    </message>
    <message>
        <source>Demo: replay the transactions in DIR.</source>
        <translation>Demo: die Transaktionen in DIR wiedergeben.</translation>
    </message>
    <message>
        <source>Simulator URL or host.</source>
        <translation>Simulator-URL oder Hostname.</translation>
    </message>
    <message>
        <source>First slot, inclusive.</source>
        <translation>Erster Slot, einschließlich.</translation>
    </message>
    <message>
        <source>Last slot, inclusive.</source>
        <translation>Letzter Slot, einschließlich.</translation>
    </message>
    <message>
        <source>Name the session (a parallel batch: the whole batch); a-z, 0-9, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;.</source>
        <translation>Name der Sitzung (bei einem parallelen Batch: des ganzen Batches); a-z, 0-9, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;.</translation>
    </message>
    <message>
        <source>Run as a parallel batch of sub-sessions.</source>
        <translation>Als parallelen Batch von Untersitzungen ausführen.</translation>
    </message>
    <message>
        <source>Capture transactions of this program (repeatable; default: all).</source>
        <translation>Transaktionen dieses Programms mitschneiden (wiederholbar; Standard: alle).</translation>
    </message>
    <message>
        <source>Also capture account diffs (accounts owned by each --subscribe-program; without any: the token and system programs).</source>
        <translation>Auch Kontoänderungen mitschneiden (Konten, die einem --subscribe-program gehören; ohne dieses: dem Token- und dem System-Programm).</translation>
    </message>
    <message>
        <source>Do not ask for zstd-compressed notifications.</source>
        <translation>Keine zstd-komprimierten Benachrichtigungen anfordern.</translation>
    </message>
    <message>
        <source>Discover batches executing this program (repeatable).</source>
        <translation>Batches finden, die dieses Programm ausführen (wiederholbar).</translation>
    </message>
    <message>
        <source>Pause before every discovered batch, then go on.</source>
        <translation>Vor jedem gefundenen Batch anhalten, dann weitermachen.</translation>
    </message>
    <message>
        <source>Slots per Continue (default 1).</source>
        <translation>Slots pro Continue (Standard 1).</translation>
    </message>
    <message>
        <source>Replace an existing --capture file once the new run has data, and an existing --csv file (without it, either is an error).</source>
        <translation>Eine vorhandene --capture-Datei ersetzen, sobald der neue Lauf Daten hat, und eine vorhandene --csv-Datei (ohne diese Option ist beides ein Fehler).</translation>
    </message>
    <message>
        <source>Start a range larger than --range-limit slots without asking.</source>
        <translation>Einen Bereich über --range-limit Slots ohne Rückfrage starten.</translation>
    </message>
    <message>
        <source>Slots a run may span without --yes (default %1).</source>
        <translation>Slots, die ein Lauf ohne --yes umfassen darf (Standard %1).</translation>
    </message>
    <message>
        <source>transactions (default), account-diffs or events.</source>
        <translation>transactions (Standard), account-diffs oder events.</translation>
    </message>
    <message>
        <source>Also print the connection and protocol log to stderr.</source>
        <translation>Auch das Verbindungs- und Protokoll-Log auf stderr ausgeben.</translation>
    </message>
    <message>
        <source>SlotScope: step, watch and capture Solana backtests.</source>
        <translation>SlotScope: Solana-Backtests schrittweise ausführen, beobachten und mitschneiden.</translation>
    </message>
    <message>
        <source>unexpected argument: %1</source>
        <translation>unerwartetes Argument: %1</translation>
    </message>
    <message>
        <source>give exactly one of --demo and --url</source>
        <translation>genau eines von --demo und --url angeben</translation>
    </message>
    <message>
        <source>--tx-dir: no such directory: %1</source>
        <translation>--tx-dir: Ordner existiert nicht: %1</translation>
    </message>
    <message>
        <source>--tx-dir only applies to --demo</source>
        <translation>--tx-dir gilt nur mit --demo</translation>
    </message>
    <message>
        <source>no API key: pass --api-key or set SIMULATOR_API_KEY</source>
        <translation>kein API-Schlüssel: --api-key angeben oder SIMULATOR_API_KEY setzen</translation>
    </message>
    <message>
        <source>--start-slot and --end-slot are required</source>
        <translation>--start-slot und --end-slot sind erforderlich</translation>
    </message>
    <message>
        <source>--start-slot: not a slot number: %1</source>
        <translation>--start-slot: keine Slot-Nummer: %1</translation>
    </message>
    <message>
        <source>--end-slot: not a slot number: %1</source>
        <translation>--end-slot: keine Slot-Nummer: %1</translation>
    </message>
    <message>
        <source>--name: the name is empty</source>
        <translation>--name: der Name ist leer</translation>
    </message>
    <message>
        <source>--pause-at-discoveries needs at least one --discover-program</source>
        <translation>--pause-at-discoveries braucht mindestens ein --discover-program</translation>
    </message>
    <message>
        <source>--advance-count: expected a positive number, got %1</source>
        <translation>--advance-count: positive Zahl erwartet, erhalten: %1</translation>
    </message>
    <message>
        <source>--range-limit: not a number of slots: %1</source>
        <translation>--range-limit: keine Anzahl von Slots: %1</translation>
    </message>
    <message>
        <source>the range %1..%2 spans %3 slots, more than %4: pass --yes to run it anyway</source>
        <translation>der Bereich %1..%2 umfasst %3 Slots, mehr als %4: mit --yes trotzdem ausführen</translation>
    </message>
    <message>
        <source>--overwrite needs --capture or --csv</source>
        <translation>--overwrite braucht --capture oder --csv</translation>
    </message>
    <message>
        <source>--capture: %1 already exists; pass --overwrite to replace it (the old capture is kept until the new run has data)</source>
        <translation>--capture: %1 existiert bereits; mit --overwrite ersetzen (der alte Mitschnitt bleibt erhalten, bis der neue Lauf Daten hat)</translation>
    </message>
    <message>
        <source>--csv-kind: expected transactions, account-diffs or events, got %1</source>
        <translation>--csv-kind: transactions, account-diffs oder events erwartet, erhalten: %1</translation>
    </message>
    <message>
        <source>--csv-kind needs --csv</source>
        <translation>--csv-kind braucht --csv</translation>
    </message>
    <message>
        <source>Breakpoint options of a discovery program: ID[,skip=N][,log][,slots=A-B][,off] (repeatable; also discovers ID).</source>
        <translation>Haltepunkt-Optionen eines Fund-Programms: ID[,skip=N][,log][,slots=A-B][,off] (wiederholbar; sucht ID auch als Fund).</translation>
    </message>
    <message>
        <source>--breakpoint: %1 has two breakpoints</source>
        <translation>--breakpoint: %1 hat zwei Haltepunkte</translation>
    </message>
    <message>
        <source>Seconds the server keeps the session after a drop (default %1).</source>
        <translation>Sekunden, die der Server die Sitzung nach einem Verbindungsabbruch hält (Standard %1).</translation>
    </message>
    <message>
        <source>--disconnect-timeout: expected 0 to %1 seconds, got %2</source>
        <translation>--disconnect-timeout: 0 bis %1 Sekunden erwartet, erhalten: %2</translation>
    </message>
    <message>
        <source>--tx-dir: %1 is a file, not a directory</source>
        <translation>--tx-dir: %1 ist eine Datei, kein Ordner</translation>
    </message>
    <message>
        <source>--csv-kind account-diffs needs --account-diffs</source>
        <translation>--csv-kind account-diffs braucht --account-diffs</translation>
    </message>
    <message>
        <source>--csv is made from the capture, which %1 (a device or named pipe) cannot give back: capture into a file, or leave out --capture</source>
        <translation>--csv wird aus dem Mitschnitt erstellt, den %1 (ein Gerät oder eine benannte Pipe) nicht zurückgeben kann: in eine Datei mitschneiden oder --capture weglassen</translation>
    </message>
    <message>
        <source>--csv: %1 is the capture the CSV is made from; name the CSV differently</source>
        <translation>--csv: %1 ist der Mitschnitt, aus dem die CSV erstellt wird; bitte die CSV anders benennen</translation>
    </message>
    <message>
        <source>--csv: %1 is the events file of the capture the CSV is made from; name the CSV differently</source>
        <translation>--csv: %1 ist die Ereignisdatei des Mitschnitts, aus dem die CSV erstellt wird; bitte die CSV anders benennen</translation>
    </message>
    <message>
        <source>Seconds a busy server may keep the create waiting for capacity (default %1; 0: fail at once).</source>
        <translation>Sekunden, die ein ausgelasteter Server das Anlegen auf freie Kapazität warten lassen darf (Standard %1; 0: sofort scheitern).</translation>
    </message>
    <message>
        <source>--capacity-wait: expected 0 to %1 seconds, got %2</source>
        <translation>--capacity-wait: 0 bis %1 Sekunden erwartet, erhalten: %2</translation>
    </message>
    <message>
        <source>Capture file (NAME.ndjson; events go to NAME.events.ndjson; - for standard output).</source>
        <translation>Mitschnittdatei (NAME.ndjson; Ereignisse gehen nach NAME.events.ndjson; - für die Standardausgabe).</translation>
    </message>
    <message>
        <source>Export the capture to this CSV file at the end (- for standard output).</source>
        <translation>Den Mitschnitt am Ende in diese CSV-Datei exportieren (- für die Standardausgabe).</translation>
    </message>
    <message>
        <source>--%1: the name is empty (an unset variable?)</source>
        <translation>--%1: der Name ist leer (eine nicht gesetzte Variable?)</translation>
    </message>
    <message>
        <source>--account-diffs: the diffs go to the events file beside the capture, which a capture to %1 does not have: capture into a file</source>
        <translation>--account-diffs: die Änderungen kommen in die Ereignisdatei neben dem Mitschnitt, die ein Mitschnitt nach %1 nicht hat: in eine Datei mitschneiden</translation>
    </message>
    <message>
        <source>--%1: given more than once (%2); which one?</source>
        <translation>--%1: mehrfach angegeben (%2); welcher Wert gilt?</translation>
    </message>
    <message>
        <source>API key (default: $SIMULATOR_API_KEY, which other users cannot read in the process list as they can this option).</source>
        <translation>API-Schlüssel (Standard: $SIMULATOR_API_KEY, den andere Benutzer nicht in der Prozessliste lesen können wie diese Option).</translation>
    </message>
    <message>
        <source>--%1: missing value (the next argument, %2, is an option; an unset variable?)</source>
        <translation>--%1: Wert fehlt (das nächste Argument, %2, ist eine Option; eine nicht gesetzte Variable?)</translation>
    </message>
    <message>
        <source>--api-key only applies to --url (the demo simulator makes its own)</source>
        <translation>--api-key gilt nur mit --url (der Demo-Simulator erzeugt seinen eigenen)</translation>
    </message>
</context>
<context>
    <name>SlotScope::CompareCommand</name>
    <message>
        <source>Report only this section (repeatable): summary, regressions, improvements, error_changes, fees, compute_units, sol_balances, token_balances, fee_payers, only_baseline, only_experiment.</source>
        <translation>Nur diesen Abschnitt berichten (wiederholbar): summary, regressions, improvements, error_changes, fees, compute_units, sol_balances, token_balances, fee_payers, only_baseline, only_experiment.</translation>
    </message>
    <message>
        <source>Rows per section printed (default 20; the CSV has all).</source>
        <translation>Ausgegebene Zeilen pro Abschnitt (Standard 20; die CSV enthält alle).</translation>
    </message>
    <message>
        <source>The baseline capture.</source>
        <translation>Der Basis-Mitschnitt.</translation>
    </message>
    <message>
        <source>The experiment capture.</source>
        <translation>Der Experiment-Mitschnitt.</translation>
    </message>
    <message>
        <source>slotscope compare: join a baseline and an experiment capture by signature and report regressions, improvements, fee / compute-unit / balance differences and transactions on one side only.</source>
        <translation>slotscope compare: einen Basis- und einen Experiment-Mitschnitt über die Signatur verknüpfen und Verschlechterungen, Verbesserungen, Unterschiede bei Gebühren / Compute Units / Salden sowie nur auf einer Seite vorhandene Transaktionen berichten.</translation>
    </message>
    <message numerus="yes">
        <source>expected two captures, BASELINE and EXPERIMENT; got %n</source>
        <translation>
            <numerusform>zwei Mitschnitte erwartet, BASELINE und EXPERIMENT; erhalten: %n</numerusform>
            <numerusform>zwei Mitschnitte erwartet, BASELINE und EXPERIMENT; erhalten: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>--rows: expected a number, got %1</source>
        <translation>--rows: Zahl erwartet, erhalten: %1</translation>
    </message>
    <message>
        <source>Replace an existing --csv file (without it, that is an error).</source>
        <translation>Eine vorhandene --csv-Datei ersetzen (ohne diese Option ist das ein Fehler).</translation>
    </message>
    <message>
        <source>--overwrite needs --csv</source>
        <translation>--overwrite braucht --csv</translation>
    </message>
    <message>
        <source>--section: unknown section %1 (one of %2)</source>
        <translation>--section: unbekannter Abschnitt %1 (einer von %2)</translation>
    </message>
    <message>
        <source>--csv: %1 is a capture being compared; name the CSV differently</source>
        <translation>--csv: %1 ist ein verglichener Mitschnitt; bitte die CSV anders benennen</translation>
    </message>
    <message>
        <source>Exit with 3 when any transaction regressed, with 4 when a capture may lack transactions (no summary line, damaged lines, a summary that counts others).</source>
        <translation>Mit 3 beenden, wenn eine Transaktion zurückgefallen ist, mit 4, wenn einem Mitschnitt Transaktionen fehlen können (keine Zusammenfassungszeile, beschädigte Zeilen, eine Zusammenfassung, die andere zählt).</translation>
    </message>
    <message>
        <source>Write the differences to FILE (CSV; - for standard output, the report then goes to stderr).</source>
        <translation>Die Unterschiede in DATEI schreiben (CSV; - für die Standardausgabe, der Bericht geht dann nach stderr).</translation>
    </message>
</context>
<context>
    <name>SlotScope::CompareRunsDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>Mitschnitt</translation>
    </message>
    <message>
        <source>Choose the baseline&apos;s capture.</source>
        <translation>Wählen Sie den Mitschnitt der Basis.</translation>
    </message>
    <message>
        <source>Choose the experiment&apos;s capture.</source>
        <translation>Wählen Sie den Mitschnitt des Experiments.</translation>
    </message>
    <message>
        <source>No baseline capture at %1.</source>
        <translation>Kein Basis-Mitschnitt unter %1.</translation>
    </message>
    <message>
        <source>No experiment capture at %1.</source>
        <translation>Kein Experiment-Mitschnitt unter %1.</translation>
    </message>
    <message>
        <source>The baseline %1 is not a file.</source>
        <translation>Die Basis %1 ist keine Datei.</translation>
    </message>
    <message>
        <source>The experiment %1 is not a file.</source>
        <translation>Das Experiment %1 ist keine Datei.</translation>
    </message>
    <message>
        <source>Compare Runs</source>
        <translation>Läufe vergleichen</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>&amp;Baseline:</source>
        <translation>&amp;Basis:</translation>
    </message>
    <message>
        <source>&amp;Experiment:</source>
        <translation>&amp;Experiment:</translation>
    </message>
    <message>
        <source>Baseline and experiment are the same file: the comparison will find no differences.</source>
        <translation>Basis und Experiment sind dieselbe Datei: Der Vergleich wird keine Unterschiede finden.</translation>
    </message>
    <message>
        <source>S&amp;wap</source>
        <translation>&amp;Tauschen</translation>
    </message>
    <message>
        <source>Exchange the baseline and the experiment</source>
        <translation>Basis und Experiment vertauschen</translation>
    </message>
    <message>
        <source>The live run is still writing %1: the comparison sees what it holds now; compare again once the run has ended for the whole run.</source>
        <translation>Der laufende Lauf schreibt %1 noch: der Vergleich sieht, was darin jetzt steht; nach dem Ende des Laufs erneut vergleichen für den ganzen Lauf.</translation>
    </message>
</context>
<context>
    <name>SlotScope::CompareView</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Comparison&lt;/b&gt; · baseline &lt;code&gt;%1&lt;/code&gt; · experiment &lt;code&gt;%2&lt;/code&gt;</source>
        <translation>&lt;b&gt;Vergleich&lt;/b&gt; · Basis &lt;code&gt;%1&lt;/code&gt; · Experiment &lt;code&gt;%2&lt;/code&gt;</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Vergleiche…</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>Experiment</translation>
    </message>
    <message>
        <source>Select a transaction to see it in both runs.</source>
        <translation>Eine Transaktion auswählen, um sie in beiden Läufen zu sehen.</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>%1 kopiert</translation>
    </message>
    <message>
        <source>%1 ⇄ %2</source>
        <translation>%1 ⇄ %2</translation>
    </message>
    <message>
        <source>The comparison failed:</source>
        <translation>Der Vergleich ist fehlgeschlagen:</translation>
    </message>
    <message>
        <source>%1 baseline and %2 experiment transactions, %3 joined by signature · &lt;b&gt;%4 regressions&lt;/b&gt;, %5 improvements, %6 only in the baseline, %7 only in the experiment</source>
        <translation>%1 Basis- und %2 Experiment-Transaktionen, %3 über die Signatur verknüpft · &lt;b&gt;%4 Verschlechterungen&lt;/b&gt;, %5 Verbesserungen, %6 nur in der Basis, %7 nur im Experiment</translation>
    </message>
    <message>
        <source>Export all sections (one CSV)…</source>
        <translation>Alle Abschnitte exportieren (eine CSV)…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message numerus="yes">
        <source>Compared: %n regression(s)</source>
        <translation>
            <numerusform>Verglichen: %n Verschlechterung</numerusform>
            <numerusform>Verglichen: %n Verschlechterungen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is not in the %2.</source>
        <translation>%1 fehlt im Lauf „%2“.</translation>
    </message>
    <message>
        <source>Cannot read the transaction: %1</source>
        <translation>Die Transaktion kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>experiment</source>
        <translation>Experiment</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>Regressions</source>
        <translation>Verschlechterungen</translation>
    </message>
    <message>
        <source>Improvements</source>
        <translation>Verbesserungen</translation>
    </message>
    <message>
        <source>Error changes</source>
        <translation>Geänderte Fehler</translation>
    </message>
    <message>
        <source>Fees</source>
        <translation>Gebühren</translation>
    </message>
    <message>
        <source>Compute units</source>
        <translation>Compute Units</translation>
    </message>
    <message>
        <source>SOL balances</source>
        <translation>SOL-Salden</translation>
    </message>
    <message>
        <source>Token balances</source>
        <translation>Token-Salden</translation>
    </message>
    <message>
        <source>Fee payers</source>
        <translation>Gebührenzahler</translation>
    </message>
    <message>
        <source>Only in baseline</source>
        <translation>Nur in der Basis</translation>
    </message>
    <message>
        <source>Only in experiment</source>
        <translation>Nur im Experiment</translation>
    </message>
    <message>
        <source>Not compared: see the warnings above (a side records none of these values)</source>
        <translation>Nicht verglichen: siehe die Warnungen oben (eine Seite zeichnet keinen dieser Werte auf)</translation>
    </message>
</context>
<context>
    <name>SlotScope::ComparisonSectionModel</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>Experiment</translation>
    </message>
    <message>
        <source>Delta</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Baseline fee</source>
        <translation>Basis-Gebühr</translation>
    </message>
    <message>
        <source>Experiment fee</source>
        <translation>Experiment-Gebühr</translation>
    </message>
    <message>
        <source>Baseline CU</source>
        <translation>Basis-CU</translation>
    </message>
    <message>
        <source>Experiment CU</source>
        <translation>Experiment-CU</translation>
    </message>
    <message>
        <source>Δ fee (lamports)</source>
        <translation>Δ Gebühr (Lamports)</translation>
    </message>
    <message>
        <source>Δ CU</source>
        <translation>Δ CU</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Baseline tx</source>
        <translation>Basis-Tx</translation>
    </message>
    <message>
        <source>Experiment tx</source>
        <translation>Experiment-Tx</translation>
    </message>
    <message>
        <source>Baseline Δ (SOL)</source>
        <translation>Basis-Δ (SOL)</translation>
    </message>
    <message>
        <source>Experiment Δ (SOL)</source>
        <translation>Experiment-Δ (SOL)</translation>
    </message>
    <message>
        <source>Difference (SOL)</source>
        <translation>Unterschied (SOL)</translation>
    </message>
    <message>
        <source>Token account</source>
        <translation>Token-Konto</translation>
    </message>
    <message>
        <source>Mint</source>
        <translation>Mint</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>Baseline Δ</source>
        <translation>Basis-Δ</translation>
    </message>
    <message>
        <source>Experiment Δ</source>
        <translation>Experiment-Δ</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Unterschied</translation>
    </message>
    <message>
        <source>Fee payer</source>
        <translation>Gebührenzahler</translation>
    </message>
    <message>
        <source>Baseline failures</source>
        <translation>Basis-Fehlschläge</translation>
    </message>
    <message>
        <source>Experiment failures</source>
        <translation>Experiment-Fehlschläge</translation>
    </message>
    <message>
        <source>Baseline fees</source>
        <translation>Basis-Gebühren</translation>
    </message>
    <message>
        <source>Experiment fees</source>
        <translation>Experiment-Gebühren</translation>
    </message>
    <message>
        <source>Baseline SOL Δ</source>
        <translation>Basis-SOL-Δ</translation>
    </message>
    <message>
        <source>Experiment SOL Δ</source>
        <translation>Experiment-SOL-Δ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>Gebühr</translation>
    </message>
    <message>
        <source>CU</source>
        <translation>CU</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>SlotScope::ConnectionTimelineModel</name>
    <message>
        <source>%1: %2%3%4</source>
        <translation>%1: %2%3%4</translation>
    </message>
    <message>
        <source> (attempt %1)</source>
        <translation> (Versuch %1)</translation>
    </message>
    <message>
        <source>Socket</source>
        <translation>Socket</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>From (UTC)</source>
        <translation>Von (UTC)</translation>
    </message>
    <message>
        <source>To (UTC)</source>
        <translation>Bis (UTC)</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>SlotScope::ConnectionTimelineView</name>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Zoom in around the centre</source>
        <translation>Um die Mitte vergrößern</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Zoom out around the centre</source>
        <translation>Um die Mitte verkleinern</translation>
    </message>
    <message>
        <source>Fit all</source>
        <translation>Alles einpassen</translation>
    </message>
    <message>
        <source>Show the whole run</source>
        <translation>Den ganzen Lauf zeigen</translation>
    </message>
    <message>
        <source>Follow live</source>
        <translation>Live folgen</translation>
    </message>
    <message>
        <source>Keep the latest moment at the right edge</source>
        <translation>Den neuesten Zeitpunkt am rechten Rand halten</translation>
    </message>
    <message>
        <source>Expand all</source>
        <translation>Alle aufklappen</translation>
    </message>
    <message>
        <source>One row per socket for every sub-session</source>
        <translation>Eine Zeile pro Socket für jede Untersitzung</translation>
    </message>
    <message>
        <source>Collapse all</source>
        <translation>Alle zuklappen</translation>
    </message>
    <message>
        <source>One row per sub-session</source>
        <translation>Eine Zeile pro Untersitzung</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>Geparkt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>reconnect</source>
        <translation>Wiederverbindung</translation>
    </message>
    <message>
        <source>Wheel: scroll · Ctrl+wheel: zoom · Shift+wheel or drag: pan · right-click a Down or Parked socket: Reconnect now</source>
        <translation>Mausrad: blättern · Strg+Mausrad: zoomen · Umschalt+Mausrad oder Ziehen: verschieben · Rechtsklick auf einen getrennten oder geparkten Socket: Jetzt neu verbinden</translation>
    </message>
    <message>
        <source>No connections yet: start a run (Ctrl+N)</source>
        <translation>Noch keine Verbindungen: einen Lauf starten (Strg+N)</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>ab %1</translation>
    </message>
    <message>
        <source>Sockets: %1 now, %2 at most</source>
        <translation>Sockets: jetzt %1, höchstens %2</translation>
    </message>
    <message>
        <source>Up %1 · Down %2 · Parked %3 · Failed %4</source>
        <translation>Verbunden %1 · Getrennt %2 · Geparkt %3 · Fehlgeschlagen %4</translation>
    </message>
    <message>
        <source>The batch summary: how many sockets were Up, Down, Parked or Failed over time</source>
        <translation>Die Batch-Übersicht: wie viele Sockets im Zeitverlauf verbunden, getrennt, geparkt oder fehlgeschlagen waren</translation>
    </message>
    <message>
        <source>At %1: %2 sockets — Up %3, Down %4, Parked %5, Failed %6</source>
        <translation>Um %1: %2 Sockets — verbunden %3, getrennt %4, geparkt %5, fehlgeschlagen %6</translation>
    </message>
    <message>
        <source> (attempt %1)</source>
        <translation> (Versuch %1)</translation>
    </message>
    <message>
        <source>, %1 → %2%3</source>
        <translation>, %1 → %2%3</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <source>, a reconnect</source>
        <translation>, eine Wiederverbindung</translation>
    </message>
    <message>
        <source>Reconnect %1 now</source>
        <translation>%1 jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Skip the backoff wait; a parked socket still waits for the handshake slot</source>
        <translation>Die Backoff-Wartezeit überspringen; ein geparkter Socket wartet weiter auf den Handshake-Platz</translation>
    </message>
    <message>
        <source>Only a Down or Parked socket can reconnect now</source>
        <translation>Nur ein getrennter oder geparkter Socket kann jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Closed for good: its session ended or was stopped</source>
        <translation>Endgültig geschlossen: seine Sitzung ist beendet oder wurde gestoppt</translation>
    </message>
    <message>
        <source>Select %1</source>
        <translation>%1 auswählen</translation>
    </message>
    <message>
        <source>Collapse</source>
        <translation>Zuklappen</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>Aufklappen</translation>
    </message>
</context>
<context>
    <name>SlotScope::ControlConnection</name>
    <message>
        <source>%1 contended: %2</source>
        <translation>%1 – Konflikt: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>unknown method, ignored: %1</source>
        <translation>unbekannte Methode, ignoriert: %1</translation>
    </message>
</context>
<context>
    <name>SlotScope::ControlManager</name>
    <message>
        <source>attach</source>
        <translation>Anhängen</translation>
    </message>
    <message>
        <source>resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>session failed: %1</source>
        <translation>Sitzung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the session has not been created yet</source>
        <translation>die Sitzung wurde noch nicht angelegt</translation>
    </message>
    <message>
        <source>the session has completed</source>
        <translation>die Sitzung ist abgeschlossen</translation>
    </message>
    <message>
        <source>the control connection has stopped</source>
        <translation>die Steuerverbindung wurde beendet</translation>
    </message>
    <message>
        <source>a Continue is already in flight</source>
        <translation>ein Continue ist bereits unterwegs</translation>
    </message>
    <message>
        <source>the control connection is not up</source>
        <translation>die Steuerverbindung steht nicht</translation>
    </message>
    <message>
        <source>again: </source>
        <translation>erneut: </translation>
    </message>
    <message>
        <source>create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>session create failed</source>
        <translation>Anlegen der Sitzung fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 rejected</source>
        <translation>%1 abgelehnt</translation>
    </message>
</context>
<context>
    <name>SlotScope::CoordinatorPanel</name>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Sub-session</source>
        <translation>Untersitzung</translation>
    </message>
    <message>
        <source>Socket</source>
        <translation>Socket</translation>
    </message>
    <message>
        <source>Parked for</source>
        <translation>Geparkt seit</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Ungated left</source>
        <translation>Frei übrig</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Reconnect attempts left before the socket must park for the handshake slot</source>
        <translation>Verbleibende Wiederverbindungsversuche, bevor der Socket für den Handshake-Platz parken muss</translation>
    </message>
    <message>
        <source>The parked queue in the order the handshake slot serves it</source>
        <translation>Die Parkwarteschlange in der Reihenfolge, in der der Handshake-Platz sie bedient</translation>
    </message>
    <message>
        <source>Sockets not Up, or Up with reconnect attempts in their current budget</source>
        <translation>Sockets, die nicht verbunden sind oder verbunden mit Wiederverbindungsversuchen im aktuellen Kontingent</translation>
    </message>
    <message>
        <source>&lt;b&gt;Handshake slot:&lt;/b&gt; free — no reconnect yet</source>
        <translation>&lt;b&gt;Handshake-Platz:&lt;/b&gt; frei — noch keine Wiederverbindung</translation>
    </message>
    <message>
        <source>&lt;b&gt;No reconnect coordinator:&lt;/b&gt; a single session reconnects on its own; parallel batches share one handshake slot.</source>
        <translation>&lt;b&gt;Kein Wiederverbindungs-Koordinator:&lt;/b&gt; eine einzelne Sitzung verbindet sich selbst neu; parallele Batches teilen sich einen Handshake-Platz.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Handshake slot:&lt;/b&gt; held by &lt;b&gt;%1 · %2&lt;/b&gt; (attempt %3) for %4</source>
        <translation>&lt;b&gt;Handshake-Platz:&lt;/b&gt; belegt von &lt;b&gt;%1 · %2&lt;/b&gt; (Versuch %3) seit %4</translation>
    </message>
    <message>
        <source>&lt;b&gt;Handshake slot:&lt;/b&gt; free</source>
        <translation>&lt;b&gt;Handshake-Platz:&lt;/b&gt; frei</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 · %2&lt;/b&gt; (streaming for %3)</source>
        <translation>&lt;b&gt;%1 · %2&lt;/b&gt; (streamt seit %3)</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 sockets streaming · %n parked</source>
        <translation>
            <numerusform>%1 von %2 Sockets streamen · %n geparkt</numerusform>
            <numerusform>%1 von %2 Sockets streamen · %n geparkt</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c62828&apos;&gt;Storm&lt;/b&gt; for %1 (since the first drop) · %2</source>
        <translation>&lt;b style=&apos;color:#c62828&apos;&gt;Sturm&lt;/b&gt; seit %1 (seit dem ersten Abbruch) · %2</translation>
    </message>
    <message>
        <source>No storm now · %1</source>
        <translation>Gerade kein Sturm · %1</translation>
    </message>
    <message>
        <source>No storm yet · %1</source>
        <translation>Noch kein Sturm · %1</translation>
    </message>
    <message>
        <source>No socket streaming yet</source>
        <translation>Noch kein Socket streamt</translation>
    </message>
    <message>
        <source>No socket streaming</source>
        <translation>Kein Socket streamt</translation>
    </message>
    <message>
        <source> · as of %1</source>
        <translation> · Stand %1</translation>
    </message>
    <message>
        <source>Ungated attempts: the reconnect attempts each socket makes on its own (the connection policy&apos;s); past them it parks and waits for the single handshake slot.</source>
        <translation>Freie Versuche: so viele Wiederverbindungsversuche macht jeder Socket selbst (laut Verbindungsrichtlinie); danach parkt er und wartet auf den einzigen Handshake-Platz.</translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation>Wiederverbindungen</translation>
    </message>
    <message>
        <source>Parks</source>
        <translation>Parkvorgänge</translation>
    </message>
    <message>
        <source>Longest park</source>
        <translation>Längstes Parken</translation>
    </message>
    <message>
        <source>Total parked</source>
        <translation>Insgesamt geparkt</translation>
    </message>
    <message>
        <source>Storms over</source>
        <translation>Überstandene Stürme</translation>
    </message>
    <message>
        <source>Ungated attempts</source>
        <translation>Freie Versuche</translation>
    </message>
    <message>
        <source>Last storm, first drop → all Up</source>
        <translation>Letzter Sturm, erster Abbruch → alle verbunden</translation>
    </message>
    <message>
        <source>Longest</source>
        <translation>Längster</translation>
    </message>
    <message>
        <source>Reconnect now: served once the slot is free</source>
        <translation>Jetzt neu verbinden: wird bedient, sobald der Platz frei ist</translation>
    </message>
    <message>
        <source>Reconnect %1 now</source>
        <translation>%1 jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Select %1</source>
        <translation>%1 auswählen</translation>
    </message>
    <message>
        <source>Slots behind</source>
        <translation>Slots zurück</translation>
    </message>
    <message>
        <source>Slots the session ran past the socket&apos;s resume slot; the server replays only the last %1</source>
        <translation>Slots, die die Sitzung über den Fortsetzungs-Slot des Sockets hinaus ausgeführt hat; der Server wiederholt nur die letzten %1</translation>
    </message>
    <message>
        <source> · &lt;b style=&apos;color:#c62828&apos;&gt;%1 slots behind&lt;/b&gt;, past the %2-slot replay window</source>
        <translation> · &lt;b style=&apos;color:#c62828&apos;&gt;%1 Slots zurück&lt;/b&gt;, außerhalb des Wiederholungsfensters von %2 Slots</translation>
    </message>
    <message>
        <source> · %1 slots behind</source>
        <translation> · %1 Slots zurück</translation>
    </message>
    <message>
        <source>Past the server&apos;s %1-slot replay window: when this socket resumes, the slots before the last %1 are missed (a replay_gap). Reconnect now shortens the gap.</source>
        <translation>Außerhalb des Wiederholungsfensters des Servers von %1 Slots: Wenn dieser Socket fortsetzt, fehlen die Slots vor den letzten %1 (ein replay_gap). „Jetzt neu verbinden“ verkürzt die Lücke.</translation>
    </message>
    <message>
        <source>Close to the server&apos;s %1-slot replay window</source>
        <translation>Nahe am Wiederholungsfenster des Servers von %1 Slots</translation>
    </message>
    <message>
        <source> · the queue clears at %1 per minute, empty in ≈ %2</source>
        <translation> · die Warteschlange leert sich um %1 pro Minute, leer in ≈ %2</translation>
    </message>
    <message>
        <source> · the queue clears at %1 per minute</source>
        <translation> · die Warteschlange leert sich um %1 pro Minute</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c62828&apos;&gt;Storm&lt;/b&gt; not over when the run ended, after %1 (never all Up again)</source>
        <translation>&lt;b style=&apos;color:#c62828&apos;&gt;Sturm&lt;/b&gt; beim Ende des Laufs nicht vorüber, nach %1 (nie wieder alle verbunden)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Handshake slot:&lt;/b&gt; free — the parked wait for %1 to stop or fall silent</source>
        <translation>&lt;b&gt;Handshake-Platz:&lt;/b&gt; frei — die Geparkten warten, bis %1 aufhört oder verstummt</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Handshake slot:&lt;/b&gt; free — the parked wait for %n streaming socket(s) to stop or fall silent</source>
        <translation>
            <numerusform>&lt;b&gt;Handshake-Platz:&lt;/b&gt; frei — die Geparkten warten, bis %n streamender Socket aufhört oder verstummt</numerusform>
            <numerusform>&lt;b&gt;Handshake-Platz:&lt;/b&gt; frei — die Geparkten warten, bis %n streamende Sockets aufhören oder verstummen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotScope::DiscoveryModel</name>
    <message>
        <source>Ahead</source>
        <translation>Voraus</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>Erreicht</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Passiert</translation>
    </message>
    <message>
        <source>Positions in the block: %1</source>
        <translation>Positionen im Block: %1</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Matched filters</source>
        <translation>Passende Filter</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>Transaktionen</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
</context>
<context>
    <name>SlotScope::DocumentArea</name>
    <message>
        <source>Live run</source>
        <translation>Live-Lauf</translation>
    </message>
    <message>
        <source>The run in progress (or the last one)</source>
        <translation>Der laufende (oder der letzte) Lauf</translation>
    </message>
    <message>
        <source>&amp;Open Capture…</source>
        <translation>Mitschnitt ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open a capture offline: SlotScope captures and sim run outputs (Ctrl+O)</source>
        <translation>Einen Mitschnitt offline öffnen: SlotScope-Mitschnitte und Ausgaben von sim run (Strg+O)</translation>
    </message>
    <message>
        <source>&amp;Compare Runs…</source>
        <translation>Läufe &amp;vergleichen…</translation>
    </message>
    <message>
        <source>Compare a baseline run with an experiment, joined by signature (Ctrl+Shift+C)</source>
        <translation>Einen Basislauf mit einem Experiment vergleichen, verknüpft über die Signatur (Strg+Umschalt+C)</translation>
    </message>
    <message>
        <source>&amp;Close Tab</source>
        <translation>Tab &amp;schließen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>Offline capture: %1</source>
        <translation>Offline-Mitschnitt: %1</translation>
    </message>
    <message>
        <source>Baseline %1
Experiment %2</source>
        <translation>Basis %1
Experiment %2</translation>
    </message>
    <message>
        <source>Open Capture</source>
        <translation>Mitschnitt öffnen</translation>
    </message>
    <message>
        <source> (missing)</source>
        <translation> (fehlt)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>%1 is the events file of %2: opened that capture, whose tabs show its events.</source>
        <translation>%1 ist die Ereignisdatei von %2: diese Aufzeichnung wurde geöffnet, ihre Reiter zeigen die Ereignisse.</translation>
    </message>
    <message>
        <source>Captures (*.ndjson *.json);;All files (*)</source>
        <translation>Mitschnitte (*.ndjson *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;Reload Capture</source>
        <translation>Mitschnitt &amp;neu laden</translation>
    </message>
    <message>
        <source>Read the open capture again, as it is on disk now (Ctrl+R)</source>
        <translation>Den geöffneten Mitschnitt erneut lesen, wie er jetzt auf der Platte liegt (Strg+R)</translation>
    </message>
    <message>
        <source>Reading %1 again</source>
        <translation>%1 wird erneut gelesen</translation>
    </message>
    <message>
        <source>%1 no longer exists: the tab keeps what it read</source>
        <translation>%1 gibt es nicht mehr: der Tab behält, was er gelesen hat</translation>
    </message>
</context>
<context>
    <name>SlotScope::DriveMode</name>
    <message>
        <source>run to end</source>
        <translation>bis zum Ende</translation>
    </message>
    <message>
        <source>pause at discoveries</source>
        <translation>an Funden anhalten</translation>
    </message>
    <message>
        <source>run to next discovery</source>
        <translation>bis zum nächsten Fund</translation>
    </message>
</context>
<context>
    <name>SlotScope::Engine</name>
    <message>
        <source>no server URL given</source>
        <translation>keine Server-URL angegeben</translation>
    </message>
    <message>
        <source>no API key given (set SIMULATOR_API_KEY or pass --api-key)</source>
        <translation>kein API-Schlüssel angegeben (SIMULATOR_API_KEY setzen oder --api-key angeben)</translation>
    </message>
    <message>
        <source>advance count must be at least 1</source>
        <translation>die Schrittweite muss mindestens 1 sein</translation>
    </message>
    <message>
        <source>no capture file given</source>
        <translation>keine Mitschnittdatei angegeben</translation>
    </message>
    <message>
        <source>subscribe: %1</source>
        <translation>Abonnement: %1</translation>
    </message>
    <message>
        <source>discover: %1</source>
        <translation>Fund: %1</translation>
    </message>
    <message>
        <source>a breakpoint on %1, which is not a discovery filter</source>
        <translation>ein Haltepunkt auf %1, das kein Fund-Filter ist</translation>
    </message>
    <message>
        <source>disconnect timeout is at most %1 s</source>
        <translation>die Trennungs-Zeitüberschreitung beträgt höchstens %1 s</translation>
    </message>
</context>
<context>
    <name>SlotScope::ExportDialog</name>
    <message>
        <source>Everything in the capture</source>
        <translation>Alles im Mitschnitt</translation>
    </message>
    <message numerus="yes">
        <source>Selected rows (%n)</source>
        <translation>
            <numerusform>Ausgewählte Zeile (%n)</numerusform>
            <numerusform>Ausgewählte Zeilen (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>Slot range</source>
        <translation>Slot-Bereich</translation>
    </message>
    <message>
        <source>Spreadsheet-safe cells (prefix = + - @ with &apos;)</source>
        <translation>Tabellenkalkulationssichere Zellen (= + - @ mit &apos; voranstellen)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>Transaktionen</translation>
    </message>
    <message>
        <source>Account diffs</source>
        <translation>Kontoänderungen</translation>
    </message>
    <message>
        <source>Control events</source>
        <translation>Steuerereignisse</translation>
    </message>
    <message>
        <source>first</source>
        <translation>erster</translation>
    </message>
    <message>
        <source>last</source>
        <translation>letzter</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Datei:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>Scope:</source>
        <translation>Umfang:</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 existiert bereits. Ersetzen?</translation>
    </message>
    <message>
        <source>The last slot (%L1) is before the first (%L2).</source>
        <translation>Der letzte Slot (%L1) liegt vor dem ersten (%L2).</translation>
    </message>
    <message>
        <source>%1 belongs to the capture this CSV is made from. Choose another file.</source>
        <translation>%1 gehört zum Mitschnitt, aus dem diese CSV erstellt wird. Bitte eine andere Datei wählen.</translation>
    </message>
    <message>
        <source>One sub-session (select it in Sessions)</source>
        <translation>Eine Untersitzung (in „Sitzungen“ auswählen)</translation>
    </message>
    <message>
        <source>Sub-session %1</source>
        <translation>Untersitzung %1</translation>
    </message>
    <message>
        <source>Rows the filter shows (no filter set)</source>
        <translation>Zeilen, die der Filter zeigt (kein Filter gesetzt)</translation>
    </message>
    <message numerus="yes">
        <source>Rows the filter shows (%n)</source>
        <translation>
            <numerusform>Zeile, die der Filter zeigt (%n)</numerusform>
            <numerusform>Zeilen, die der Filter zeigt (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>Every row of the sub-session in the capture, also those no longer in the table</source>
        <translation>Jede Zeile der Untersitzung im Mitschnitt, auch die nicht mehr in der Tabelle</translation>
    </message>
    <message>
        <source>The transactions the table shows now (rows evicted from a long run&apos;s table are not among them)</source>
        <translation>Die Transaktionen, die die Tabelle jetzt zeigt (aus der Tabelle eines langen Laufs verdrängte Zeilen gehören nicht dazu)</translation>
    </message>
    <message>
        <source>Name the CSV file to write.</source>
        <translation>Bitte die zu schreibende CSV-Datei benennen.</translation>
    </message>
    <message>
        <source>Diffs the panel&apos;s filter shows (no filter set)</source>
        <translation>Kontoänderungen, die der Filter des Bereichs zeigt (kein Filter gesetzt)</translation>
    </message>
    <message numerus="yes">
        <source>Diffs the panel&apos;s filter shows (%n)</source>
        <translation>
            <numerusform>Kontoänderungen, die der Filter des Bereichs zeigt (%n)</numerusform>
            <numerusform>Kontoänderungen, die der Filter des Bereichs zeigt (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Selected diffs (%n)</source>
        <translation>
            <numerusform>Ausgewählte Kontoänderung (%n)</numerusform>
            <numerusform>Ausgewählte Kontoänderungen (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>No events file beside the capture</source>
        <translation>Keine Ereignisdatei neben dem Mitschnitt</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>SlotScope::HeadlessRunner</name>
    <message>
        <source>demo simulator: %1</source>
        <translation>Demo-Simulator: %1</translation>
    </message>
    <message>
        <source>demo simulator on %1 (%2)</source>
        <translation>Demo-Simulator auf %1 (%2)</translation>
    </message>
    <message>
        <source>synthetic transactions</source>
        <translation>synthetische Transaktionen</translation>
    </message>
    <message>
        <source>transactions from %1</source>
        <translation>Transaktionen aus %1</translation>
    </message>
    <message>
        <source>cannot create a temporary directory for the capture</source>
        <translation>für den Mitschnitt kann kein temporärer Ordner angelegt werden</translation>
    </message>
    <message>
        <source>discovered batch %1/%2 (%3)</source>
        <translation>Batch gefunden: %1/%2 (%3)</translation>
    </message>
    <message>
        <source>control</source>
        <translation>Steuerung</translation>
    </message>
    <message>
        <source>data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>data %1</source>
        <translation>Daten %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>(creating)</source>
        <translation>(wird angelegt)</translation>
    </message>
    <message>
        <source>creating</source>
        <translation>wird angelegt</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <source>capture: %1 (%2 transactions)</source>
        <translation>Mitschnitt: %1 (%2 Transaktionen)</translation>
    </message>
    <message>
        <source>CSV export failed: %1</source>
        <translation>CSV-Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>slotscope: error: %1</source>
        <translation>slotscope: Fehler: %1</translation>
    </message>
    <message numerus="yes">
        <source>  %n simulation error(s)</source>
        <translation>
            <numerusform>  %n Simulationsfehler</numerusform>
            <numerusform>  %n Simulationsfehler</numerusform>
        </translation>
    </message>
    <message>
        <source>starting runtime</source>
        <translation>Laufzeitumgebung startet</translation>
    </message>
    <message>
        <source>%1: stopping the session</source>
        <translation>%1: Sitzung wird beendet</translation>
    </message>
    <message>
        <source>hangup</source>
        <translation>Auflegen (SIGHUP)</translation>
    </message>
    <message>
        <source>terminated</source>
        <translation>beendet (SIGTERM)</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>unterbrochen (SIGINT)</translation>
    </message>
    <message>
        <source>CSV incomplete: %1: %2</source>
        <translation>CSV unvollständig: %1: %2</translation>
    </message>
    <message>
        <source>csv: %1 (%2)</source>
        <translation>CSV: %1 (%2)</translation>
    </message>
    <message>
        <source>breakpoint %1 hit %2 at batch %3/%4: %5</source>
        <translation>Haltepunkt %1 Treffer %2 bei Batch %3/%4: %5</translation>
    </message>
    <message>
        <source>pause</source>
        <translation>anhalten</translation>
    </message>
    <message>
        <source>log only</source>
        <translation>nur protokollieren</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>  dropped frames: %1</source>
        <translation>  verworfene Frames: %1</translation>
    </message>
    <message>
        <source>frames that could not be read were dropped: %1 (frame_dropped in the events file); the capture is incomplete</source>
        <translation>unlesbare Frames wurden verworfen: %1 (frame_dropped in der Ereignisdatei); der Mitschnitt ist unvollständig</translation>
    </message>
    <message numerus="yes">
        <source>a subscription resumed after slots had left the server&apos;s %1-slot replay window %n time(s), %2 slot(s) in all (replay_gap in the events file); the capture is incomplete</source>
        <translation>
            <numerusform>ein Abonnement wurde fortgesetzt, nachdem Slots das Wiederholungsfenster des Servers von %1 Slots verlassen hatten, %n Mal, %2 Slot(s) insgesamt (replay_gap in der Ereignisdatei); die Aufzeichnung ist unvollständig</numerusform>
            <numerusform>ein Abonnement wurde fortgesetzt, nachdem Slots das Wiederholungsfenster des Servers von %1 Slots verlassen hatten, %n Mal, %2 Slot(s) insgesamt (replay_gap in der Ereignisdatei); die Aufzeichnung ist unvollständig</numerusform>
        </translation>
    </message>
    <message>
        <source>csv: %1 not written (the run did not complete)</source>
        <translation>CSV: %1 nicht geschrieben (der Lauf wurde nicht abgeschlossen)</translation>
    </message>
    <message>
        <source>csv: %1 not written (the run did not complete); the capture %2 has what arrived</source>
        <translation>CSV: %1 nicht geschrieben (der Lauf wurde nicht abgeschlossen); der Mitschnitt %2 enthält, was ankam</translation>
    </message>
    <message>
        <source>cannot write the capture: %1</source>
        <translation>der Mitschnitt kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>capture: %1 is a device or a standard stream: no events file is written (connections, pauses, errors)</source>
        <translation>Mitschnitt: %1 ist ein Gerät oder ein Standardstrom: es wird keine Ereignisdatei geschrieben (Verbindungen, Pausen, Fehler)</translation>
    </message>
    <message>
        <source>no --capture or --csv: nothing of this run is kept (its progress and exit code only)</source>
        <translation>weder --capture noch --csv: von diesem Lauf bleibt nichts erhalten (nur sein Fortschritt und sein Exit-Code)</translation>
    </message>
    <message>
        <source>cannot write the CSV: %1</source>
        <translation>die CSV-Datei kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>csv: %1 not written: the export does not stop (a pipe nobody reads?)</source>
        <translation>csv: %1 nicht geschrieben: der Export hält nicht an (eine Pipe, die niemand liest?)</translation>
    </message>
    <message>
        <source>%1: stopping the CSV export</source>
        <translation>%1: CSV-Export wird angehalten</translation>
    </message>
    <message>
        <source>csv: %1 not written (stopped)</source>
        <translation>csv: %1 nicht geschrieben (angehalten)</translation>
    </message>
    <message>
        <source>csv: %1 not written (stopped); the capture %2 is complete</source>
        <translation>csv: %1 nicht geschrieben (angehalten); der Mitschnitt %2 ist vollständig</translation>
    </message>
</context>
<context>
    <name>SlotScope::LinkState</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>Geparkt</translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>Versuch %1</translation>
    </message>
    <message>
        <source>retry in %1</source>
        <translation>neuer Versuch in %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>slot %1</source>
        <translation>Slot %1</translation>
    </message>
    <message>
        <source>slots %1–%2</source>
        <translation>Slots %1–%2</translation>
    </message>
    <message>
        <source>%1: %2 had left the server&apos;s %3-slot replay window when it resumed at slot %4; their notifications are missing</source>
        <translation>%1: %2 hatten das Wiederholungsfenster des Servers von %3 Slots verlassen, als es bei Slot %4 fortgesetzt wurde; ihre Benachrichtigungen fehlen</translation>
    </message>
    <message>
        <source>retry at %1, a %2 wait</source>
        <translation>neuer Versuch um %1, nach %2 Wartezeit</translation>
    </message>
</context>
<context>
    <name>SlotScope::MainWindow</name>
    <message>
        <source>SlotScope</source>
        <translation>SlotScope</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) evicted from the view (still in the capture)</source>
        <translation>
            <numerusform>%n Zeile aus der Ansicht entfernt (weiterhin im Mitschnitt)</numerusform>
            <numerusform>%n Zeilen aus der Ansicht entfernt (weiterhin im Mitschnitt)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;New Run…</source>
        <translation>&amp;Neuer Lauf…</translation>
    </message>
    <message>
        <source>&amp;Stop Session</source>
        <translation>Sitzung &amp;stoppen</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Continue &amp;To</source>
        <translation>Fortsetzen &amp;bis</translation>
    </message>
    <message>
        <source>Run to &amp;Next Discovery</source>
        <translation>Bis zum nächsten F&amp;und</translation>
    </message>
    <message>
        <source>Run to &amp;End</source>
        <translation>Bis zum &amp;Ende</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Slots per Continue</source>
        <translation>Slots pro Continue</translation>
    </message>
    <message>
        <source>slot[/batch]</source>
        <translation>Slot[/Batch]</translation>
    </message>
    <message>
        <source>Target of Continue To when no discovery batch is selected</source>
        <translation>Ziel von „Fortsetzen bis“, wenn kein Fund-Batch ausgewählt ist</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>&amp;Schritt</translation>
    </message>
    <message>
        <source>Stepping</source>
        <translation>Schrittsteuerung</translation>
    </message>
    <message>
        <source> Advance </source>
        <translation> Schrittweite </translation>
    </message>
    <message>
        <source>Filter by signature, fee payer or program id…</source>
        <translation>Nach Signatur, Gebührenzahler oder Programm-ID filtern…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>Transaktionen</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Discovery Batches</source>
        <translation>Fund-Batches</translation>
    </message>
    <message>
        <source>Protocol Console</source>
        <translation>Protokollkonsole</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>The demo simulator did not start: %1</source>
        <translation>Der Demo-Simulator ist nicht gestartet: %1</translation>
    </message>
    <message>
        <source>Connecting to %1 …</source>
        <translation>Verbinde mit %1 …</translation>
    </message>
    <message>
        <source>the demo simulator</source>
        <translation>dem Demo-Simulator</translation>
    </message>
    <message>
        <source>Control: %1</source>
        <translation>Steuerung: %1</translation>
    </message>
    <message>
        <source> · Data: %1</source>
        <translation> · Daten: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n transaction(s) captured</source>
        <translation>
            <numerusform>%n Transaktion mitgeschnitten</numerusform>
            <numerusform>%n Transaktionen mitgeschnitten</numerusform>
        </translation>
    </message>
    <message>
        <source>, %1 duplicates dropped</source>
        <translation>, %1 Duplikate verworfen</translation>
    </message>
    <message>
        <source>Run failed</source>
        <translation>Lauf fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <source>Stopped · the capture keeps %n transaction(s)</source>
        <translation>
            <numerusform>Gestoppt · der Mitschnitt enthält %n Transaktion</numerusform>
            <numerusform>Gestoppt · der Mitschnitt enthält %n Transaktionen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Completed · %n transaction(s) captured</source>
        <translation>
            <numerusform>Abgeschlossen · %n Transaktion mitgeschnitten</numerusform>
            <numerusform>Abgeschlossen · %n Transaktionen mitgeschnitten</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a discovery batch, or type a target as slot or slot/batch.</source>
        <translation>Einen Fund-Batch auswählen oder ein Ziel als Slot oder Slot/Batch eingeben.</translation>
    </message>
    <message>
        <source>Slot %1 is behind the session, which is at slot %2: a backtest only goes forward.</source>
        <translation>Slot %1 liegt hinter der Sitzung, die bei Slot %2 steht: ein Backtest läuft nur vorwärts.</translation>
    </message>
    <message>
        <source>Past the last slot</source>
        <translation>Hinter dem letzten Slot</translation>
    </message>
    <message>
        <source>Slot %1 is past the session&apos;s last slot %2.

Run the session to its end?</source>
        <translation>Slot %1 liegt hinter dem letzten Slot %2 der Sitzung.

Die Sitzung bis zu ihrem Ende laufen lassen?</translation>
    </message>
    <message>
        <source>This transaction is not in a capture file.</source>
        <translation>Diese Transaktion ist in keiner Mitschnittdatei.</translation>
    </message>
    <message>
        <source>Cannot read the transaction from the capture: %1</source>
        <translation>Die Transaktion kann nicht aus dem Mitschnitt gelesen werden: %1</translation>
    </message>
    <message>
        <source>CSV export failed: %1</source>
        <translation>CSV-Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Start a backtest run</source>
        <translation>Einen Backtest-Lauf starten</translation>
    </message>
    <message>
        <source>Close the session; the capture keeps everything received</source>
        <translation>Die Sitzung schließen; der Mitschnitt behält alles Empfangene</translation>
    </message>
    <message>
        <source>Continue the advance count of slots</source>
        <translation>Um die Schrittweite an Slots fortsetzen</translation>
    </message>
    <message>
        <source>Continue to the selected discovery batch, or to the slot[/batch] typed beside</source>
        <translation>Bis zum ausgewählten Fund-Batch fortsetzen oder bis zum daneben eingegebenen Slot[/Batch]</translation>
    </message>
    <message>
        <source>Keep continuing until the session completes</source>
        <translation>Fortsetzen, bis die Sitzung abgeschlossen ist</translation>
    </message>
    <message>
        <source>Export the capture to CSV</source>
        <translation>Den Mitschnitt als CSV exportieren</translation>
    </message>
    <message>
        <source>Continue the advance count of slots on every session</source>
        <translation>In jeder Sitzung um die Schrittweite an Slots fortsetzen</translation>
    </message>
    <message>
        <source>Continue the advance count of slots on %1</source>
        <translation>In %1 um die Schrittweite an Slots fortsetzen</translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>E&amp;instellungen…</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>&amp;Layout zurücksetzen</translation>
    </message>
    <message>
        <source>Put docks, toolbars and columns back where they were on first start</source>
        <translation>Docks, Werkzeugleisten und Spalten wie beim ersten Start anordnen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About SlotScope</source>
        <translation>Ü&amp;ber SlotScope</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>The new language applies when SlotScope next starts.</source>
        <translation>Die neue Sprache gilt beim nächsten Start von SlotScope.</translation>
    </message>
    <message>
        <source>Layout reset.</source>
        <translation>Layout zurückgesetzt.</translation>
    </message>
    <message>
        <source>Replace capture?</source>
        <translation>Mitschnitt ersetzen?</translation>
    </message>
    <message>
        <source>A capture named %1 exists already.

Replace it? The old capture is kept until the new run has data; a run that fails before that leaves it untouched.</source>
        <translation>Ein Mitschnitt namens %1 existiert bereits.

Ersetzen? Der alte Mitschnitt bleibt erhalten, bis der neue Lauf Daten hat; ein Lauf, der vorher fehlschlägt, lässt ihn unverändert.</translation>
    </message>
    <message>
        <source>Large slot range</source>
        <translation>Großer Slot-Bereich</translation>
    </message>
    <message>
        <source>The range %1 … %2 spans %L3 slots, more than %L4.

Start it anyway?</source>
        <translation>Der Bereich %1 … %2 umfasst %L3 Slots, mehr als %L4.

Trotzdem starten?</translation>
    </message>
    <message>
        <source>Continue until just before the next discovered batch a breakpoint pauses at</source>
        <translation>Fortsetzen bis kurz vor den nächsten gefundenen Batch, an dem ein Haltepunkt anhält</translation>
    </message>
    <message>
        <source>Breakpoints</source>
        <translation>Haltepunkte</translation>
    </message>
    <message>
        <source>Quit during a run?</source>
        <translation>Während eines Laufs beenden?</translation>
    </message>
    <message>
        <source>Stop the current run?</source>
        <translation>Den laufenden Lauf beenden?</translation>
    </message>
    <message>
        <source>Breakpoint %1 hit %2 at batch %3/%4 (log only)</source>
        <translation>Haltepunkt %1 Treffer %2 bei Batch %3/%4 (nur protokolliert)</translation>
    </message>
    <message>
        <source>, unreadable frames dropped: %1</source>
        <translation>, unlesbare Frames verworfen: %1</translation>
    </message>
    <message>
        <source> · unreadable frames dropped: %1 (frame_dropped in the events file)</source>
        <translation> · unlesbare Frames verworfen: %1 (frame_dropped in der Ereignisdatei)</translation>
    </message>
    <message numerus="yes">
        <source> · %n replay gap(s), %1 slot(s) missed (replay_gap in the events file)</source>
        <translation>
            <numerusform> · %n Wiederholungslücke, %1 Slot(s) verpasst (replay_gap in der Ereignisdatei)</numerusform>
            <numerusform> · %n Wiederholungslücken, %1 Slot(s) verpasst (replay_gap in der Ereignisdatei)</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is no target: type a slot (e.g. 1083) or slot/batch (1083/0), or select a discovery batch.</source>
        <translation>„%1“ ist kein Ziel: einen Slot (z. B. 1083) oder Slot/Batch (1083/0) eingeben oder einen Fund-Batch auswählen.</translation>
    </message>
    <message>
        <source>Batches of %1 · select the run for all</source>
        <translation>Fund-Batches von %1 · für alle den Lauf auswählen</translation>
    </message>
    <message>
        <source>The session is already paused before batch %1/%2: Continue to go past it, or select a batch ahead.</source>
        <translation>Die Sitzung hält bereits vor Batch %1/%2: mit Fortsetzen darüber hinausgehen oder einen späteren Batch wählen.</translation>
    </message>
    <message>
        <source>Batch %1/%2 is behind the session: a backtest only goes forward.</source>
        <translation>Batch %1/%2 liegt hinter der Sitzung: ein Backtest geht nur vorwärts.</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Stop driving after the step in flight; the sessions stay open for the next Continue</source>
        <translation>Nach dem laufenden Schritt nicht selbst weiterschalten; die Sitzungen bleiben für das nächste Fortsetzen offen</translation>
    </message>
    <message>
        <source>Stop driving %1 after the step in flight; it stays open for the next Continue</source>
        <translation>%1 nach dem laufenden Schritt nicht selbst weiterschalten; sie bleibt für das nächste Fortsetzen offen</translation>
    </message>
    <message>
        <source>The server refused the step of %1: %2</source>
        <translation>Der Server hat den Schritt von %1 abgelehnt: %2</translation>
    </message>
    <message>
        <source>The server refused the step: %1</source>
        <translation>Der Server hat den Schritt abgelehnt: %1</translation>
    </message>
    <message>
        <source>Advance “%1” is no slot count: type %2 to %3.</source>
        <translation>Schrittweite „%1“ ist keine Slot-Anzahl: %2 bis %3 eingeben.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Error:&lt;/b&gt; %1 &amp;nbsp; &lt;a href=&quot;dismiss&quot;&gt;Dismiss&lt;/a&gt;</source>
        <translation>&lt;b&gt;Fehler:&lt;/b&gt; %1 &amp;nbsp; &lt;a href=&quot;dismiss&quot;&gt;Ausblenden&lt;/a&gt;</translation>
    </message>
    <message>
        <source>The selected row is of an earlier run, which steps no more: select the live run to step it.</source>
        <translation>Die gewählte Zeile gehört zu einem früheren Lauf, der keine Schritte mehr macht: den laufenden Lauf wählen, um ihn weiterzuschalten.</translation>
    </message>
    <message>
        <source>Capture file</source>
        <translation>Mitschnittdatei</translation>
    </message>
    <message>
        <source>The run cannot start: %1.%2</source>
        <translation>Der Lauf kann nicht starten: %1.%2</translation>
    </message>
    <message>
        <source>

The current run goes on.</source>
        <translation>

Der laufende Lauf geht weiter.</translation>
    </message>
    <message>
        <source>A run is in progress.

Stop it and start the new one? %1; its capture keeps everything that arrived.</source>
        <translation>Ein Lauf ist im Gange.

Ihn beenden und den neuen starten? %1; sein Mitschnitt behält alles, was angekommen ist.</translation>
    </message>
    <message numerus="yes">
        <source>Its %n sessions are closed on the server</source>
        <translation>
            <numerusform>Seine %n Sitzung wird auf dem Server geschlossen</numerusform>
            <numerusform>Seine %n Sitzungen werden auf dem Server geschlossen</numerusform>
        </translation>
    </message>
    <message>
        <source>Its session is closed on the server</source>
        <translation>Seine Sitzung wird auf dem Server geschlossen</translation>
    </message>
    <message>
        <source>A run is in progress.

Stop it and quit? %1 and cannot be resumed; its capture keeps everything that arrived.</source>
        <translation>Ein Lauf ist im Gange.

Ihn anhalten und beenden? %1; fortsetzen lässt sich der Lauf danach nicht. Sein Mitschnitt behält alles, was angekommen ist.</translation>
    </message>
    <message>
        <source>No run is live, so there is nothing to step: start one with New Run (Ctrl+N).</source>
        <translation>Kein Lauf ist aktiv, es gibt nichts weiterzuschalten: einen mit Neuer Lauf (Strg+N) starten.</translation>
    </message>
    <message>
        <source> · the server was not told: it keeps the session until its disconnect timeout</source>
        <translation> · der Server wurde nicht benachrichtigt: er behält die Sitzung bis zu ihrem Trennungs-Zeitlimit</translation>
    </message>
    <message>
        <source>The run before: %1</source>
        <translation>Der vorige Lauf: %1</translation>
    </message>
    <message>
        <source>Account Diffs</source>
        <translation>Kontoänderungen</translation>
    </message>
    <message>
        <source>Transaction %1 is not in the table (filtered out, or evicted from it; the capture has it).</source>
        <translation>Transaktion %1 ist nicht in der Tabelle (herausgefiltert oder daraus verdrängt; der Mitschnitt hat sie).</translation>
    </message>
    <message>
        <source>this run captures none (New Run: Also capture account diffs)</source>
        <translation>dieser Lauf schneidet keine mit (Neuer Lauf: Auch Kontoänderungen mitschneiden)</translation>
    </message>
    <message>
        <source>No running sub-session covers slot %1 (the batch runs slots %2..%3): select a sub-session in Sessions, or type a slot within a running one.</source>
        <translation>Keine laufende Untersitzung umfasst Slot %1 (der Batch umfasst die Slots %2..%3): wählen Sie unter „Sitzungen“ eine Untersitzung oder geben Sie einen Slot innerhalb einer laufenden ein.</translation>
    </message>
    <message>
        <source>Stop the run?</source>
        <translation>Lauf anhalten?</translation>
    </message>
    <message>
        <source>Slot %1 has run already (the session is at slot %2): a backtest only goes forward.</source>
        <translation>Slot %1 ist schon gelaufen (die Sitzung steht bei Slot %2): ein Backtest geht nur vorwärts.</translation>
    </message>
    <message>
        <source>%1 and cannot be resumed; the capture keeps everything that arrived.

Stop the run now?</source>
        <translation>%1 und kann nicht fortgesetzt werden; der Mitschnitt behält alles, was ankam.

Den Lauf jetzt stoppen?</translation>
    </message>
</context>
<context>
    <name>SlotScope::ManagedParallelSession</name>
    <message>
        <source>API key rejected by the server</source>
        <translation>API-Schlüssel vom Server abgelehnt</translation>
    </message>
    <message>
        <source>API key rejected by the server (%1)</source>
        <translation>API-Schlüssel vom Server abgelehnt (%1)</translation>
    </message>
    <message>
        <source>parallel create failed: %1</source>
        <translation>paralleles Anlegen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>control connection failed: %1</source>
        <translation>Steuerverbindung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>cancelled before the parallel batch was created</source>
        <translation>abgebrochen, bevor der parallele Batch angelegt war</translation>
    </message>
</context>
<context>
    <name>SlotScope::Net</name>
    <message>
        <source>zstd: cannot allocate a decompression context</source>
        <translation>zstd: kein Dekompressionskontext verfügbar</translation>
    </message>
    <message>
        <source>zstd: the stream is broken since an earlier error</source>
        <translation>zstd: der Stream ist seit einem früheren Fehler defekt</translation>
    </message>
    <message>
        <source>zstd: empty frame</source>
        <translation>zstd: leerer Frame</translation>
    </message>
    <message>
        <source>zstd: %1</source>
        <translation>zstd: %1</translation>
    </message>
    <message>
        <source>zstd: a message larger than %1 bytes</source>
        <translation>zstd: eine Nachricht größer als %1 Bytes</translation>
    </message>
    <message>
        <source>zstd: the frame decodes to no data (truncated?)</source>
        <translation>zstd: der Frame ergibt keine Daten (abgeschnitten?)</translation>
    </message>
</context>
<context>
    <name>SlotScope::OutputFile</name>
    <message>
        <source>%1: %2 already exists; pass --overwrite to replace it</source>
        <translation>%1: %2 existiert bereits; mit --overwrite ersetzen</translation>
    </message>
    <message>
        <source>%1 is a folder, not a file</source>
        <translation>%1 ist ein Ordner, keine Datei</translation>
    </message>
    <message>
        <source>The folder %1 does not exist</source>
        <translation>Der Ordner %1 existiert nicht</translation>
    </message>
    <message>
        <source>%1 is not a folder</source>
        <translation>%1 ist kein Ordner</translation>
    </message>
    <message>
        <source>The folder %1 is not writable</source>
        <translation>In den Ordner %1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>The file %1 is not writable</source>
        <translation>Die Datei %1 ist nicht beschreibbar</translation>
    </message>
</context>
<context>
    <name>SlotScope::ParallelControlManager</name>
    <message>
        <source>the server did not report the sub-session slot ranges (too old for parallel batches)</source>
        <translation>der Server hat die Slot-Bereiche der Untersitzungen nicht gemeldet (zu alt für parallele Batches)</translation>
    </message>
    <message>
        <source>parallel create failed: the server created no sub-sessions</source>
        <translation>paralleles Anlegen fehlgeschlagen: der Server hat keine Untersitzungen angelegt</translation>
    </message>
    <message>
        <source>parallel create failed: sessionsCreatedV2 does not list sub-session %1</source>
        <translation>paralleles Anlegen fehlgeschlagen: sessionsCreatedV2 führt Untersitzung %1 nicht auf</translation>
    </message>
    <message>
        <source>parallel control session failed: %1</source>
        <translation>parallele Steuersitzung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the parallel batch has not been created yet</source>
        <translation>der parallele Batch wurde noch nicht angelegt</translation>
    </message>
    <message>
        <source>unknown sub-session %1</source>
        <translation>unbekannte Untersitzung %1</translation>
    </message>
    <message>
        <source>sub-session %1 has completed</source>
        <translation>Untersitzung %1 ist abgeschlossen</translation>
    </message>
    <message>
        <source>the control connection is not up</source>
        <translation>die Steuerverbindung steht nicht</translation>
    </message>
    <message>
        <source>a Continue is already in flight for %1</source>
        <translation>für %1 ist bereits ein Continue unterwegs</translation>
    </message>
    <message>
        <source>parallel create</source>
        <translation>Paralleles Anlegen</translation>
    </message>
    <message>
        <source>parallel create failed</source>
        <translation>paralleles Anlegen fehlgeschlagen</translation>
    </message>
    <message>
        <source>attach</source>
        <translation>Anhängen</translation>
    </message>
    <message>
        <source>attach rejected</source>
        <translation>Anhängen abgelehnt</translation>
    </message>
    <message>
        <source>the control connection has stopped</source>
        <translation>die Steuerverbindung wurde beendet</translation>
    </message>
</context>
<context>
    <name>SlotScope::PreferencesDialog</name>
    <message>
        <source> rows</source>
        <translation> Zeilen</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>&amp;Forget Key</source>
        <translation>Schlüssel &amp;vergessen</translation>
    </message>
    <message>
        <source>C&amp;lear List</source>
        <translation>Liste &amp;leeren</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Where new captures are written; empty = the default shown</source>
        <translation>Wohin neue Mitschnitte geschrieben werden; leer = der angezeigte Standard</translation>
    </message>
    <message>
        <source>Choose the capture directory</source>
        <translation>Mitschnittordner wählen</translation>
    </message>
    <message>
        <source>Rows the live transaction table keeps; older rows stay in the capture file</source>
        <translation>Zeilen, die die Live-Transaktionstabelle behält; ältere Zeilen bleiben in der Mitschnittdatei</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>Systemstandard (%1)</translation>
    </message>
    <message>
        <source>A new language applies when SlotScope next starts.</source>
        <translation>Eine neue Sprache gilt beim nächsten Start von SlotScope.</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>&amp;Layout zurücksetzen</translation>
    </message>
    <message>
        <source>Put docks, toolbars and columns back where they were on first start</source>
        <translation>Docks, Werkzeugleisten und Spalten wie beim ersten Start anordnen</translation>
    </message>
    <message>
        <source>&amp;Capture directory:</source>
        <translation>&amp;Mitschnittordner:</translation>
    </message>
    <message>
        <source>&amp;Live table keeps:</source>
        <translation>Live-&amp;Tabelle behält:</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Window layout:</source>
        <translation>Fensterlayout:</translation>
    </message>
    <message>
        <source>TCP, TLS and WebSocket upgrade of one connection attempt</source>
        <translation>TCP, TLS und WebSocket-Upgrade eines Verbindungsversuchs</translation>
    </message>
    <message>
        <source>The reconnect delay never grows beyond this</source>
        <translation>Die Wartezeit für Wiederverbindungen wächst nie darüber hinaus</translation>
    </message>
    <message>
        <source>Reconnect attempts before a connection is given up</source>
        <translation>Wiederverbindungsversuche, bevor eine Verbindung aufgegeben wird</translation>
    </message>
    <message>
        <source>Time spent reconnecting before a connection is given up</source>
        <translation>Zeit für Wiederverbindungen, bevor eine Verbindung aufgegeben wird</translation>
    </message>
    <message>
        <source>Connect &amp;timeout:</source>
        <translation>Verbindungs-&amp;Zeitlimit:</translation>
    </message>
    <message>
        <source>&amp;First retry after:</source>
        <translation>&amp;Erster neuer Versuch nach:</translation>
    </message>
    <message>
        <source>Longest retry &amp;delay:</source>
        <translation>Längste &amp;Wartezeit:</translation>
    </message>
    <message>
        <source>&amp;Attempts per outage:</source>
        <translation>&amp;Versuche pro Ausfall:</translation>
    </message>
    <message>
        <source>Time &amp;per outage:</source>
        <translation>Zeit &amp;pro Ausfall:</translation>
    </message>
    <message>
        <source>Restore &amp;Defaults</source>
        <translation>&amp;Standardwerte wiederherstellen</translation>
    </message>
    <message>
        <source>Applies to runs started from now on.</source>
        <translation>Gilt für ab jetzt gestartete Läufe.</translation>
    </message>
    <message>
        <source>API keys in the system keyring</source>
        <translation>API-Schlüssel im Systemschlüsselbund</translation>
    </message>
    <message>
        <source>Servers whose API key SlotScope keeps in the system keyring (the keys are not shown)</source>
        <translation>Server, deren API-Schlüssel SlotScope im Systemschlüsselbund aufbewahrt (die Schlüssel werden nicht angezeigt)</translation>
    </message>
    <message>
        <source>Recent captures</source>
        <translation>Zuletzt geöffnete Mitschnitte</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Wiederverbindung</translation>
    </message>
    <message>
        <source>Remembered</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <source>Capture directory</source>
        <translation>Mitschnittordner</translation>
    </message>
    <message>
        <source>No API key is remembered.</source>
        <translation>Es ist kein API-Schlüssel gespeichert.</translation>
    </message>
    <message>
        <source>Removing the key for %1 …</source>
        <translation>Entferne den Schlüssel für %1 …</translation>
    </message>
    <message>
        <source>The key for %1 was removed from the keyring.</source>
        <translation>Der Schlüssel für %1 wurde aus dem Schlüsselbund entfernt.</translation>
    </message>
    <message>
        <source>The keyring did not remove the key: %1</source>
        <translation>Der Schlüsselbund hat den Schlüssel nicht entfernt: %1</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source> slots</source>
        <translation> Slots</translation>
    </message>
    <message>
        <source>A run over more slots than this asks before it starts</source>
        <translation>Ein Lauf über mehr Slots fragt vor dem Start nach</translation>
    </message>
    <message>
        <source>Ask before runs &amp;over:</source>
        <translation>&amp;Nachfragen bei Läufen über:</translation>
    </message>
    <message>
        <source>Captures cannot be written to %1: it cannot be created or is not writable.

Keep it anyway? Every run will fail at its start until it can.</source>
        <translation>In %1 können keine Captures geschrieben werden: das Verzeichnis lässt sich nicht anlegen oder ist nicht beschreibbar.

Trotzdem behalten? Bis dahin scheitert jeder Lauf gleich zu Beginn.</translation>
    </message>
    <message>
        <source>Delay before the first reconnect, at most the longest retry delay; it doubles after each failed attempt</source>
        <translation>Wartezeit vor der ersten Wiederverbindung, höchstens die längste Wartezeit; sie verdoppelt sich nach jedem fehlgeschlagenen Versuch</translation>
    </message>
</context>
<context>
    <name>SlotScope::ProtocolConsoleView</name>
    <message>
        <source>Filter by session, method or text…</source>
        <translation>Nach Sitzung, Methode oder Text filtern…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message numerus="yes">
        <source>%n frame(s)</source>
        <translation>
            <numerusform>%n Frame</numerusform>
            <numerusform>%n Frames</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 frames</source>
        <translation>%1 von %2 Frames</translation>
    </message>
</context>
<context>
    <name>SlotScope::ProtocolLogModel</name>
    <message>
        <source>Replayed duplicate (seqId already seen): dropped, not acted on</source>
        <translation>Wiederholtes Duplikat (seqId schon gesehen): verworfen, nicht verarbeitet</translation>
    </message>
    <message>
        <source>in (dropped)</source>
        <translation>ein (verworfen)</translation>
    </message>
    <message>
        <source>in</source>
        <translation>ein</translation>
    </message>
    <message>
        <source>out</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Richtung</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>seqId</source>
        <translation>seqId</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
</context>
<context>
    <name>SlotScope::RefServer</name>
    <message>
        <source>No API key configured for the reference server.</source>
        <translation>Für den Referenzserver ist kein API-Schlüssel konfiguriert.</translation>
    </message>
    <message>
        <source>The available range is empty (start %1 &gt; end %2).</source>
        <translation>Der verfügbare Bereich ist leer (Anfang %1 &gt; Ende %2).</translation>
    </message>
    <message>
        <source>Cannot load transactions from %1: %2</source>
        <translation>Transaktionen aus %1 können nicht geladen werden: %2</translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>Auf %1:%2 kann nicht gelauscht werden: %3</translation>
    </message>
</context>
<context>
    <name>SlotScope::RunChartsView</name>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Save the charts as PNG or SVG</source>
        <translation>Die Diagramme als PNG oder SVG speichern</translation>
    </message>
    <message>
        <source>Transactions/s</source>
        <translation>Transaktionen/s</translation>
    </message>
    <message>
        <source>Slots/s</source>
        <translation>Slots/s</translation>
    </message>
    <message>
        <source>selected</source>
        <translation>ausgewählt</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>Noch kein Lauf</translation>
    </message>
    <message>
        <source>Sampling…</source>
        <translation>Erfasse…</translation>
    </message>
    <message numerus="yes">
        <source>%1: still since %2 · %Ln transaction(s)</source>
        <translation>
            <numerusform>%1: steht seit %2 · %Ln Transaktion</numerusform>
            <numerusform>%1: steht seit %2 · %Ln Transaktionen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 tx/s, %3 slots/s · %Ln transaction(s) in %4 s</source>
        <translation>
            <numerusform>%1: %2 Tx/s, %3 Slots/s · %Ln Transaktion in %4 s</numerusform>
            <numerusform>%1: %2 Tx/s, %3 Slots/s · %Ln Transaktionen in %4 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: ended · %Ln transaction(s) in %2 s, %3 tx/s on average</source>
        <translation>
            <numerusform>%1: beendet · %Ln Transaktion in %2 s, im Mittel %3 Tx/s</numerusform>
            <numerusform>%1: beendet · %Ln Transaktionen in %2 s, im Mittel %3 Tx/s</numerusform>
        </translation>
    </message>
    <message>
        <source> · %1: %2 tx/s, %3 slots/s</source>
        <translation> · %1: %2 Tx/s, %3 Slots/s</translation>
    </message>
    <message>
        <source>Progress, %1 in bold</source>
        <translation>Fortschritt, %1 fett</translation>
    </message>
    <message numerus="yes">
        <source>Progress of %n sub-sessions</source>
        <translation>
            <numerusform>Fortschritt von %n Untersitzung</numerusform>
            <numerusform>Fortschritt von %n Untersitzungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>SlotScope charts</source>
        <translation>SlotScope-Diagramme</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>cannot write %1 (unknown image type or not writable)</source>
        <translation>%1 kann nicht geschrieben werden (unbekannter Bildtyp oder nicht beschreibbar)</translation>
    </message>
    <message>
        <source>Export charts</source>
        <translation>Diagramme exportieren</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg)</translation>
    </message>
    <message>
        <source>The charts could not be saved: %1</source>
        <translation>Die Diagramme konnten nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Charts saved to %1</source>
        <translation>Diagramme gespeichert unter %1</translation>
    </message>
    <message numerus="yes">
        <source>%1: ended · %Ln transaction(s) in %2 s, %3 s of them moving, %4 tx/s while moving</source>
        <translation>
            <numerusform>%1: beendet · %Ln Transaktion in %2 s, davon %3 s in Bewegung, %4 Tx/s in Bewegung</numerusform>
            <numerusform>%1: beendet · %Ln Transaktionen in %2 s, davon %3 s in Bewegung, %4 Tx/s in Bewegung</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: ended without a transaction</source>
        <translation>%1: beendet, ohne eine Transaktion</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>SlotScope::RunDialog</name>
    <message>
        <source>Fetch ranges</source>
        <translation>Bereiche abrufen</translation>
    </message>
    <message>
        <source>New backtest run</source>
        <translation>Neuer Backtest-Lauf</translation>
    </message>
    <message>
        <source>Local simulator (demo)</source>
        <translation>Lokaler Simulator (Demo)</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>Server-URL</translation>
    </message>
    <message>
        <source>wss://host/backtest or a host name</source>
        <translation>wss://host/backtest oder ein Hostname</translation>
    </message>
    <message>
        <source>default: $SIMULATOR_API_KEY</source>
        <translation>Standard: $SIMULATOR_API_KEY</translation>
    </message>
    <message>
        <source>available ranges…</source>
        <translation>verfügbare Bereiche…</translation>
    </message>
    <message>
        <source>program ids; empty = every transaction</source>
        <translation>Programm-IDs; leer = jede Transaktion</translation>
    </message>
    <message>
        <source>program ids whose batches to discover</source>
        <translation>Programm-IDs, deren Batches gefunden werden sollen</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API-&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Slots:</source>
        <translation>S&amp;lots:</translation>
    </message>
    <message>
        <source>Su&amp;bscribe to:</source>
        <translation>&amp;Abonnieren:</translation>
    </message>
    <message>
        <source>&amp;Discover:</source>
        <translation>&amp;Finden:</translation>
    </message>
    <message>
        <source>&amp;Advance:</source>
        <translation>Sch&amp;rittweite:</translation>
    </message>
    <message>
        <source>Disconnect &amp;timeout:</source>
        <translation>Trennungs-&amp;Zeitlimit:</translation>
    </message>
    <message>
        <source>&amp;Capture file:</source>
        <translation>&amp;Mitschnittdatei:</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>S&amp;tarten</translation>
    </message>
    <message>
        <source>Capture file</source>
        <translation>Mitschnittdatei</translation>
    </message>
    <message>
        <source>NDJSON capture (*.ndjson)</source>
        <translation>NDJSON-Mitschnitt (*.ndjson)</translation>
    </message>
    <message>
        <source>No server to ask: enter a URL first.</source>
        <translation>Kein Server zum Fragen: zuerst eine URL eingeben.</translation>
    </message>
    <message>
        <source>Asking %1 …</source>
        <translation>Frage %1 …</translation>
    </message>
    <message>
        <source>Could not fetch ranges: %1</source>
        <translation>Bereiche konnten nicht abgerufen werden: %1</translation>
    </message>
    <message>
        <source>The server lists no ranges.</source>
        <translation>Der Server nennt keine Bereiche.</translation>
    </message>
    <message numerus="yes">
        <source>%n range(s) available.</source>
        <translation>
            <numerusform>%n Bereich verfügbar.</numerusform>
            <numerusform>%n Bereiche verfügbar.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the first and last slot.</source>
        <translation>Den ersten und den letzten Slot eingeben.</translation>
    </message>
    <message>
        <source>Pausing at discoveries needs at least one program to discover.</source>
        <translation>Anhalten bei Funden braucht mindestens ein zu findendes Programm.</translation>
    </message>
    <message>
        <source>&amp;Remember the key for this server in the system keyring</source>
        <translation>Schlüssel für diesen Server im Systemschlüsselbund &amp;merken</translation>
    </message>
    <message>
        <source>Parallel batch: the server splits the range into sub-sessions</source>
        <translation>Paralleler Batch: der Server teilt den Bereich in Untersitzungen auf</translation>
    </message>
    <message>
        <source>Also capture account diffs (accounts owned by the subscribed programs)</source>
        <translation>Auch Kontoänderungen mitschneiden (Konten der abonnierten Programme)</translation>
    </message>
    <message>
        <source>Compress the data plane (zstd)</source>
        <translation>Die Datenebene komprimieren (zstd)</translation>
    </message>
    <message>
        <source>Using $SIMULATOR_API_KEY, which wins over a key in the keyring.</source>
        <translation>Verwende $SIMULATOR_API_KEY, der Vorrang vor einem Schlüssel im Schlüsselbund hat.</translation>
    </message>
    <message>
        <source>Key read from the system keyring.</source>
        <translation>Schlüssel aus dem Systemschlüsselbund gelesen.</translation>
    </message>
    <message>
        <source>No key for this server in the system keyring.</source>
        <translation>Kein Schlüssel für diesen Server im Systemschlüsselbund.</translation>
    </message>
    <message>
        <source>The system keyring is not available (%1): the key cannot be remembered, enter it or set SIMULATOR_API_KEY.</source>
        <translation>Der Systemschlüsselbund ist nicht verfügbar (%1): der Schlüssel kann nicht gespeichert werden; ihn eingeben oder SIMULATOR_API_KEY setzen.</translation>
    </message>
    <message>
        <source>Saving the key in the system keyring …</source>
        <translation>Speichere den Schlüssel im Systemschlüsselbund …</translation>
    </message>
    <message>
        <source>Removing the key from the system keyring …</source>
        <translation>Entferne den Schlüssel aus dem Systemschlüsselbund …</translation>
    </message>
    <message>
        <source>The system keyring did not keep the key (%1). Start again to run without remembering it.</source>
        <translation>Der Systemschlüsselbund hat den Schlüssel nicht gespeichert (%1). Erneut starten, um ohne Speichern zu laufen.</translation>
    </message>
    <message>
        <source>optional, e.g. sol-usdc-baseline</source>
        <translation>optional, z. B. sol-usdc-baseline</translation>
    </message>
    <message>
        <source>The session&apos;s name on the server (a parallel run: the batch&apos;s name): a–z, 0–9, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, at most 100 characters; letters are lower-cased. A name another session holds is refused.</source>
        <translation>Der Name der Sitzung auf dem Server (bei einem parallelen Lauf: der Name des Batches): a–z, 0–9, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;, höchstens 100 Zeichen; Buchstaben werden kleingeschrieben. Ein Name, den eine andere Sitzung trägt, wird abgelehnt.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>How long the server keeps the session after the connection drops (≤ %1 s).</source>
        <translation>Wie lange der Server die Sitzung nach einem Verbindungsabbruch hält (≤ %1 s).</translation>
    </message>
    <message>
        <source>Enter the simulator&apos;s URL or host name.</source>
        <translation>URL oder Hostnamen des Simulators eingeben.</translation>
    </message>
    <message>
        <source>Enter the API key for this server (or start SlotScope with SIMULATOR_API_KEY set).</source>
        <translation>API-Schlüssel für diesen Server eingeben (oder SlotScope mit gesetztem SIMULATOR_API_KEY starten).</translation>
    </message>
    <message>
        <source>Could not read the ranges: %1</source>
        <translation>Bereiche konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The server lists no ranges of blocks.</source>
        <translation>Der Server nennt keine Block-Bereiche.</translation>
    </message>
    <message numerus="yes">
        <source>(%n range(s) of another kind, e.g. account state, not listed.)</source>
        <translation>
            <numerusform>(%n Bereich anderer Art, z. B. Kontostand, nicht aufgeführt.)</numerusform>
            <numerusform>(%n Bereiche anderer Art, z. B. Kontostand, nicht aufgeführt.)</numerusform>
        </translation>
    </message>
    <message>
        <source>The last slot (%L1) is before the first (%L2).</source>
        <translation>Der letzte Slot (%L1) liegt vor dem ersten (%L2).</translation>
    </message>
    <message>
        <source>Capture file: %1.</source>
        <translation>Mitschnittdatei: %1.</translation>
    </message>
    <message>
        <source>%1 is a device, FIFO or socket, not a file: the window reads each transaction back from its capture</source>
        <translation>%1 ist ein Gerät, FIFO oder Socket, keine Datei: das Fenster liest jede Transaktion aus seinem Mitschnitt zurück</translation>
    </message>
    <message>
        <source>This URL carries a credential of its own: its key is not remembered.</source>
        <translation>Diese URL trägt selbst einen Berechtigungsnachweis: ihr Schlüssel wird nicht gespeichert.</translation>
    </message>
    <message>
        <source>Run to End stops before every discovered batch (a Continue-to, so the capture records the pause) and goes on; Continue steps as asked</source>
        <translation>„Bis zum Ende“ hält vor jedem entdeckten Batch (ein Continue-to, damit der Mitschnitt die Pause festhält) und läuft weiter; „Fortsetzen“ geht wie angegeben</translation>
    </message>
    <message>
        <source>Run to End stops at every discovered batch, then goes on</source>
        <translation>„Bis zum Ende“ hält an jedem entdeckten Batch und läuft dann weiter</translation>
    </message>
    <message>
        <source>The system keyring holds another key for this server; the one in the field is used. Tick Remember to replace the keyring&apos;s.</source>
        <translation>Der Systemschlüsselbund hat einen anderen Schlüssel für diesen Server; der im Feld wird verwendet. „Merken“ ankreuzen, um den des Schlüsselbunds zu ersetzen.</translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionCore</name>
    <message>
        <source>subscription %1 failed: %2</source>
        <translation>Abonnement %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>API key rejected by the server</source>
        <translation>API-Schlüssel vom Server abgelehnt</translation>
    </message>
    <message>
        <source>API key rejected by the server (%1)</source>
        <translation>API-Schlüssel vom Server abgelehnt (%1)</translation>
    </message>
    <message>
        <source>session create failed: %1</source>
        <translation>Anlegen der Sitzung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>control connection failed: %1</source>
        <translation>Steuerverbindung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the session has not been started</source>
        <translation>die Sitzung wurde nicht gestartet</translation>
    </message>
    <message>
        <source>the session has completed</source>
        <translation>die Sitzung ist abgeschlossen</translation>
    </message>
    <message>
        <source>the session has failed</source>
        <translation>die Sitzung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>the session was shut down</source>
        <translation>die Sitzung wurde beendet</translation>
    </message>
    <message>
        <source>%1 connection failed: %2</source>
        <translation>%1-Verbindung fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>a Continue is already waiting for the connections</source>
        <translation>ein Continue wartet bereits auf die Verbindungen</translation>
    </message>
    <message>
        <source>a Continue is already in flight</source>
        <translation>ein Continue ist bereits unterwegs</translation>
    </message>
    <message>
        <source>could not send the Continue: %1</source>
        <translation>das Continue konnte nicht gesendet werden: %1</translation>
    </message>
    <message>
        <source>completion drain stalled: subscription %1 failed (%2); the captured stream is incomplete</source>
        <translation>Abschluss-Leerung hängt: Abonnement %1 fehlgeschlagen (%2); der mitgeschnittene Stream ist unvollständig</translation>
    </message>
    <message>
        <source>completion drain stalled: subscription %1 is up but delivered nothing for %2 ms and no end of stream; the captured stream is incomplete</source>
        <translation>Abschluss-Leerung hängt: Abonnement %1 ist verbunden, hat aber %2 ms lang nichts und kein Stream-Ende geliefert; der mitgeschnittene Stream ist unvollständig</translation>
    </message>
    <message>
        <source>cancelled before the session was created</source>
        <translation>abgebrochen, bevor die Sitzung angelegt war</translation>
    </message>
    <message>
        <source>waiting for the session</source>
        <translation>warte auf die Sitzung</translation>
    </message>
    <message>
        <source>%1: no frame from the server for %2 s after its error (%3) with a step in flight; the session is taken as ended</source>
        <translation>%1: %2 s lang kein Frame vom Server nach seinem Fehler (%3), während ein Schritt lief; die Sitzung gilt als beendet</translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionEngine</name>
    <message>
        <source>cannot write the capture: %1</source>
        <translation>der Mitschnitt kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>no running session covers slot %1</source>
        <translation>keine laufende Sitzung umfasst Slot %1</translation>
    </message>
    <message>
        <source>stopped by the user</source>
        <translation>vom Benutzer gestoppt</translation>
    </message>
    <message>
        <source>end of stream</source>
        <translation>Stream-Ende</translation>
    </message>
    <message>
        <source>%1 of %2 sub-sessions failed; first: %3</source>
        <translation>%1 von %2 Untersitzungen fehlgeschlagen; erste: %3</translation>
    </message>
    <message>
        <source>capture write failed: %1</source>
        <translation>Schreiben des Mitschnitts fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>capture could not be completed: %1</source>
        <translation>der Mitschnitt konnte nicht abgeschlossen werden: %1</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>the server refused a step</source>
        <translation>der Server hat einen Schritt abgelehnt</translation>
    </message>
    <message>
        <source>the session is not running</source>
        <translation>die Sitzung läuft nicht</translation>
    </message>
    <message>
        <source>a step could not be sent</source>
        <translation>ein Schritt konnte nicht gesendet werden</translation>
    </message>
    <message>
        <source>sub-session %1: %2 (%3); an unattended run cannot go on</source>
        <translation>Untersitzung %1: %2 (%3); ein unbeaufsichtigter Lauf kann nicht weitermachen</translation>
    </message>
    <message>
        <source>%1 (%2); an unattended run cannot go on</source>
        <translation>%1 (%2); ein unbeaufsichtigter Lauf kann nicht weitermachen</translation>
    </message>
    <message>
        <source>waiting for readyForContinue</source>
        <translation>warte auf readyForContinue</translation>
    </message>
    <message>
        <source>starting runtime, %1</source>
        <translation>Laufzeitumgebung startet, %1</translation>
    </message>
    <message>
        <source>completed on the server; receiving the rest of its stream</source>
        <translation>auf dem Server abgeschlossen; der Rest des Datenstroms wird empfangen</translation>
    </message>
    <message>
        <source>stopped by the user; the server could not be told (its connection is %1), so it keeps the session until its %2 s disconnect timeout</source>
        <translation>vom Benutzer gestoppt; der Server konnte nicht benachrichtigt werden (seine Verbindung ist %1), er behält die Sitzung daher bis zu ihrem Trennungs-Zeitlimit von %2 s</translation>
    </message>
    <message>
        <source>stopped by the user while the server was creating the session; it could not be told, so it keeps what it started until its %1 s disconnect timeout</source>
        <translation>vom Benutzer angehalten, während der Server die Sitzung anlegte; er konnte nicht benachrichtigt werden und behält, was er begonnen hat, bis zu seinem Trennungs-Timeout von %1 s</translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionLabels</name>
    <message>
        <source>batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionModel</name>
    <message>
        <source>%1 (%2/%3 up)</source>
        <translation>%1 (%2/%3 verbunden)</translation>
    </message>
    <message>
        <source>Subscription %1: %2</source>
        <translation>Abonnement %1: %2</translation>
    </message>
    <message>
        <source>Sub-session %1 of run %2</source>
        <translation>Untersitzung %1 von Lauf %2</translation>
    </message>
    <message>
        <source>Run %1 (no session yet)</source>
        <translation>Lauf %1 (noch keine Sitzung)</translation>
    </message>
    <message>
        <source>Session %1 of run %2</source>
        <translation>Sitzung %1 von Lauf %2</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n sub-session(s))</source>
        <translation>
            <numerusform>%1 (%n Untersitzung)</numerusform>
            <numerusform>%1 (%n Untersitzungen)</numerusform>
        </translation>
    </message>
    <message>
        <source>Parallel run %1</source>
        <translation>Paralleler Lauf %1</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Slot range</source>
        <translation>Slot-Bereich</translation>
    </message>
    <message>
        <source>Current slot</source>
        <translation>Aktueller Slot</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>Steuerung</translation>
    </message>
    <message>
        <source>Data plane</source>
        <translation>Datenebene</translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation>Wiederverbindungen</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>Transaktionen</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Duplikate</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Simulation errors</source>
        <translation>Simulationsfehler</translation>
    </message>
    <message>
        <source>Dropped frames</source>
        <translation>Verworfene Frames</translation>
    </message>
    <message>
        <source>%1 (parallel batch)</source>
        <translation>%1 (paralleler Batch)</translation>
    </message>
    <message>
        <source>Parallel run %1 (no sub-session yet)</source>
        <translation>Paralleler Lauf %1 (noch keine Untersitzung)</translation>
    </message>
    <message>
        <source>%1 (0/%2 up)</source>
        <translation>%1 (0/%2 verbunden)</translation>
    </message>
    <message>
        <source>%1 (%2/%3 up, %4 closed)</source>
        <translation>%1 (%2/%3 verbunden, %4 geschlossen)</translation>
    </message>
</context>
<context>
    <name>SlotScope::SessionState</name>
    <message>
        <source>Creating</source>
        <translation>Wird angelegt</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
</context>
<context>
    <name>SlotScope::ShortcutsDialog</name>
    <message>
        <source>%1 (%2)</source>
        <comment>tool tip (shortcut)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Search actions and keys…</source>
        <translation>Aktionen und Tasten suchen…</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between two shortcuts</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>%1 (in %2)</source>
        <comment>action (where it works)</comment>
        <translation>%1 (in %2)</translation>
    </message>
</context>
<context>
    <name>SlotScope::SubscriptionManager</name>
    <message>
        <source>corrupt compressed frame: %1</source>
        <translation>beschädigter komprimierter Frame: %1</translation>
    </message>
    <message>
        <source>subscribe rejected: %1 (code %2)</source>
        <translation>Abonnieren abgelehnt: %1 (Code %2)</translation>
    </message>
    <message>
        <source>end of stream</source>
        <translation>Stream-Ende</translation>
    </message>
    <message>
        <source>undecodable compressed frame (%1); reconnecting with replayFromSlot</source>
        <translation>nicht dekodierbarer komprimierter Frame (%1); Neuverbindung mit replayFromSlot</translation>
    </message>
    <message>
        <source>transactionNotification: %1</source>
        <translation>transactionNotification: %1</translation>
    </message>
    <message>
        <source>the session has completed and its endpoint serves nothing after that; what the stream carried after its drop cannot be replayed</source>
        <translation>die Session ist abgeschlossen und ihr Endpunkt liefert danach nichts mehr; was der Stream nach seinem Abbruch trug, lässt sich nicht erneut abspielen</translation>
    </message>
    <message>
        <source>a transactionNotification on an account-diff subscription</source>
        <translation>eine transactionNotification auf einem Account-Diff-Abonnement</translation>
    </message>
    <message>
        <source>an accountDiffNotification on a transaction subscription</source>
        <translation>eine accountDiffNotification auf einem Transaktionsabonnement</translation>
    </message>
    <message>
        <source>an unknown notification method &quot;%1&quot;</source>
        <translation>eine unbekannte Notification-Methode &quot;%1&quot;</translation>
    </message>
</context>
<context>
    <name>SlotScope::TransactionDetailView</name>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>Raw JSON</source>
        <translation>Roh-JSON</translation>
    </message>
    <message>
        <source>Select a transaction to see its details.</source>
        <translation>Eine Transaktion auswählen, um ihre Details zu sehen.</translation>
    </message>
    <message>
        <source>Cannot read this transaction: %1</source>
        <translation>Diese Transaktion kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>Erfolg</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>nicht gemeldet</translation>
    </message>
    <message>
        <source>Fee payer</source>
        <translation>Gebührenzahler</translation>
    </message>
    <message>
        <source>(this capture keeps no transaction JSON: it was written by `sim run`)</source>
        <translation>(dieser Mitschnitt enthält kein Transaktions-JSON: er wurde von `sim run` geschrieben)</translation>
    </message>
    <message>
        <source>This capture was written by `sim run` and keeps no transaction JSON: shown are the capture&apos;s own fields (status, balance changes, logs); instructions and account flags are not recorded.</source>
        <translation>Dieser Mitschnitt wurde von `sim run` geschrieben und enthält kein Transaktions-JSON: angezeigt werden die eigenen Felder des Mitschnitts (Status, Saldenänderungen, Logs); Instruktionen und Konto-Flags sind nicht aufgezeichnet.</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Failing instruction</source>
        <translation>Fehlgeschlagene Instruktion</translation>
    </message>
    <message>
        <source>Timestamp</source>
        <translation>Zeitstempel</translation>
    </message>
    <message>
        <source>Index in block</source>
        <translation>Index im Block</translation>
    </message>
    <message>
        <source>Fee (SOL)</source>
        <translation>Gebühr (SOL)</translation>
    </message>
    <message>
        <source> of %1 requested</source>
        <translation> von %1 angefordert</translation>
    </message>
    <message>
        <source>Compute units consumed</source>
        <translation>Verbrauchte Compute Units</translation>
    </message>
    <message>
        <source>Cost units</source>
        <translation>Cost Units</translation>
    </message>
    <message>
        <source>Compute unit price</source>
        <translation>Compute-Unit-Preis</translation>
    </message>
    <message>
        <source>%1 micro-lamports per CU (priority fee ◎%2)</source>
        <translation>%1 Mikro-Lamports pro CU (Prioritätsgebühr ◎%2)</translation>
    </message>
    <message>
        <source>Transaction version</source>
        <translation>Transaktionsversion</translation>
    </message>
    <message>
        <source>Recent blockhash</source>
        <translation>Letzter Blockhash</translation>
    </message>
    <message>
        <source>Other signatures</source>
        <translation>Weitere Signaturen</translation>
    </message>
    <message>
        <source>Return data</source>
        <translation>Rückgabedaten</translation>
    </message>
    <message>
        <source>Account Input(s) (%1)</source>
        <translation>Konto-Eingaben (%1)</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Change (SOL)</source>
        <translation>Änderung (SOL)</translation>
    </message>
    <message>
        <source>Post Balance (SOL)</source>
        <translation>Saldo danach (SOL)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Fee Payer</source>
        <translation>Gebührenzahler</translation>
    </message>
    <message>
        <source>Signer</source>
        <translation>Unterzeichner</translation>
    </message>
    <message>
        <source>Writable</source>
        <translation>Beschreibbar</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Programm</translation>
    </message>
    <message>
        <source>Address Table Lookup</source>
        <translation>Adresstabellen-Lookup</translation>
    </message>
    <message>
        <source>Token Balances (%1)</source>
        <translation>Token-Salden (%1)</translation>
    </message>
    <message>
        <source>Token (mint)</source>
        <translation>Token (Mint)</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Post Balance</source>
        <translation>Saldo danach</translation>
    </message>
    <message>
        <source>Instructions (%1 top-level, %2 in all)</source>
        <translation>Instruktionen (%1 oberste Ebene, %2 insgesamt)</translation>
    </message>
    <message>
        <source>This transaction carries no logs.</source>
        <translation>Diese Transaktion enthält keine Logs.</translation>
    </message>
    <message>
        <source>#%1 instruction</source>
        <translation>Instruktion #%1</translation>
    </message>
    <message>
        <source>Program invoked: %1</source>
        <translation>Programm aufgerufen: %1</translation>
    </message>
    <message>
        <source>Program returned success</source>
        <translation>Programm meldete Erfolg</translation>
    </message>
    <message>
        <source>Copy to the clipboard</source>
        <translation>In die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Failed:</source>
        <translation>Fehlgeschlagen:</translation>
    </message>
    <message>
        <source>(decoded by SlotScope)</source>
        <translation>(von SlotScope dekodiert)</translation>
    </message>
    <message>
        <source>Account #%1</source>
        <translation>Konto #%1</translation>
    </message>
    <message>
        <source>Instruction Data (base58)</source>
        <translation>Instruktionsdaten (base58)</translation>
    </message>
    <message>
        <source>copy</source>
        <comment>link beside a value</comment>
        <translation>kopieren</translation>
    </message>
</context>
<context>
    <name>SlotScope::TransactionModel</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 SOL</source>
        <translation>%1 SOL</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Fee (lamports)</source>
        <translation>Gebühr (Lamports)</translation>
    </message>
    <message>
        <source>CU</source>
        <translation>CU</translation>
    </message>
    <message>
        <source>Fee payer</source>
        <translation>Gebührenzahler</translation>
    </message>
    <message>
        <source>Programs</source>
        <translation>Programme</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Compute units consumed</source>
        <translation>Verbrauchte Compute Units</translation>
    </message>
</context>
<context>
    <name>SlotScope::WebSocketConnection</name>
    <message>
        <source>reconnecting</source>
        <translation>verbinde neu</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbinde</translation>
    </message>
    <message>
        <source>cannot connect to %1: not a ws:// or wss:// URL</source>
        <translation>Verbindung zu %1 nicht möglich: keine ws://- oder wss://-URL</translation>
    </message>
    <message>
        <source>API key rejected (HTTP %1)</source>
        <translation>API-Schlüssel abgelehnt (HTTP %1)</translation>
    </message>
    <message>
        <source>HTTP %1 at the WebSocket upgrade</source>
        <translation>HTTP %1 beim WebSocket-Upgrade</translation>
    </message>
    <message>
        <source>remote close: %1</source>
        <translation>von der Gegenseite geschlossen: %1</translation>
    </message>
    <message>
        <source>remote close: %1 (%2)</source>
        <translation>von der Gegenseite geschlossen: %1 (%2)</translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation>Verbindung zu %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>connection lost: %1</source>
        <translation>Verbindung verloren: %1</translation>
    </message>
    <message>
        <source>handshake: %1</source>
        <translation>Handshake: %1</translation>
    </message>
    <message>
        <source>%1 (gave up after 1 attempt)</source>
        <translation>%1 (nach 1 Versuch aufgegeben)</translation>
    </message>
    <message>
        <source>%1 (gave up after %2 attempts)</source>
        <translation>%1 (nach %2 Versuchen aufgegeben)</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>no traffic for %1 ms</source>
        <translation>seit %1 ms kein Verkehr</translation>
    </message>
    <message>
        <source>connect timeout after %1 ms</source>
        <translation>Verbindungs-Zeitlimit nach %1 ms</translation>
    </message>
    <message>
        <source>no response within %1 ms</source>
        <translation>keine Antwort innerhalb von %1 ms</translation>
    </message>
    <message>
        <source>client closing</source>
        <translation>Client schließt</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>reconnect now: waiting for the handshake slot (attempt %1)</source>
        <translation>jetzt neu verbinden: warte auf den Handshake-Platz (Versuch %1)</translation>
    </message>
    <message>
        <source>HTTP 404 at the WebSocket upgrade (no backtest service at this path)</source>
        <translation>HTTP 404 beim WebSocket-Upgrade (kein Backtest-Dienst unter diesem Pfad)</translation>
    </message>
    <message>
        <source>binary frame that is not UTF-8</source>
        <translation>Binär-Frame, der kein UTF-8 ist</translation>
    </message>
    <message>
        <source>remote close with a code Qt %1 does not accept (1012-2999, e.g. 1012 service restart; Qt: %2)</source>
        <translation>Schließen durch die Gegenseite mit einem Code, den Qt %1 nicht annimmt (1012-2999, z. B. 1012 Dienstneustart; Qt: %2)</translation>
    </message>
    <message>
        <source>cannot connect to %1: HTTP %2 at the WebSocket upgrade: %3</source>
        <translation>Verbindung zu %1 nicht möglich: HTTP %2 beim WebSocket-Upgrade: %3</translation>
    </message>
    <message>
        <source>waiting for the other subscriptions to finish or fall silent (attempt %1)</source>
        <translation>wartet, bis die anderen Abonnements enden oder verstummen (Versuch %1)</translation>
    </message>
</context>
<context>
    <name>SlotSpinBox</name>
    <message numerus="yes">
        <source>%n slot(s)</source>
        <translation>
            <numerusform>%n Slot</numerusform>
            <numerusform>%n Slots</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Start a run on the embedded demo simulator right away.</source>
        <translation>Sofort einen Lauf auf dem eingebauten Demo-Simulator starten.</translation>
    </message>
    <message>
        <source>--csv applies to --headless runs; export from the window</source>
        <translation>--csv gilt für --headless-Läufe; im Fenster über den Export exportieren</translation>
    </message>
    <message>
        <source>slotscope: error: %1
</source>
        <translation>slotscope: Fehler: %1
</translation>
    </message>
    <message>
        <source>Step, watch and capture Solana backtests.
Without a window: slotscope --headless --help</source>
        <translation>Solana-Backtests schrittweise ausführen, beobachten und mitschneiden.
Ohne Fenster: slotscope --headless --help</translation>
    </message>
    <message>
        <source>Captures to open (NAME.ndjson, or a sim run output).</source>
        <translation>Zu öffnende Mitschnitte (NAME.ndjson oder eine Ausgabe von sim run).</translation>
    </message>
    <message>
        <source>slotscope: error: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); to run without a window, add --headless (slotscope --headless --help)
</source>
        <translation>slotscope: Fehler: kein Bildschirm für das Fenster (weder DISPLAY noch WAYLAND_DISPLAY ist gesetzt); ohne Fenster mit --headless starten (slotscope --headless --help)
</translation>
    </message>
</context>
</TS>

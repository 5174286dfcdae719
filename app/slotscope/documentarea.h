#pragma once

#include "appsettings.h"

#include <QTabWidget>

class QMainWindow;
class QMenu;
class QMenuBar;

namespace SlotScope {

class CaptureView;
class CompareView;

/// The window's documents (issue 12 items 1–2): the live run is the first
/// tab; captures opened offline and comparisons open as further tabs, each
/// marked as what it is. Adds the File menu — Open… (Ctrl+O), Open Recent,
/// Compare Runs… (Ctrl+Shift+C), Close Tab (Ctrl+W) — and opens files dropped
/// on the window. The recent list is AppSettings' `recentCaptures` (newest
/// first, at most maxRecent; Preferences shows it too). While a document tab is current the
/// live run's docks are hidden (they show the live run, not the document:
/// each document has its own panels) and come back with the Live run tab.
class DocumentArea : public QTabWidget
{
    Q_OBJECT

public:
    static constexpr int maxRecent = AppSettings::maxRecentCaptures;

    /// Takes the window's central widget as the "Live run" tab and becomes the
    /// central widget; installs the File menu first in the window's menu bar.
    explicit DocumentArea(QMainWindow *window);

    /// Opens `path` in a new tab (or shows the tab it is already open in) and
    /// records it in the recent list.
    CaptureView *openCapture(const QString &path);
    /// Reads `view`'s capture again into a new tab in its place (its stale
    /// banner's Reload, File ▸ Reload Capture); the old tab goes. A capture
    /// that no longer exists is not read: `view` stays, and the status bar
    /// says why. nullptr when `view` is no tab here.
    CaptureView *reloadCapture(CaptureView *view);
    /// Compares two captures in a new tab; both enter the recent list once
    /// the comparison succeeded (a file that is no capture does not).
    CompareView *compare(const QString &baselinePath, const QString &experimentPath);
    /// The captures Compare Runs offers, newest first: the live run's, the
    /// open tabs' (the last opened first), the recent ones; absolute paths,
    /// each once. The first is the suggested experiment, the second the
    /// baseline (`slotscope a.ndjson b.ndjson`: a against b).
    QStringList knownCaptures() const;
    /// The open capture tabs, in tab order.
    QList<CaptureView *> captureViews() const;

    /// Asks for a capture file (File ▸ Open).
    void openWithDialog();
    /// Asks for a baseline and an experiment (File ▸ Compare Runs).
    void compareWithDialog();
    /// Closes a document tab (never the live run).
    void closeDocument(int index);

    /// The file dialogs' filter for captures (NDJSON, and `sim`'s run files).
    static QString captureFileFilter();
    static QStringList recentCaptures();
    static void addRecentCapture(const QString &path);

    QMenu *fileMenu() const { return m_fileMenu; }
    QMenu *recentMenu() const { return m_recentMenu; }

    /// The live capture's path, offered as a baseline or experiment.
    void setLiveCapturePath(const QString &path) { m_livePath = path; }
    /// Whether the live run is still writing it (Compare Runs and its tab say so).
    void setLiveCaptureWritten(bool writing);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// The live capture's absolute path while the live run writes it, else "".
    QString captureBeingWritten() const;
    /// A new capture tab on `absolute` at tab index `at`, made current.
    CaptureView *addCaptureView(const QString &absolute, int at);
    void onCurrentChanged(int index);
    void rebuildRecentMenu();
    void showStatus(const QString &message);
    /// A document tab's minimum size, small (see the .cpp).
    static void keepSmall(QWidget *document);

    QMainWindow *m_window;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QString m_livePath;
    bool m_liveWriting = false;
    /// Docks of the live run hidden while a document tab is current, to be shown again.
    QList<QWidget *> m_hiddenDocks;
    /// The window's dock layout when a document tab took over
    /// (QMainWindow::saveState()): put back with the live run's tab, which
    /// dock of a tabbed group was in front included.
    QByteArray m_liveLayout;
};

} // namespace SlotScope

#pragma once

#include "engine/runconfig.h"
#include "net/connectionpolicy.h"

#include <QByteArray>
#include <QHash>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <optional>

class QMainWindow;

namespace SlotScope {

/// What a window's layout is made of: geometry, dock and toolbar state, the
/// header state (column widths, order, visibility, sort) of every item view and
/// the sizes of every splitter that has an objectName.
struct WindowLayout
{
    QByteArray geometry;
    QByteArray state;
    QHash<QString, QByteArray> headers;   ///< view objectName → QHeaderView::saveState()
    QHash<QString, QByteArray> splitters; ///< splitter objectName → QSplitter::saveState()

    static WindowLayout capture(const QMainWindow *window);
    /// Applies what is there; a view whose column count changed since keeps
    /// its columns (a header state of another shape would misplace sections).
    void applyTo(QMainWindow *window) const;
};

/// The defaults a user tunes in Preferences (DESIGN.md §1 "Settings").
/// Durations carry their unit in the name.
/// The range a number of Preferences may take: what the Preferences dialog
/// offers, and what AppSettings::preferences() accepts from the file (a value
/// outside it, or no number at all, is read as the default).
struct PreferenceRange
{
    int min;
    int max;
    bool contains(int value) const { return value >= min && value <= max; }
};

struct Preferences
{
    QString captureDirectory;          ///< "" = defaultCaptureDirectory()
    int liveTableWindow = 500000;      ///< rows kept in the live transaction table (TransactionModel window)
    int connectTimeoutSecs = 30;       ///< ConnectionPolicy::connectTimeout
    int initialBackoffMs = 1000;       ///< ConnectionPolicy::initialBackoff
    int maxBackoffSecs = 30;           ///< ConnectionPolicy::maxBackoff
    int maxAttempts = 20;              ///< ConnectionPolicy::maxAttempts (per budget)
    int maxTotalSecs = 300;            ///< ConnectionPolicy::maxTotal (per budget)
    /// A run over more slots than this asks before it starts (issue 9).
    int largeRangeSlots = int(RunConfig::defaultLargeRangeSlots);
    QString language;                  ///< "" = follow the system locale, else a BCP 47 name ("de", "en")

    /// The directory new captures go to: captureDirectory, or
    /// …/SlotScope/captures under the user's data directory when empty.
    QString effectiveCaptureDirectory() const;
    /// `base` with the tunable reconnect values replaced by these.
    ConnectionPolicy applyTo(ConnectionPolicy base) const;

    static QString defaultCaptureDirectory();
    bool operator==(const Preferences &) const = default;

    static constexpr PreferenceRange liveTableWindowRange{1000, 50'000'000};
    static constexpr PreferenceRange largeRangeSlotsRange{1, 2'000'000'000};
    static constexpr PreferenceRange connectTimeoutSecsRange{1, 600};
    static constexpr PreferenceRange initialBackoffMsRange{10, 60'000};
    static constexpr PreferenceRange maxBackoffSecsRange{1, 3600};
    static constexpr PreferenceRange maxAttemptsRange{1, 10'000};
    static constexpr PreferenceRange maxTotalSecsRange{1, 86'400};
};

/// SlotScope's persistent settings (QSettings, organisation and application
/// "SlotScope"; ~/.config/SlotScope/SlotScope.conf on Linux). Holds the window
/// layout, the last run configuration without its API key, recent targets, the
/// advance count and the Preferences. API keys never go here: they live in the
/// system keyring (ApiKeyStore). Tests redirect the file with
/// QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir).
///
/// Cheap to construct: make one where it is needed, do not keep it around.
class AppSettings
{
public:
    AppSettings();

    /// The settings file's path (shown in the About dialog).
    QString fileName() const;
    void sync();

    /// The window layout saved last; nullopt when none was (first start, or
    /// after Reset Layout).
    std::optional<WindowLayout> windowLayout() const;
    void setWindowLayout(const WindowLayout &layout);
    void clearWindowLayout();

    /// The last run started from the window, without apiKey and capturePath
    /// (a new run gets a fresh capture file), and without a URL that carries
    /// a credential (an older version stored one); nullopt before the first run.
    std::optional<RunConfig> lastRunConfig() const;
    void setLastRunConfig(const RunConfig &config);

    /// Server URLs used, newest first, at most MaxRecentTargets.
    QStringList recentTargets() const;
    void addRecentTarget(const QString &url);
    static constexpr int MaxRecentTargets = 10;

    /// The stepping toolbar's advance count (slots per Continue); 0 = unset.
    int advanceCount() const;
    void setAdvanceCount(int count);

    /// Recently opened captures (key `recentCaptures`, kept by File ▸ Open).
    QStringList recentCaptures() const;
    /// Puts `path` (made absolute) first in the recent captures, without
    /// repeats, keeping at most maxRecentCaptures.
    void addRecentCapture(const QString &path);
    static constexpr int maxRecentCaptures = 10;
    void clearRecentCaptures();

    /// Targets whose API key the user asked to remember in the keyring (URLs
    /// only; the keys themselves are in the keyring), each as the keyring
    /// names it (backtestWsUrl(): "host" and "wss://host/backtest" are one).
    QStringList rememberedKeyTargets() const;
    bool isKeyRemembered(const QString &url) const;
    void setKeyRemembered(const QString &url, bool remembered);

    /// Removes from the file what an older version kept in plain text: URLs
    /// that carry a credential (carriesCredential()) among the recent targets,
    /// the last run and the remembered-key targets. Called once at start.
    /// Returns the remembered-key targets dropped: their keyring entries are
    /// the caller's to remove (no Preferences list reaches them any more).
    QStringList dropStoredCredentials();

    Preferences preferences() const;
    void setPreferences(const Preferences &preferences);

private:
    mutable QSettings m_settings;
};

} // namespace SlotScope

#include "appsettings.h"

#include "net/overloaded.h"
#include "protocol/urls.h"

#include <QFileInfo>

#include <QAbstractItemView>
#include <QHeaderView>
#include <QMainWindow>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTreeView>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;
using namespace std::chrono;

namespace SlotScope {

namespace {

// Bumped when the dock set changes so much that an old state would confuse
// QMainWindow::restoreState (it then keeps the defaults).
constexpr int LayoutVersion = 1;

QHeaderView *columnHeader(QAbstractItemView *view)
{
    if (auto *table = qobject_cast<QTableView *>(view))
        return table->horizontalHeader();
    if (auto *tree = qobject_cast<QTreeView *>(view))
        return tree->header();
    return nullptr;
}

// Every named item view of the window, keyed by its objectName; a name used
// twice is ambiguous and skipped.
QHash<QString, QHeaderView *> namedHeaders(const QMainWindow *window)
{
    QHash<QString, QHeaderView *> headers;
    QSet<QString> ambiguous;
    const QList<QAbstractItemView *> views = window->findChildren<QAbstractItemView *>();
    for (QAbstractItemView *view : views) {
        QHeaderView *header = columnHeader(view);
        if (!header || view->objectName().isEmpty())
            continue;
        if (headers.contains(view->objectName()))
            ambiguous.insert(view->objectName());
        headers.insert(view->objectName(), header);
    }
    for (const QString &name : std::as_const(ambiguous))
        headers.remove(name);
    return headers;
}

QStringList prepended(QStringList list, const QString &value, int max)
{
    list.removeAll(value);
    list.prepend(value);
    while (list.size() > max)
        list.removeLast();
    return list;
}

// The RunConfig fields stored as they are (keys under run/last), for
// lastRunConfig() to read and setLastRunConfig() to write.
template<typename Config, typename Visit>
void visitPlainRunFields(Config &config, Visit &&visit)
{
    visit(u"url"_s, config.url);
    visit(u"startSlot"_s, config.startSlot);
    visit(u"endSlot"_s, config.endSlot);
    visit(u"parallel"_s, config.parallel);
    visit(u"subscribePrograms"_s, config.subscribePrograms);
    visit(u"accountDiffs"_s, config.accountDiffs);
    visit(u"zstd"_s, config.zstd);
    visit(u"discoverPrograms"_s, config.discoverPrograms);
    visit(u"pauseAtDiscoveries"_s, config.pauseAtDiscoveries);
}

// Every Preferences field, its key and the lower bound a number is clamped to
// when read, for preferences() to read and setPreferences() to write.
template<typename Prefs, typename Visit>
void visitPreferences(Prefs &p, Visit &&visit)
{
    visit(u"captureDirectory"_s, p.captureDirectory, 0);
    visit(u"liveTableWindow"_s, p.liveTableWindow, 1000);
    visit(u"reconnect/connectTimeoutSecs"_s, p.connectTimeoutSecs, 1);
    visit(u"reconnect/initialBackoffMs"_s, p.initialBackoffMs, 1);
    visit(u"reconnect/maxBackoffSecs"_s, p.maxBackoffSecs, 1);
    visit(u"reconnect/maxAttempts"_s, p.maxAttempts, 1);
    visit(u"reconnect/maxTotalSecs"_s, p.maxTotalSecs, 1);
    visit(u"language"_s, p.language, 0);
    visit(u"largeRangeSlots"_s, p.largeRangeSlots, 1);
}

} // namespace

WindowLayout WindowLayout::capture(const QMainWindow *window)
{
    WindowLayout layout;
    layout.geometry = window->saveGeometry();
    layout.state = window->saveState(LayoutVersion);
    const QHash<QString, QHeaderView *> headers = namedHeaders(window);
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        layout.headers.insert(it.key(), it.value()->saveState());
    const QList<QSplitter *> splitters = window->findChildren<QSplitter *>();
    for (const QSplitter *splitter : splitters) {
        if (!splitter->objectName().isEmpty())
            layout.splitters.insert(splitter->objectName(), splitter->saveState());
    }
    return layout;
}

void WindowLayout::applyTo(QMainWindow *window) const
{
    if (!geometry.isEmpty())
        window->restoreGeometry(geometry);
    if (!state.isEmpty())
        window->restoreState(state, LayoutVersion);
    const QHash<QString, QHeaderView *> named = namedHeaders(window);
    for (auto it = named.cbegin(); it != named.cend(); ++it) {
        const QByteArray saved = headers.value(it.key());
        if (saved.isEmpty())
            continue;
        QHeaderView *header = it.value();
        const QByteArray before = header->saveState();
        if (!header->restoreState(saved) || header->count() != header->model()->columnCount())
            header->restoreState(before);
    }
    const QList<QSplitter *> all = window->findChildren<QSplitter *>();
    for (QSplitter *splitter : all) {
        if (const QByteArray saved = splitters.value(splitter->objectName()); !saved.isEmpty())
            splitter->restoreState(saved);
    }
}

QString Preferences::defaultCaptureDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/captures"_s;
}

QString Preferences::effectiveCaptureDirectory() const
{
    return captureDirectory.isEmpty() ? defaultCaptureDirectory() : captureDirectory;
}

ConnectionPolicy Preferences::applyTo(ConnectionPolicy base) const
{
    base.connectTimeout = seconds{connectTimeoutSecs};
    base.maxBackoff = seconds{maxBackoffSecs};
    // The first retry waits no longer than the longest (as the dialog limits
    // it; settings saved before that, or by hand, are held to it here).
    base.initialBackoff = std::min<milliseconds>(milliseconds{initialBackoffMs}, base.maxBackoff);
    base.maxAttempts = maxAttempts;
    base.maxTotal = seconds{maxTotalSecs};
    return base;
}

AppSettings::AppSettings()
    : m_settings(QSettings::NativeFormat, QSettings::UserScope, u"SlotScope"_s, u"SlotScope"_s)
{
}

QString AppSettings::fileName() const
{
    return m_settings.fileName();
}

void AppSettings::sync()
{
    m_settings.sync();
}

std::optional<WindowLayout> AppSettings::windowLayout() const
{
    m_settings.beginGroup(u"window"_s);
    std::optional<WindowLayout> layout;
    if (m_settings.value(u"version"_s).toInt() == LayoutVersion && m_settings.contains(u"geometry"_s)) {
        layout.emplace();
        layout->geometry = m_settings.value(u"geometry"_s).toByteArray();
        layout->state = m_settings.value(u"state"_s).toByteArray();
        for (const auto &[group, map] : {std::pair{u"headers"_s, &layout->headers}, {u"splitters"_s, &layout->splitters}}) {
            m_settings.beginGroup(group);
            const QStringList names = m_settings.childKeys();
            for (const QString &name : names)
                map->insert(name, m_settings.value(name).toByteArray());
            m_settings.endGroup();
        }
    }
    m_settings.endGroup();
    return layout;
}

void AppSettings::setWindowLayout(const WindowLayout &layout)
{
    clearWindowLayout();
    m_settings.beginGroup(u"window"_s);
    m_settings.setValue(u"version"_s, LayoutVersion);
    m_settings.setValue(u"geometry"_s, layout.geometry);
    m_settings.setValue(u"state"_s, layout.state);
    for (const auto &[group, map] : {std::pair{u"headers"_s, &layout.headers}, {u"splitters"_s, &layout.splitters}}) {
        m_settings.beginGroup(group);
        for (auto it = map->cbegin(); it != map->cend(); ++it)
            m_settings.setValue(it.key(), it.value());
        m_settings.endGroup();
    }
    m_settings.endGroup();
}

void AppSettings::clearWindowLayout()
{
    m_settings.remove(u"window"_s);
}

std::optional<RunConfig> AppSettings::lastRunConfig() const
{
    m_settings.beginGroup(u"run/last"_s);
    if (!m_settings.contains(u"target"_s)) {
        m_settings.endGroup();
        return std::nullopt;
    }
    RunConfig config;
    config.target = m_settings.value(u"target"_s).toString() == u"url"_s ? RunConfig::Target::Url
                                                                        : RunConfig::Target::Demo;
    visitPlainRunFields(config, [this](const QString &key, auto &field) {
        using Field = std::remove_reference_t<decltype(field)>;
        field = m_settings.value(key, QVariant::fromValue(field)).template value<Field>();
    });
    // Breakpoints in their command-line form (DiscoveryBreakpoint::toSpec());
    // one that no longer parses, or whose program is no longer discovered, is dropped.
    for (const QString &spec : m_settings.value(u"breakpoints"_s).toStringList()) {
        const Result<DiscoveryBreakpoint> breakpoint = DiscoveryBreakpoint::fromSpec(spec);
        if (breakpoint && config.discoverPrograms.contains(breakpoint->program))
            config.breakpoints.append(*breakpoint);
    }
    config.advanceCount = qMax<quint64>(1, m_settings.value(u"advanceCount"_s, config.advanceCount).toULongLong());
    const uint disconnectTimeout = m_settings.value(u"disconnectTimeoutSecs"_s, config.disconnectTimeoutSecs).toUInt();
    config.disconnectTimeoutSecs = quint16(qMin<uint>(kMaxDisconnectTimeoutSecs, disconnectTimeout));
    const uint capacityWait = m_settings.value(u"capacityWaitTimeoutSecs"_s, config.capacityWaitTimeoutSecs).toUInt();
    config.capacityWaitTimeoutSecs = quint16(qMin<uint>(std::numeric_limits<quint16>::max(), capacityWait));
    m_settings.endGroup();
    return config;
}

void AppSettings::setLastRunConfig(const RunConfig &config)
{
    // Deliberately no apiKey (keyring only) and no capturePath (fresh per run).
    m_settings.remove(u"run/last"_s);
    m_settings.beginGroup(u"run/last"_s);
    m_settings.setValue(u"target"_s, config.target == RunConfig::Target::Url ? u"url"_s : u"demo"_s);
    visitPlainRunFields(config, [this](const QString &key, const auto &field) { m_settings.setValue(key, field); });
    // A URL that carries a credential (?token=…, user:password@) stays out of
    // the plain-text settings, as the API key does: next time the field is empty.
    if (carriesCredential(config.url))
        m_settings.remove(u"url"_s);
    QStringList breakpoints;
    for (const DiscoveryBreakpoint &breakpoint : config.breakpoints) {
        if (!breakpoint.isPlain())
            breakpoints.append(breakpoint.toSpec());
    }
    m_settings.setValue(u"breakpoints"_s, breakpoints);
    m_settings.setValue(u"advanceCount"_s, config.advanceCount);
    m_settings.setValue(u"disconnectTimeoutSecs"_s, config.disconnectTimeoutSecs);
    m_settings.setValue(u"capacityWaitTimeoutSecs"_s, config.capacityWaitTimeoutSecs);
    m_settings.endGroup();
}

QStringList AppSettings::recentTargets() const
{
    // Kept out since they were ever written (an older version stored them).
    QStringList targets = m_settings.value(u"run/recentTargets"_s).toStringList();
    targets.removeIf([](const QString &url) { return carriesCredential(url); });
    return targets;
}

void AppSettings::addRecentTarget(const QString &url)
{
    if (url.trimmed().isEmpty() || carriesCredential(url))
        return; // a credential is not kept in plain text (setLastRunConfig())
    m_settings.setValue(u"run/recentTargets"_s, prepended(recentTargets(), url.trimmed(), MaxRecentTargets));
}

int AppSettings::advanceCount() const
{
    return m_settings.value(u"stepping/advanceCount"_s, 0).toInt();
}

void AppSettings::setAdvanceCount(int count)
{
    m_settings.setValue(u"stepping/advanceCount"_s, count);
}

QStringList AppSettings::recentCaptures() const
{
    return m_settings.value(u"recentCaptures"_s).toStringList();
}

void AppSettings::addRecentCapture(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_settings.setValue(u"recentCaptures"_s, prepended(recentCaptures(), absolute, maxRecentCaptures));
}

void AppSettings::clearRecentCaptures()
{
    m_settings.remove(u"recentCaptures"_s);
}

QStringList AppSettings::rememberedKeyTargets() const
{
    return m_settings.value(u"keyring/targets"_s).toStringList();
}

void AppSettings::setKeyRemembered(const QString &url, bool remembered)
{
    QStringList targets = rememberedKeyTargets();
    targets.removeAll(url);
    if (remembered && !carriesCredential(url)) // RunDialog does not offer it for one
        targets.prepend(url);
    if (targets.isEmpty())
        m_settings.remove(u"keyring/targets"_s);
    else
        m_settings.setValue(u"keyring/targets"_s, targets);
}

Preferences AppSettings::preferences() const
{
    Preferences p;
    m_settings.beginGroup(u"preferences"_s);
    visitPreferences(p, Internal::Overloaded{
        [this](const QString &key, QString &field, int) { field = m_settings.value(key, field).toString(); },
        [this](const QString &key, int &field, int min) { field = qMax(min, m_settings.value(key, field).toInt()); },
    });
    m_settings.endGroup();
    return p;
}

void AppSettings::setPreferences(const Preferences &p)
{
    m_settings.beginGroup(u"preferences"_s);
    visitPreferences(p, [this](const QString &key, const auto &field, int) { m_settings.setValue(key, field); });
    m_settings.endGroup();
}

} // namespace SlotScope

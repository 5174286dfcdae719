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

// Every Preferences field, its key and (numbers) the range it is read in,
// for preferences() to read and setPreferences() to write.
template<typename Prefs, typename Visit>
void visitPreferences(Prefs &p, Visit &&visit)
{
    constexpr PreferenceRange text{0, 0}; // unused for strings
    visit(u"captureDirectory"_s, p.captureDirectory, text);
    visit(u"liveTableWindow"_s, p.liveTableWindow, Preferences::liveTableWindowRange);
    visit(u"reconnect/connectTimeoutSecs"_s, p.connectTimeoutSecs, Preferences::connectTimeoutSecsRange);
    visit(u"reconnect/initialBackoffMs"_s, p.initialBackoffMs, Preferences::initialBackoffMsRange);
    visit(u"reconnect/maxBackoffSecs"_s, p.maxBackoffSecs, Preferences::maxBackoffSecsRange);
    visit(u"reconnect/maxAttempts"_s, p.maxAttempts, Preferences::maxAttemptsRange);
    visit(u"reconnect/maxTotalSecs"_s, p.maxTotalSecs, Preferences::maxTotalSecsRange);
    visit(u"language"_s, p.language, text);
    visit(u"largeRangeSlots"_s, p.largeRangeSlots, Preferences::largeRangeSlotsRange);
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
        const QVariant stored = m_settings.value(key, QVariant::fromValue(field));
        if constexpr (std::is_same_v<Field, bool>) {
            // QVariant calls any text but "", "0" and "false" true: "maybe" is no choice.
            const QString text = stored.toString().toLower();
            if (text == u"true"_s || text == u"1"_s)
                field = true;
            else if (text == u"false"_s || text == u"0"_s)
                field = false;
        } else {
            field = stored.template value<Field>();
        }
    });
    if (carriesCredential(config.url))
        config.url.clear(); // stored by an older version: not offered again
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
    QStringList targets;
    for (const QString &stored : m_settings.value(u"keyring/targets"_s).toStringList()) {
        const QString target = backtestWsUrl(stored);
        if (!carriesCredential(target) && !targets.contains(target))
            targets.append(target);
    }
    return targets;
}

bool AppSettings::isKeyRemembered(const QString &url) const
{
    return rememberedKeyTargets().contains(backtestWsUrl(url));
}

void AppSettings::setKeyRemembered(const QString &url, bool remembered)
{
    const QString target = backtestWsUrl(url);
    QStringList targets = rememberedKeyTargets();
    targets.removeAll(target);
    if (remembered && !carriesCredential(target)) // RunDialog does not offer it for one
        targets.prepend(target);
    if (targets.isEmpty())
        m_settings.remove(u"keyring/targets"_s);
    else
        m_settings.setValue(u"keyring/targets"_s, targets);
}

QStringList AppSettings::dropStoredCredentials()
{
    QStringList droppedKeyTargets;
    const auto carrying = [](const QStringList &urls) {
        return std::any_of(urls.cbegin(), urls.cend(), [](const QString &url) { return carriesCredential(url); });
    };
    if (carrying(m_settings.value(u"run/recentTargets"_s).toStringList()))
        m_settings.setValue(u"run/recentTargets"_s, recentTargets());
    if (carriesCredential(m_settings.value(u"run/last/url"_s).toString()))
        m_settings.remove(u"run/last/url"_s);
    if (const QStringList stored = m_settings.value(u"keyring/targets"_s).toStringList();
        carrying(stored) || stored != rememberedKeyTargets()) {
        for (const QString &target : stored) {
            if (carriesCredential(backtestWsUrl(target)))
                droppedKeyTargets.append(target);
        }
        const QStringList targets = rememberedKeyTargets();
        if (targets.isEmpty())
            m_settings.remove(u"keyring/targets"_s);
        else
            m_settings.setValue(u"keyring/targets"_s, targets);
    }
    return droppedKeyTargets;
}

Preferences AppSettings::preferences() const
{
    Preferences p;
    m_settings.beginGroup(u"preferences"_s);
    visitPreferences(p, Internal::Overloaded{
        [this](const QString &key, QString &field, PreferenceRange) { field = m_settings.value(key, field).toString(); },
        [this](const QString &key, int &field, PreferenceRange range) {
            // Edited by hand or by another version: what is no number in range
            // is the default, not the nearest bound (0 attempts is no "1").
            bool ok = false;
            const int value = m_settings.value(key, field).toInt(&ok);
            if (ok && range.contains(value))
                field = value;
        },
    });
    m_settings.endGroup();
    return p;
}

void AppSettings::setPreferences(const Preferences &p)
{
    m_settings.beginGroup(u"preferences"_s);
    visitPreferences(p, [this](const QString &key, const auto &field, PreferenceRange) { m_settings.setValue(key, field); });
    m_settings.endGroup();
}

} // namespace SlotScope

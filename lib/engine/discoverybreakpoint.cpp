#include "engine/discoverybreakpoint.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("SlotScope::DiscoveryBreakpoint", text);
}

std::optional<quint64> number(QStringView text)
{
    bool ok = false;
    const quint64 value = text.toULongLong(&ok);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

} // namespace

QString breakpointActionName(BreakpointAction action)
{
    switch (action) {
    case BreakpointAction::Pause: return u"pause"_s;
    case BreakpointAction::Log: return u"log"_s;
    case BreakpointAction::Skip: return u"skip"_s;
    }
    return {};
}

DiscoveryBreakpoint DiscoveryBreakpoint::forProgram(const QString &program)
{
    DiscoveryBreakpoint breakpoint;
    breakpoint.program = program;
    return breakpoint;
}

bool DiscoveryBreakpoint::isPlain() const
{
    return *this == forProgram(program);
}

bool DiscoveryBreakpoint::coversSlot(quint64 slot) const
{
    return (!fromSlot || slot >= *fromSlot) && (!toSlot || slot <= *toSlot);
}

bool DiscoveryBreakpoint::matches(const DiscoveryBatchEvent &batch) const
{
    return std::any_of(batch.matched.cbegin(), batch.matched.cend(), [this](const DiscoveryFilter &filter) {
        return filter.kind == DiscoveryFilter::Kind::ProgramExecuted && filter.program == program;
    });
}

QString DiscoveryBreakpoint::toSpec() const
{
    QString spec = program;
    if (skipHits > 0)
        spec += u",skip="_s + QString::number(skipHits);
    if (logOnly)
        spec += u",log"_s;
    if (fromSlot || toSlot) {
        spec += u",slots="_s + (fromSlot ? QString::number(*fromSlot) : QString()) + u'-'
                + (toSlot ? QString::number(*toSlot) : QString());
    }
    if (!enabled)
        spec += u",off"_s;
    return spec;
}

Result<DiscoveryBreakpoint> DiscoveryBreakpoint::fromSpec(const QString &spec)
{
    const QStringList parts = spec.split(u',');
    DiscoveryBreakpoint breakpoint;
    breakpoint.program = parts.first().trimmed();
    if (breakpoint.program.isEmpty())
        return makeError(translate("breakpoint \"%1\": no program").arg(spec));
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString option = parts.at(i).trimmed();
        if (option == u"log") {
            breakpoint.logOnly = true;
        } else if (option == u"off") {
            breakpoint.enabled = false;
        } else if (option.startsWith(u"skip=")) {
            const auto n = number(QStringView(option).mid(5));
            if (!n)
                return makeError(translate("breakpoint \"%1\": skip needs a count").arg(spec));
            breakpoint.skipHits = *n;
        } else if (option.startsWith(u"slots=")) {
            const QStringView range = QStringView(option).mid(6);
            const qsizetype dash = range.indexOf(u'-');
            if (dash < 0)
                return makeError(translate("breakpoint \"%1\": slots needs FROM-TO").arg(spec));
            const QStringView from = range.left(dash);
            const QStringView to = range.mid(dash + 1);
            if (!from.isEmpty() && !(breakpoint.fromSlot = number(from)))
                return makeError(translate("breakpoint \"%1\": %2 is not a slot").arg(spec, from.toString()));
            if (!to.isEmpty() && !(breakpoint.toSlot = number(to)))
                return makeError(translate("breakpoint \"%1\": %2 is not a slot").arg(spec, to.toString()));
            if (breakpoint.fromSlot && breakpoint.toSlot && *breakpoint.fromSlot > *breakpoint.toSlot)
                return makeError(translate("breakpoint \"%1\": the slot range is inverted").arg(spec));
        } else {
            return makeError(translate("breakpoint \"%1\": unknown option \"%2\" (skip=N, log, slots=A-B, off)")
                                 .arg(spec, option));
        }
    }
    return breakpoint;
}

QList<DiscoveryBreakpoint> BreakpointList::effective(const QStringList &discoverPrograms,
                                                     const QList<DiscoveryBreakpoint> &configured)
{
    QList<DiscoveryBreakpoint> out;
    for (const QString &program : discoverPrograms) {
        const auto it = std::find_if(configured.cbegin(), configured.cend(),
                                     [&](const DiscoveryBreakpoint &b) { return b.program == program; });
        out.append(it != configured.cend() ? *it : DiscoveryBreakpoint::forProgram(program));
    }
    return out;
}

void BreakpointList::setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints)
{
    QList<quint64> hits;
    for (const DiscoveryBreakpoint &breakpoint : breakpoints)
        hits.append(this->hits(breakpoint.program));
    m_breakpoints = breakpoints;
    m_hits = std::move(hits);
}

QList<BreakpointHit> BreakpointList::evaluate(const DiscoveryBatchEvent &batch, const QStringList &alreadyCounted)
{
    QList<BreakpointHit> out;
    for (qsizetype i = 0; i < m_breakpoints.size(); ++i) {
        const DiscoveryBreakpoint &breakpoint = m_breakpoints.at(i);
        if (!breakpoint.enabled || !breakpoint.coversSlot(batch.slot) || !breakpoint.matches(batch)
            || alreadyCounted.contains(breakpoint.program))
            continue;
        const quint64 hit = ++m_hits[i];
        const BreakpointAction action = hit <= breakpoint.skipHits ? BreakpointAction::Skip
                                        : breakpoint.logOnly         ? BreakpointAction::Log
                                                                     : BreakpointAction::Pause;
        out.append({breakpoint.program, hit, action});
    }
    return out;
}

quint64 BreakpointList::hits(const QString &program) const
{
    for (qsizetype i = 0; i < m_breakpoints.size(); ++i) {
        if (m_breakpoints.at(i).program == program)
            return m_hits.at(i);
    }
    return 0;
}

} // namespace SlotScope

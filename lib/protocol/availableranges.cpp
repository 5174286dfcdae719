#include "protocol/availableranges.h"

#include "protocol/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

// A u64 sent as a number or as a numeric string.
std::optional<quint64> slotValue(const QJsonValue &value)
{
    if (value.isString()) {
        bool ok = false;
        const quint64 slot = value.toString().trimmed().toULongLong(&ok);
        return ok ? std::optional(slot) : std::nullopt;
    }
    return Json::asU64(value);
}

} // namespace

Result<QList<AvailableRange>> parseAvailableRanges(QByteArrayView body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(u"the server's ranges are not JSON: %1"_s.arg(error.errorString()));
    if (!document.isArray())
        return makeError(u"the server's ranges are not a JSON array"_s);
    QList<AvailableRange> ranges;
    for (const QJsonValue &element : document.array()) {
        const QJsonObject object = element.toObject();
        const std::optional<quint64> start = slotValue(Json::lookup(object, "bundleStartSlot"_L1));
        if (!start)
            continue;
        AvailableRange range;
        range.bundleStartSlot = *start;
        range.maxBundleEndSlot = slotValue(Json::lookup(object, "maxBundleEndSlot"_L1));
        range.bundleStartSlotUtc = Json::lookup(object, "bundleStartSlotUtc"_L1).toString();
        const QJsonValue kind = Json::lookup(object, "kind"_L1);
        range.kind = kind.isString() ? kind.toString() : u"blocks"_s;
        ranges.append(range);
    }
    return ranges;
}

} // namespace SlotScope

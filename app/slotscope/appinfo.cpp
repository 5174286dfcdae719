#include "appinfo.h"

#include <QSysInfo>
#include <QtGlobal>

using namespace Qt::StringLiterals;

namespace SlotScope::AppInfo {

// SLOTSCOPE_VERSION, SLOTSCOPE_BUILD_TYPE, SLOTSCOPE_COMPILER, SLOTSCOPE_LICENSE
// and SLOTSCOPE_HOMEPAGE come from app/slotscope/CMakeLists.txt.

QString version()
{
    return QStringLiteral(SLOTSCOPE_VERSION);
}

QString buildDescription()
{
    QString type = QStringLiteral(SLOTSCOPE_BUILD_TYPE);
    if (type.isEmpty())
        type = u"default build type"_s;
    return u"%1 · %2 · Qt %3 (built with %4) · %5"_s.arg(type, QStringLiteral(SLOTSCOPE_COMPILER),
                                                        QString::fromLatin1(qVersion()),
                                                        QStringLiteral(QT_VERSION_STR),
                                                        QSysInfo::buildAbi());
}

QString licence()
{
    return QStringLiteral(SLOTSCOPE_LICENSE);
}

QString homepage()
{
    return QStringLiteral(SLOTSCOPE_HOMEPAGE);
}

} // namespace SlotScope::AppInfo

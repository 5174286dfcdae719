#pragma once

#include <QCoreApplication>
#include <QSpinBox>

namespace SlotScope {

/// Shows " slot" or " slots" after `box`'s value, following it as it changes
/// ("1 slot", "10 slots"; the translations carry the plural forms): the
/// advance count of the toolbar and of the Run dialog.
inline void setSlotsSuffix(QSpinBox *box)
{
    const auto update = [box](int value) {
        // A numerus message holds its %n: the suffix is what follows the number.
        const QString counted = QCoreApplication::translate("SlotSpinBox", "%n slot(s)", nullptr, value);
        const QString number = QString::number(value);
        const qsizetype at = counted.indexOf(number);
        box->setSuffix(at < 0 ? counted : counted.mid(at + number.size()));
    };
    update(box->value());
    QObject::connect(box, &QSpinBox::valueChanged, box, update);
}

} // namespace SlotScope

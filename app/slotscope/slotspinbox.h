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
        box->setSuffix(QCoreApplication::translate("SlotSpinBox", " slot(s)", nullptr, value));
    };
    update(box->value());
    QObject::connect(box, &QSpinBox::valueChanged, box, update);
}

} // namespace SlotScope

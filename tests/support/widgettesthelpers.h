#pragma once

// Helpers for widget tests of the window and its dialogs (header-only).

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QTest>
#include <QTimer>
#include <QWidget>

#include <functional>

namespace SlotScope::TestSupport {

/// The action of `window` with this objectName, or nullptr.
inline QAction *actionNamed(const QWidget &window, const QString &name)
{
    const QList<QAction *> actions = window.findChildren<QAction *>();
    for (QAction *action : actions) {
        if (action->objectName() == name)
            return action;
    }
    return nullptr;
}

/// Resizes `widget` to `size` (when valid), shows it and waits until its
/// window is exposed; false if it never was (QTest::qWaitForWindowExposed()).
[[nodiscard]] inline bool showAndWaitExposed(QWidget &widget, QSize size = {})
{
    if (size.isValid())
        widget.resize(size);
    widget.show();
    return QTest::qWaitForWindowExposed(&widget);
}

/// Runs `inspect` on the modal dialog that `trigger` opens (exec()), then
/// closes it if `inspect` left it open — also when a QVERIFY in `inspect`
/// failed, so a failing test never hangs in the dialog's event loop.
template<typename Dialog>
void withModal(QObject *context, const std::function<void()> &trigger, const std::function<void(Dialog *)> &inspect)
{
    bool seen = false;
    QTimer::singleShot(0, context, [&] {
        struct CloseDialog {
            ~CloseDialog()
            {
                if (auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget()))
                    dialog->reject();
            }
        } closeDialog;
        auto *dialog = qobject_cast<Dialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        seen = true;
        inspect(dialog);
    });
    trigger();
    QVERIFY(seen);
}

} // namespace SlotScope::TestSupport

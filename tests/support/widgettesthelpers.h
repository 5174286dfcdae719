#pragma once

// Helpers for widget tests of the window and its dialogs (header-only).

#include "net/connectionpolicy.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QTest>
#include <QTimer>

#include <functional>

namespace SlotScope::TestSupport {

/// Millisecond connection timings for runs against a local server.
inline ConnectionPolicy fastWindowPolicy()
{
    using namespace std::chrono;
    ConnectionPolicy policy;
    policy.connectTimeout = milliseconds{3000};
    policy.handshakeResponseTimeout = milliseconds{5000};
    policy.initialBackoff = milliseconds{10};
    policy.maxBackoff = milliseconds{40};
    policy.jitter = 0.0;
    policy.maxAttempts = 3;
    policy.maxTotal = milliseconds{5000};
    policy.drainIdleTimeout = milliseconds{5000};
    return policy;
}

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

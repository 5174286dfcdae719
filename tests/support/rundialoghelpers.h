#pragma once

// Header-only: for tests that link the app (slotscope_app).

#include "mainwindow.h"
#include "rundialog.h"

#include <QTest>

namespace SlotScope::TestSupport {

/// Shows `dialog` set for a server target at `url` (empty: none typed yet),
/// with no API key and its capture at `capturePath`; true once the dialog is
/// the active window (so typing reaches it).
inline bool showServerRunDialog(RunDialog &dialog, const QString &capturePath, const QString &url = {})
{
    RunConfig config = MainWindow::demoRunConfig();
    config.capturePath = capturePath;
    config.target = RunConfig::Target::Url;
    config.url = url;
    config.apiKey.clear();
    dialog.setConfig(config);
    dialog.show();
    return QTest::qWaitForWindowActive(&dialog);
}

} // namespace SlotScope::TestSupport

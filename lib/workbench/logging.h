#pragma once

#include <QLoggingCategory>

// The workbench layer's logging category (STYLE.md: one per layer).
Q_DECLARE_LOGGING_CATEGORY(lcWorkbench)

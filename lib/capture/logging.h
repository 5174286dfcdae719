#pragma once

#include <QLoggingCategory>

// The capture layer's logging category (STYLE.md: one per layer).
Q_DECLARE_LOGGING_CATEGORY(lcCapture)

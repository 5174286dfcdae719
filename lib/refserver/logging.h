#pragma once

#include <QLoggingCategory>

// One logging category per layer (STYLE.md). Log text is English and never
// contains the API key.
Q_DECLARE_LOGGING_CATEGORY(lcRefServer)

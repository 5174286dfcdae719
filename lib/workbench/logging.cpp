#include "workbench/logging.h"

Q_LOGGING_CATEGORY(lcWorkbench, "slotscope.workbench")

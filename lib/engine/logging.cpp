#include "engine/logging.h"

Q_LOGGING_CATEGORY(lcEngine, "slotscope.engine")

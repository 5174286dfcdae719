#include "refserver/logging.h"

Q_LOGGING_CATEGORY(lcRefServer, "slotscope.refserver")

#pragma once

#include <QString>

namespace SlotScope::AppInfo {

/// SlotScope's version, single-sourced from CMake's PROJECT_VERSION (the
/// About dialog, `slotscope --version`, the package and the metainfo agree).
QString version();
/// How this binary was built: build type, compiler, the Qt it was compiled
/// against and the Qt it runs on, e.g. "Release · GNU 12.2.0 · Qt 6.4.2 (built with 6.4.2)".
QString buildDescription();
/// The licence as an SPDX expression (CMake's SLOTSCOPE_LICENSE, also in the metainfo).
QString licence();
/// The project's home page (CMake's PROJECT_HOMEPAGE_URL).
QString homepage();

} // namespace SlotScope::AppInfo

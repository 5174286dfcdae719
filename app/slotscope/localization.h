#pragma once

#include <QLocale>
#include <QString>

namespace SlotScope {

/// The locale the user interface uses: `language` (a BCP 47 name such as
/// "de", from Preferences) when set, else the system locale.
QLocale uiLocale(const QString &language);

/// Installs the translators for `language` ("" = the system locale) on the
/// running application: Qt's own (qtbase_<lang>.qm from Qt's translations
/// directory) and SlotScope's (slotscope_<lang>.qm, embedded at :/i18n and
/// built from translations/ with qt_add_lrelease). An override also becomes
/// QLocale's default, so numbers and dates follow it. Call once, after the
/// QApplication exists and before the first window. Returns true when a
/// SlotScope translation for the locale was found (English has one with
/// only its plural forms).
bool installTranslations(const QString &language);

} // namespace SlotScope

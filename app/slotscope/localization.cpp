#include "localization.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace SlotScope {

QLocale uiLocale(const QString &language)
{
    return language.isEmpty() ? QLocale::system() : QLocale(language);
}

bool installTranslations(const QString &language)
{
    const QLocale locale = uiLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale);
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    auto *app = new QTranslator(QCoreApplication::instance());
    // The C locale (LANG=C, C.UTF-8) reads English: it gets English plurals too.
    const QLocale texts = locale.language() == QLocale::C ? QLocale(QLocale::English) : locale;
    if (app->load(texts, u"slotscope"_s, u"_"_s, u":/i18n"_s)) {
        QCoreApplication::installTranslator(app);
        return true;
    }
    delete app;
    return false;
}

} // namespace SlotScope

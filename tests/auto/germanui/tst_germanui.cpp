// The German window (issue 13, item 3): starts the main window and every
// dialog with the German translation that slotscope_app embeds (:/i18n, built
// by qt_add_lrelease from translations/slotscope_de.ts) and lists each visible
// string of the menus, the toolbar, the docks and the dialogs that is still
// English:
//   - "untranslated": a tr() string the .ts has no German for yet;
//   - "not marked for translation": text that came from no tr() at all.
//
// The German translation is complete: any such string fails the test, and the
// list says which (run update_translations, then translate it).

#include "aboutdialog.h"
#include "appinfo.h"
#include "exportdialog.h"
#include "localization.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "rundialog.h"
#include "shortcutsdialog.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMutex>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>
#include <QToolBar>
#include <QTranslator>
#include <QTreeWidget>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace SlotScope;

namespace {

/// Answers from SlotScope's and Qt's German translations and remembers every
/// lookup: which source texts had a translation and which did not.
class RecordingTranslator : public QTranslator
{
public:
    QList<QTranslator *> inner;

    struct Lookup
    {
        QString context;
        QString source;
        bool translated = false;
    };

    QString translate(const char *context, const char *source, const char *disambiguation, int n) const override
    {
        for (const QTranslator *translator : inner) {
            const QString result = translator->translate(context, source, disambiguation, n);
            if (!result.isEmpty()) {
                record(context, source, result);
                return result;
            }
        }
        record(context, source, {});
        return {};
    }
    bool isEmpty() const override { return false; }

    QList<Lookup> lookups() const
    {
        QMutexLocker lock(&m_mutex);
        return m_lookups.values();
    }
    /// Every text a lookup produced (the German where there was one).
    QStringList results() const
    {
        QMutexLocker lock(&m_mutex);
        return m_results;
    }

private:
    void record(const char *context, const char *source, const QString &result) const
    {
        if (!source || !*source)
            return;
        QMutexLocker lock(&m_mutex);
        const QString key = QString::fromUtf8(context) + u'\x1f' + QString::fromUtf8(source);
        Lookup &lookup = m_lookups[key];
        lookup.context = QString::fromUtf8(context);
        lookup.source = QString::fromUtf8(source);
        lookup.translated = lookup.translated || !result.isEmpty();
        if (!result.isEmpty())
            m_results << result;
    }

    mutable QMutex m_mutex;
    mutable QHash<QString, Lookup> m_lookups;
    mutable QStringList m_results;
};

struct Shown
{
    QString where;
    QString text;
};

QString plain(QString text)
{
    if (Qt::mightBeRichText(text))
        text = QTextDocumentFragment::fromHtml(text).toPlainText();
    text.replace(u"&&"_s, u"\x01"_s);
    text.remove(u'&');
    text.replace(u'\x01', u'&');
    return text.trimmed();
}

// A translatable text as a pattern: placeholders match anything.
QRegularExpression patternOf(const QString &source)
{
    static const QRegularExpression placeholder(u"%(L?\\d+|n)"_s);
    QString pattern;
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = placeholder.globalMatch(plain(source));
    const QString text = plain(source);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        pattern += QRegularExpression::escape(text.mid(last, match.capturedStart() - last)) + u"(.*)"_s;
        last = match.capturedEnd();
    }
    pattern += QRegularExpression::escape(text.mid(last));
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern),
                              QRegularExpression::DotMatchesEverythingOption);
}

bool hasWords(const QString &text)
{
    static const QRegularExpression placeholder(u"%(L?\\d+|n)"_s);
    QString rest = text;
    rest.remove(placeholder);
    int letters = 0;
    for (const QChar c : std::as_const(rest))
        letters += c.isLetter() ? 1 : 0;
    return letters >= 2;
}

void addWidgetTexts(QWidget *root, const QString &where, QList<Shown> &shown)
{
    auto add = [&](const QString &kind, const QString &text) {
        const QString p = plain(text);
        if (!p.isEmpty())
            shown.append({where + u" › "_s + kind, p});
    };
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *widget : std::as_const(widgets)) {
        if (!widget->isVisibleTo(root) && widget != root)
            continue;
        if (!widget->toolTip().isEmpty())
            add(u"tool tip"_s, widget->toolTip());
        if (widget->isWindow() || qobject_cast<QDockWidget *>(widget))
            add(u"title"_s, widget->windowTitle());
        if (auto *label = qobject_cast<QLabel *>(widget))
            add(u"label"_s, label->text());
        else if (auto *button = qobject_cast<QAbstractButton *>(widget))
            add(u"button"_s, button->text());
        else if (auto *group = qobject_cast<QGroupBox *>(widget))
            add(u"group"_s, group->title());
        else if (auto *edit = qobject_cast<QLineEdit *>(widget); edit && !qobject_cast<QAbstractSpinBox *>(widget->parent()))
            add(u"placeholder"_s, edit->placeholderText());
        else if (auto *spin = qobject_cast<QSpinBox *>(widget)) {
            add(u"suffix"_s, spin->suffix());
            add(u"prefix"_s, spin->prefix());
        } else if (auto *combo = qobject_cast<QComboBox *>(widget)) {
            add(u"placeholder"_s, combo->placeholderText());
            for (int i = 0; i < combo->count(); ++i)
                add(u"choice"_s, combo->itemText(i));
        } else if (auto *tabs = qobject_cast<QTabWidget *>(widget)) {
            for (int i = 0; i < tabs->count(); ++i)
                add(u"tab"_s, tabs->tabText(i));
        } else if (auto *view = qobject_cast<QAbstractItemView *>(widget); view && view->model()) {
            for (int column = 0; column < view->model()->columnCount(); ++column)
                add(u"column"_s, view->model()->headerData(column, Qt::Horizontal).toString());
            if (auto *tree = qobject_cast<QTreeWidget *>(widget)) {
                for (int g = 0; g < tree->topLevelItemCount(); ++g)
                    add(u"group"_s, tree->topLevelItem(g)->text(0));
            }
        }
    }
}

void addMenuTexts(const QMenu *menu, const QString &where, QList<Shown> &shown)
{
    const QString here = where + u" › "_s + plain(menu->title());
    shown.append({where + u" › menu"_s, plain(menu->title())});
    for (const QAction *action : menu->actions()) {
        if (action->isSeparator())
            continue;
        if (action->menu()) {
            addMenuTexts(action->menu(), here, shown);
            continue;
        }
        shown.append({here + u" › item"_s, plain(action->text())});
        if (!action->statusTip().isEmpty())
            shown.append({here + u" › status tip"_s, plain(action->statusTip())});
    }
}

// What the dialogs a user can open show, every tab of them.
void addDialogTexts(QDialog *dialog, const QString &where, QList<Shown> &shown)
{
    dialog->show();
    QList<QTabWidget *> tabWidgets = dialog->findChildren<QTabWidget *>();
    if (tabWidgets.isEmpty()) {
        addWidgetTexts(dialog, where, shown);
    } else {
        for (QTabWidget *tabs : std::as_const(tabWidgets)) {
            for (int i = 0; i < tabs->count(); ++i) {
                tabs->setCurrentIndex(i);
                addWidgetTexts(dialog, where, shown);
            }
        }
    }
    dialog->hide();
}

} // namespace

class tst_GermanUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void translationIsEmbeddedAndFollowsTheOverride();
    void germanWindowHasNoUntranslatedString();
    void englishPluralsAreWords();

private:
    QTemporaryDir m_dir;
    RecordingTranslator m_recorder;
    QTranslator m_slotscope;
    QTranslator m_qt;
};

void tst_GermanUi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
}

void tst_GermanUi::translationIsEmbeddedAndFollowsTheOverride()
{
    QVERIFY(QFile::exists(u":/i18n/slotscope_de.qm"_s));
    // What main() does with Preferences' language "de".
    QVERIFY(installTranslations(u"de"_s));
    QCOMPARE(QLocale().language(), QLocale::German);
    QCOMPARE(QLocale().toString(1234567), u"1.234.567"_s);
    QCOMPARE(QLocale().toString(2.5, 'f', 1), u"2,5"_s);
    QCOMPARE(uiLocale(QString()), QLocale::system());
}

void tst_GermanUi::germanWindowHasNoUntranslatedString()
{
    QVERIFY(m_slotscope.load(u":/i18n/slotscope_de.qm"_s));
    m_recorder.inner << &m_slotscope;
    if (m_qt.load(QLocale(QLocale::German), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        m_recorder.inner << &m_qt;
    else
        qWarning("Qt's own German (qtbase_de.qm, Debian qt6-translations-l10n) is not installed: "
                 "Qt's buttons count as untranslated");
    QCoreApplication::installTranslator(&m_recorder);

    QList<Shown> shown;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (const QAction *menu : window.menuBar()->actions()) {
        if (menu->menu())
            addMenuTexts(menu->menu(), u"menu bar"_s, shown);
    }
    for (QToolBar *toolbar : window.findChildren<QToolBar *>()) {
        shown.append({u"toolbar › title"_s, plain(toolbar->windowTitle())});
        for (const QAction *action : toolbar->actions()) {
            if (!action->isSeparator() && !action->text().isEmpty())
                shown.append({u"toolbar › tool tip"_s, plain(action->toolTip())});
        }
    }
    addWidgetTexts(&window, u"window"_s, shown);

    RunDialog run(&window);
    addDialogTexts(&run, u"New Run"_s, shown);
    PreferencesDialog preferences(&window);
    addDialogTexts(&preferences, u"Preferences"_s, shown);
    AboutDialog about(&window);
    addDialogTexts(&about, u"About"_s, shown);
    ShortcutsDialog shortcuts(&window, &window);
    addDialogTexts(&shortcuts, u"Keyboard Shortcuts"_s, shown);
    ExportDialog exportDialog(m_dir.filePath(u"run.ndjson"_s), ExportScopes{.selectedRows = 3}, &window);
    addDialogTexts(&exportDialog, u"Export CSV"_s, shown);
    QVERIFY(shown.size() > 100);

    // Texts that are German-neutral or no words of ours: names, values, paths, key names.
    const QStringList neutral{u"SlotScope"_s, u"English"_s, u"Deutsch"_s, u"Qt"_s, u"URL"_s,
                              AppInfo::version(), AppInfo::buildDescription(), AppInfo::licence()};
    auto isNeutral = [&](const QString &text) {
        if (!hasWords(text) || neutral.contains(text) || text.contains(u"://"_s) || text.startsWith(u'/'))
            return true;
        const QKeySequence keys = QKeySequence::fromString(text, QKeySequence::NativeText);
        return !keys.isEmpty() && keys.toString(QKeySequence::NativeText) == text;
    };
    struct Pattern
    {
        QRegularExpression re;
        QString name;     ///< "context: source"
        bool translated;
    };
    QList<Pattern> worded;
    QList<QRegularExpression> glue; // "%1 (%2)", "%1:" — only their parts carry words
    for (const RecordingTranslator::Lookup &lookup : m_recorder.lookups()) {
        if (hasWords(lookup.source))
            worded.append({patternOf(lookup.source), lookup.context + u": "_s + lookup.source, lookup.translated});
        else
            glue << patternOf(lookup.source);
    }
    for (const QString &result : m_recorder.results()) {
        if (hasWords(result))
            worded.append({patternOf(result), QString(), true});
    }

    // "" = fine; else why not: the untranslated source, or "" with unmarked = true.
    std::function<QString(const QString &, bool &)> problemOf = [&](const QString &text, bool &unmarked) -> QString {
        if (isNeutral(text))
            return {};
        for (const Pattern &pattern : std::as_const(worded)) {
            if (pattern.re.match(text).hasMatch())
                return pattern.translated ? QString() : pattern.name;
        }
        // Several glue texts may match ("F%1" from Qt's key names matches any text
        // that starts with F): the text is fine when one of them accounts for it.
        std::optional<QString> firstProblem;
        bool firstUnmarked = false;
        for (const QRegularExpression &re : std::as_const(glue)) {
            const QRegularExpressionMatch match = re.match(text);
            if (!match.hasMatch() || match.lastCapturedIndex() < 1)
                continue;
            QStringList problems;
            bool partUnmarked = false;
            for (int i = 1; i <= match.lastCapturedIndex(); ++i) {
                if (const QString problem = problemOf(match.captured(i).trimmed(), partUnmarked); !problem.isEmpty())
                    problems << problem;
            }
            if (problems.isEmpty() && !partUnmarked)
                return {};
            if (!firstProblem) {
                firstProblem = problems.join(u"; "_s);
                firstUnmarked = problems.isEmpty() && partUnmarked;
            }
        }
        unmarked = unmarked || !firstProblem || firstUnmarked;
        return firstProblem.value_or(QString());
    };

    QStringList untranslated;
    QStringList unmarked;
    QSet<QString> reported;
    for (const Shown &item : std::as_const(shown)) {
        if (reported.contains(item.text))
            continue;
        reported.insert(item.text);
        bool isUnmarked = false;
        const QString problem = problemOf(item.text, isUnmarked);
        if (!problem.isEmpty())
            untranslated << u"%1: \"%2\"  [%3]"_s.arg(item.where, item.text, problem);
        else if (isUnmarked)
            unmarked << u"%1: \"%2\""_s.arg(item.where, item.text);
    }
    QCoreApplication::removeTranslator(&m_recorder);

    const QString report = u"%1 untranslated visible string(s):\n  %2\n%3 visible string(s) not marked for translation:\n  %4"_s
                               .arg(QString::number(untranslated.size()), untranslated.join(u"\n  "_s),
                                    QString::number(unmarked.size()), unmarked.join(u"\n  "_s));
    qInfo().noquote() << report;
    QVERIFY2(untranslated.isEmpty() && unmarked.isEmpty(), qPrintable(report));
}

QTEST_MAIN(tst_GermanUi)
/// The numerus messages of a .ts file: "context / source" → its numerus forms.
static QMap<QString, QStringList> numerusMessages(const QString &path)
{
    QMap<QString, QStringList> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return messages;
    QXmlStreamReader xml(&file);
    QString context, source;
    bool numerus = false;
    QStringList forms;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == u"name"_s) {
                context = xml.readElementText();
            } else if (xml.name() == u"message"_s) {
                numerus = xml.attributes().value(u"numerus"_s) == u"yes"_s;
                source.clear();
                forms.clear();
            } else if (xml.name() == u"source"_s) {
                source = xml.readElementText();
            } else if (xml.name() == u"numerusform"_s) {
                forms.append(xml.readElementText());
            }
        } else if (xml.isEndElement() && xml.name() == u"message"_s && numerus) {
            messages.insert(context + u" / "_s + source, forms);
        }
    }
    return messages;
}

void tst_GermanUi::englishPluralsAreWords()
{
    // English carries only plural forms: every numerus message the German
    // file has, a singular and a plural, and no "(s)" left on %n's word.
    const QString dir = QString::fromUtf8(SLOTSCOPE_TRANSLATIONS_DIR);
    const QMap<QString, QStringList> german = numerusMessages(dir + u"/slotscope_de.ts"_s);
    const QMap<QString, QStringList> english = numerusMessages(dir + u"/slotscope_en.ts"_s);
    QVERIFY(german.size() >= 20);
    QCOMPARE(english.keys(), german.keys());
    for (auto it = english.cbegin(); it != english.cend(); ++it) {
        QCOMPARE(it.value().size(), 2);
        for (const QString &form : it.value()) {
            qsizetype n = form.indexOf(u"%n"_s);
            if (n < 0)
                n = form.indexOf(u"%Ln"_s); // the count in the locale's digits
            QVERIFY2(n >= 0, qPrintable(it.key()));
            const QString afterN = form.mid(n).section(u'%', 1, 1); // up to the next placeholder
            QVERIFY2(!afterN.contains(u"(s)"_s), qPrintable(form));
        }
    }

    QTranslator plurals;
    QVERIFY(plurals.load(u":/i18n/slotscope_en.qm"_s));
    const char *captured = "%n transaction(s) captured";
    QCOMPARE(plurals.translate("SlotScope::MainWindow", captured, nullptr, 1), u"%n transaction captured"_s);
    QCOMPARE(plurals.translate("SlotScope::MainWindow", captured, nullptr, 0), u"%n transactions captured"_s);
    QCOMPARE(plurals.translate("SlotScope::MainWindow", captured, nullptr, 2), u"%n transactions captured"_s);
    // Only plurals: anything else keeps its English source.
    QVERIFY(plurals.translate("SlotScope::MainWindow", "Continue &To").isEmpty());
}

#include "tst_germanui.moc"

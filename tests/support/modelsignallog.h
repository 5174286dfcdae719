#pragma once

#include <QAbstractItemModel>
#include <QObject>
#include <QStringList>

#include <functional>

namespace SlotScope::Testing {

/// Records, in order, every signal that changes what a view of `model` shows
/// (STYLE.md "asserting how rows were inserted"): "insert 0,99",
/// "remove 0,49", "reset", "layout", and with Options::dataChanged
/// "changed 0-2 c2-10 display,tooltip". With Options::parents every entry names
/// the parent row first ("insert root 0,0", "insert 0 3,3" for children of
/// top-level row 0, "changed 0 0-2 c2-10 …").
class ModelSignalLog : public QObject
{
public:
    struct Options
    {
        bool parents = false;      ///< name the parent row ("root" or its row)
        bool dataChanged = false;  ///< record dataChanged with rows, columns and roles
        bool layout = false;       ///< record layoutChanged
        /// Name of a role in "changed" entries (default: the number).
        std::function<QString(int)> roleName;
    };

    explicit ModelSignalLog(QAbstractItemModel *model);
    ModelSignalLog(QAbstractItemModel *model, Options options);

    /// Everything recorded since the last take(), then forgotten.
    QStringList take();

    QStringList events;

private:
    QString where(const QModelIndex &parent) const;
    QString role(int role) const;

    Options m_options;
};

} // namespace SlotScope::Testing

#pragma once

#include <QAbstractTableModel>
#include <QStringList>

namespace SlotScope::Internal {

/// A model's horizontal DisplayRole header: titles[section], invalid for
/// any other orientation, role or section.
inline QVariant columnTitle(const QStringList &titles, int section, Qt::Orientation orientation, int role)
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= titles.size())
        return {};
    return titles.at(section);
}

/// A table model without children and with its columns fixed at
/// construction, one title each in column order: rowCount() is what rows()
/// says, columnCount() the number of titles, both 0 under a valid parent;
/// headerData() gives the titles (horizontal, DisplayRole).
class FlatTableModel : public QAbstractTableModel
{
public:
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(rows()); }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_titles.size());
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override
    {
        return columnTitle(m_titles, section, orientation, role);
    }

protected:
    FlatTableModel(QStringList titles, QObject *parent)
        : QAbstractTableModel(parent)
        , m_titles(std::move(titles))
    {
    }

    /// How many rows the model holds now.
    virtual qsizetype rows() const = 0;

private:
    const QStringList m_titles;
};

} // namespace SlotScope::Internal

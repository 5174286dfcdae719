#pragma once

#include <QAbstractTableModel>

namespace SlotScope::Internal {

/// A table model without children and with a column count fixed at
/// construction: rowCount() is what rows() says, columnCount() that count,
/// both 0 under a valid parent.
class FlatTableModel : public QAbstractTableModel
{
public:
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(rows()); }
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : m_columns; }

protected:
    FlatTableModel(int columns, QObject *parent)
        : QAbstractTableModel(parent)
        , m_columns(columns)
    {
    }

    /// How many rows the model holds now.
    virtual qsizetype rows() const = 0;

private:
    const int m_columns;
};

} // namespace SlotScope::Internal

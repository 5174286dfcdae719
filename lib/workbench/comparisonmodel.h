#pragma once

#include "capture/capturecomparison.h"
#include "model/modelroles.h"

#include <QAbstractTableModel>

#include <memory>

namespace SlotScope {

/// One section of a run comparison as a table (issue 12 item 2): the columns
/// of the section's CSV, DisplayRole text (token amounts with their decimals,
/// deltas signed), RawValueRole for sorting (numbers as qulonglong /
/// qlonglong, text as QString), and for transaction sections the signature
/// and both sides' capture offsets, so a row opens the transaction's detail on
/// both sides. The result is shared, not copied, between a comparison's
/// section models.
class ComparisonSectionModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        SignatureRole = FirstModelSpecificRole, ///< QString; transaction sections
        BaselineOffsetRole,                     ///< qlonglong; invalid when that side lacks it
        ExperimentOffsetRole,
        KeyRole,                                ///< signature, account or metric: the row's key
    };
    Q_ENUM(Role)

    ComparisonSectionModel(std::shared_ptr<const ComparisonResult> result, ComparisonSection section,
                           QObject *parent = nullptr);

    ComparisonSection section() const { return m_section; }
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant cell(int row, int column, bool raw) const;

    std::shared_ptr<const ComparisonResult> m_result;
    ComparisonSection m_section;
    QList<SummaryRow> m_summary;
};

} // namespace SlotScope

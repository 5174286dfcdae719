#pragma once

#include <cmath>

namespace SlotScope {

/// The first of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 and 8 × 10^k that is ≥
/// `value` (1 for a value ≤ 0). A live view whose time axis is this ceiling
/// of what it shows keeps its scale between steps of a fifth to a third, so
/// it is not laid out and repainted whole at every tick (the Connections
/// timeline's fit-all span, the charts' time axes; issue 11).
inline double niceCeiling(double value)
{
    if (!(value > 0))
        return 1;
    const double decade = std::pow(10.0, std::floor(std::log10(value)));
    for (const int tenths : {10, 12, 15, 20, 25, 30, 40, 50, 60, 80}) {
        if (decade * tenths / 10 >= value)
            return decade * tenths / 10;
    }
    return decade * 10;
}

} // namespace SlotScope

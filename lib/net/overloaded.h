#pragma once

namespace SlotScope::Internal {

/// The usual std::visit helper: one lambda per alternative.
template<class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace SlotScope::Internal

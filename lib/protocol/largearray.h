#pragma once

#include <cstddef>

namespace SlotScope {

/// Memory for a large array (a batch of a million-row capture's rows, a
/// de-duplication table). From 2 MiB up it is mapped on its own, 2 MiB
/// aligned, and advised for transparent huge pages (madvise MADV_HUGEPAGE;
/// Debian's default THP mode honours it): the array then faults in 2 MiB at
/// a time rather than 4 KiB. Indexing a 1 M-transaction capture otherwise
/// takes some 80 000 page faults, each costing microseconds, most on the
/// threads that set the pace. Smaller sizes come from operator new. Throws
/// std::bad_alloc when the memory cannot be had, as operator new does.
void *allocateLargeArray(std::size_t bytes);
/// Frees what allocateLargeArray(`bytes`) returned (the same `bytes`).
void freeLargeArray(void *data, std::size_t bytes) noexcept;

/// An allocator for std::vector / std::basic_string through
/// allocateLargeArray().
template<typename T>
struct LargeArrayAllocator
{
    using value_type = T;

    LargeArrayAllocator() = default;
    template<typename U>
    LargeArrayAllocator(const LargeArrayAllocator<U> &) noexcept {}

    T *allocate(std::size_t n) { return static_cast<T *>(allocateLargeArray(n * sizeof(T))); }
    void deallocate(T *data, std::size_t n) noexcept { freeLargeArray(data, n * sizeof(T)); }

    template<typename U>
    bool operator==(const LargeArrayAllocator<U> &) const noexcept { return true; }
};

} // namespace SlotScope

#include "protocol/largearray.h"

#include <cstdint>
#include <new>

#include <sys/mman.h>

namespace SlotScope {

namespace {

constexpr std::size_t hugePageBytes = std::size_t(2) << 20;

std::size_t mappedBytes(std::size_t bytes)
{
    return (bytes + hugePageBytes - 1) & ~(hugePageBytes - 1);
}

} // namespace

void *allocateLargeArray(std::size_t bytes)
{
    if (bytes < hugePageBytes)
        return ::operator new(bytes);
    const std::size_t size = mappedBytes(bytes);
    // Map one huge page more than needed and give back what lies outside
    // the aligned range.
    void *raw = mmap(nullptr, size + hugePageBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + hugePageBytes - 1) & ~std::uintptr_t(hugePageBytes - 1);
    if (aligned > start)
        munmap(raw, aligned - start);
    if (const std::size_t after = hugePageBytes - (aligned - start); after > 0)
        munmap(reinterpret_cast<void *>(aligned + size), after);
    auto *data = reinterpret_cast<void *>(aligned);
#ifdef MADV_HUGEPAGE
    madvise(data, size, MADV_HUGEPAGE); // advice only: without THP it is plain memory
#endif
    return data;
}

void freeLargeArray(void *data, std::size_t bytes) noexcept
{
    if (!data)
        return;
    if (bytes < hugePageBytes)
        ::operator delete(data);
    else
        munmap(data, mappedBytes(bytes));
}

} // namespace SlotScope

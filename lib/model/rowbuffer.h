#pragma once

#include "protocol/largearray.h"

#include <QtGlobal>

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace SlotScope::Internal {

/// Storage for a bounded, append-at-the-back / evict-at-the-front window of
/// rows. Rows live in fixed-size chunks, so
///  * memory is rows × sizeof(T) plus at most two partly used chunks (a QList
///    or std::vector would carry up to 2× its size in spare capacity);
///  * evicting k rows from the front is O(k) and never moves the rest;
///  * a row's address is stable until it is evicted.
/// Not a general container: no insertion in the middle.
template<typename T, qsizetype ChunkRows = 2048>
class RowBuffer
{
public:
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }

    const T &operator[](qsizetype i) const
    {
        const qsizetype at = m_head + i;
        return m_chunks[size_t(at / ChunkRows)][size_t(at % ChunkRows)];
    }
    T &operator[](qsizetype i)
    {
        const qsizetype at = m_head + i;
        return m_chunks[size_t(at / ChunkRows)][size_t(at % ChunkRows)];
    }

    void append(T row)
    {
        const qsizetype at = m_head + m_size;
        if (at == qsizetype(m_chunks.size()) * ChunkRows)
            m_chunks.push_back(takeSpareChunk());
        m_chunks[size_t(at / ChunkRows)][size_t(at % ChunkRows)] = std::move(row);
        ++m_size;
    }

    /// Drops the first `count` rows (clamped to size()).
    void removeFirst(qsizetype count)
    {
        count = qMin(count, m_size);
        if constexpr (!std::is_trivially_destructible_v<T>) {
            for (qsizetype i = 0; i < count; ++i)
                (*this)[i] = T{}; // release what a row owns (strings) right away
        }
        m_head += count;
        m_size -= count;
        const qsizetype freeChunks = m_head / ChunkRows;
        if (freeChunks > 0) {
            // Keep one chunk for the next append instead of freeing and
            // allocating 2048 rows every batch.
            if (!m_spare)
                m_spare = std::move(m_chunks.front());
            m_chunks.erase(m_chunks.begin(), m_chunks.begin() + freeChunks);
            m_head -= freeChunks * ChunkRows;
        }
        if (m_size == 0 && m_head != 0) {
            m_head = 0;
            if (!m_chunks.empty() && !m_spare)
                m_spare = std::move(m_chunks.front());
            m_chunks.clear();
        }
    }

    void clear()
    {
        m_chunks.clear();
        m_chunks.shrink_to_fit();
        m_spare.reset();
        m_reserved.clear();
        m_head = 0;
        m_size = 0;
    }

    /// Sets aside room for `rows` more rows in one large array (huge pages
    /// where the kernel offers them, see allocateLargeArray()); the chunks
    /// of later appends come from it until it is used up. For a buffer that
    /// will grow to millions of rows (an offline capture): its memory then
    /// faults in 2 MiB at a time. Pages never written cost nothing, so a
    /// generous estimate is cheap. Released by clear() and the destructor.
    void reserve(qsizetype rows)
    {
        const qsizetype chunks = (rows + ChunkRows - 1) / ChunkRows;
        if (chunks > 0)
            m_reserved.push_back(Reserved(size_t(chunks)));
    }

    /// Heap bytes held by the rows themselves (chunks, spare chunk and the
    /// chunk index), not counting anything a row points to.
    size_t memoryBytes() const
    {
        const size_t chunks = m_chunks.size() + (m_spare ? 1 : 0);
        return chunks * size_t(ChunkRows) * sizeof(T)
                + m_chunks.capacity() * sizeof(Chunk);
    }

    static constexpr qsizetype chunkRows() { return ChunkRows; }

private:
    /// Deletes a chunk of its own, or only ends the rows' lifetimes in a
    /// chunk carved from a Reserved array (which frees the memory).
    struct ChunkDeleter
    {
        bool reserved = false;
        void operator()(T *rows) const
        {
            if (reserved)
                std::destroy_n(rows, size_t(ChunkRows));
            else
                delete[] rows;
        }
    };
    using Chunk = std::unique_ptr<T[], ChunkDeleter>;

    /// An array set aside by reserve(), handed out a chunk at a time.
    struct Reserved
    {
        explicit Reserved(size_t chunks)
            : data(static_cast<T *>(allocateLargeArray(chunks * size_t(ChunkRows) * sizeof(T))))
            , total(chunks)
        {
        }
        Reserved(Reserved &&other) noexcept
            : data(std::exchange(other.data, nullptr)), total(other.total), used(other.used)
        {
        }
        Reserved &operator=(Reserved &&) = delete;
        ~Reserved() { freeLargeArray(data, total * size_t(ChunkRows) * sizeof(T)); }

        T *data = nullptr;
        size_t total = 0;
        size_t used = 0;
    };

    Chunk takeSpareChunk()
    {
        if (m_spare)
            return std::move(m_spare);
        for (Reserved &r : m_reserved) {
            if (r.used < r.total) {
                T *rows = r.data + r.used++ * size_t(ChunkRows);
                std::uninitialized_value_construct_n(rows, size_t(ChunkRows));
                return Chunk(rows, ChunkDeleter{true});
            }
        }
        return Chunk(new T[size_t(ChunkRows)](), ChunkDeleter{false});
    }

    // Declared before the chunks: destroyed after them.
    std::vector<Reserved> m_reserved;
    std::vector<Chunk> m_chunks;
    Chunk m_spare;
    qsizetype m_head = 0; // index of the first row inside m_chunks.front()
    qsizetype m_size = 0;
};

} // namespace SlotScope::Internal

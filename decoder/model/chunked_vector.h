// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace wst {

/// An append-only sequence stored in fixed-size chunks: growing never moves or copies what is
/// already there, so a trace of millions of events has no moment where the old and the new
/// array are both alive (a std::vector doubling from 1 M to 2 M 48-byte events briefly needs
/// 144 MB for 48 MB of data; issue 8 bounds the GUI's peak memory). Element addresses stay
/// valid while elements are appended. Indexing is two loads.
template <typename T, std::size_t ChunkSize = 16384>
class ChunkedVector {
    static_assert((ChunkSize & (ChunkSize - 1)) == 0, "ChunkSize must be a power of two");

public:
    using value_type = T;

    template <bool Const>
    class Iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = std::conditional_t<Const, const T*, T*>;
        using reference = std::conditional_t<Const, const T&, T&>;
        using Owner = std::conditional_t<Const, const ChunkedVector, ChunkedVector>;

        Iterator() = default;
        Iterator(Owner* owner, std::size_t i)
            : m_owner(owner)
            , m_i(i) {}
        reference operator*() const { return (*m_owner)[m_i]; }
        pointer operator->() const { return &(*m_owner)[m_i]; }
        reference operator[](difference_type n) const {
            return (*m_owner)[m_i + static_cast<std::size_t>(n)];
        }
        Iterator& operator++() {
            ++m_i;
            return *this;
        }
        Iterator operator++(int) {
            Iterator t = *this;
            ++m_i;
            return t;
        }
        Iterator& operator--() {
            --m_i;
            return *this;
        }
        Iterator operator--(int) {
            Iterator t = *this;
            --m_i;
            return t;
        }
        Iterator& operator+=(difference_type n) {
            m_i = static_cast<std::size_t>(static_cast<difference_type>(m_i) + n);
            return *this;
        }
        Iterator& operator-=(difference_type n) { return *this += -n; }
        friend Iterator operator+(Iterator a, difference_type n) { return a += n; }
        friend Iterator operator+(difference_type n, Iterator a) { return a += n; }
        friend Iterator operator-(Iterator a, difference_type n) { return a -= n; }
        friend difference_type operator-(const Iterator& a, const Iterator& b) {
            return static_cast<difference_type>(a.m_i) - static_cast<difference_type>(b.m_i);
        }
        friend bool operator==(const Iterator& a, const Iterator& b) { return a.m_i == b.m_i; }
        friend auto operator<=>(const Iterator& a, const Iterator& b) { return a.m_i <=> b.m_i; }

    private:
        Owner* m_owner = nullptr;
        std::size_t m_i = 0;
    };
    using iterator = Iterator<false>;
    using const_iterator = Iterator<true>;

    ChunkedVector() = default;
    ChunkedVector(ChunkedVector&&) noexcept = default;
    ChunkedVector& operator=(ChunkedVector&&) noexcept = default;
    ChunkedVector(const ChunkedVector& other) { *this = other; }
    ChunkedVector& operator=(const ChunkedVector& other) {
        if (this != &other) {
            clear();
            for (const T& v : other) {
                push_back(v);
            }
        }
        return *this;
    }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    T& operator[](std::size_t i) { return m_chunks[i / ChunkSize][i % ChunkSize]; }
    const T& operator[](std::size_t i) const { return m_chunks[i / ChunkSize][i % ChunkSize]; }
    T& front() { return (*this)[0]; }
    const T& front() const { return (*this)[0]; }
    T& back() { return (*this)[m_size - 1]; }
    const T& back() const { return (*this)[m_size - 1]; }

    iterator begin() { return {this, 0}; }
    iterator end() { return {this, m_size}; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_size}; }

    void push_back(const T& v) { emplace_back(v); }
    void push_back(T&& v) { emplace_back(std::move(v)); }
    template <typename... Args>
    T& emplace_back(Args&&... args) {
        if (m_chunks.empty() || m_chunks.back().size() == ChunkSize) {
            m_chunks.emplace_back();
            // Reserved, not filled: pages of the chunk are touched only as elements arrive.
            m_chunks.back().reserve(ChunkSize);
        }
        ++m_size;
        return m_chunks.back().emplace_back(std::forward<Args>(args)...);
    }

    void clear() {
        m_chunks.clear();
        m_size = 0;
    }

private:
    std::vector<std::vector<T>> m_chunks;
    std::size_t m_size = 0;
};

} // namespace wst

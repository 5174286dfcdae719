// allocateLargeArray() / LargeArrayAllocator (protocol/largearray.h): small
// sizes from operator new, from 2 MiB up a mapping of its own, 2 MiB aligned
// and advised for huge pages; either kind holds what is written to it and
// goes back whole.

#include "protocol/largearray.h"

#include <QFile>
#include <QTest>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace SlotScope;

namespace {

constexpr std::size_t hugePage = std::size_t(2) << 20;

/// The mapping of /proc/self/smaps that holds `address`, as text ("" when none).
QByteArray smapsEntry(const void *address)
{
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly))
        return {};
    const auto at = qulonglong(reinterpret_cast<std::uintptr_t>(address));
    QByteArray entry;
    bool inside = false;
    for (const QByteArray &line : smaps.readAll().split('\n')) {
        // A mapping's first line: "start-end perms offset dev inode [path]".
        const qsizetype dash = line.indexOf('-');
        const qsizetype space = line.indexOf(' ');
        if (dash > 0 && space > dash && !line.left(space).contains(':')) {
            const qulonglong start = line.left(dash).toULongLong(nullptr, 16);
            const qulonglong end = line.mid(dash + 1, space - dash - 1).toULongLong(nullptr, 16);
            inside = start <= at && at < end;
        }
        if (inside)
            entry += line + '\n';
    }
    return entry;
}

/// [start, end) of a smapsEntry().
std::pair<qulonglong, qulonglong> rangeOf(const QByteArray &entry)
{
    const QList<QByteArray> range = entry.left(entry.indexOf(' ')).split('-');
    return {range.at(0).toULongLong(nullptr, 16), range.at(1).toULongLong(nullptr, 16)};
}

} // namespace

class tst_LargeArray : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sizes_data();
    void sizes();
    void largeIsAlignedAndAdvised();
    void allocatorInContainers();
};

void tst_LargeArray::sizes_data()
{
    QTest::addColumn<qulonglong>("bytes");
    QTest::newRow("empty") << 0ULL;
    QTest::newRow("small") << 100ULL;
    QTest::newRow("just under 2 MiB") << qulonglong(hugePage - 1);
    QTest::newRow("2 MiB") << qulonglong(hugePage);
    QTest::newRow("2 MiB and a byte") << qulonglong(hugePage + 1);
    QTest::newRow("7 MB") << 7'200'000ULL;
}

void tst_LargeArray::sizes()
{
    QFETCH(qulonglong, bytes);
    auto *data = static_cast<unsigned char *>(allocateLargeArray(bytes));
    QVERIFY(data);
    for (std::size_t i = 0; i < bytes; i += 4093)
        data[i] = static_cast<unsigned char>(i * 7);
    if (bytes > 0)
        data[bytes - 1] = 0xA5;
    for (std::size_t i = 0; i + 1 < bytes; i += 4093)
        QCOMPARE(data[i], static_cast<unsigned char>(i * 7));
    if (bytes > 0)
        QCOMPARE(data[bytes - 1], 0xA5);
    if (bytes >= hugePage)
        QCOMPARE(reinterpret_cast<std::uintptr_t>(data) % hugePage, std::uintptr_t(0));
    freeLargeArray(data, bytes);
}

void tst_LargeArray::largeIsAlignedAndAdvised()
{
    const std::size_t bytes = 3 * hugePage + 12345;
    void *data = allocateLargeArray(bytes);
    const QByteArray entry = smapsEntry(data);
    QVERIFY2(!entry.isEmpty(), "no mapping holds the array");
    // Mapped in whole huge pages (the kernel may merge it with a neighbour
    // advised alike), advised "hg".
    const auto [start, end] = rangeOf(entry);
    const auto at = qulonglong(reinterpret_cast<std::uintptr_t>(data));
    QVERIFY(end >= at + 4 * hugePage);
    QVERIFY(start <= at);
    // A kernel built without transparent huge pages refuses the advice.
    if (QFile::exists(QStringLiteral("/sys/kernel/mm/transparent_hugepage/enabled")))
        QVERIFY2(entry.contains("VmFlags:") && entry.mid(entry.indexOf("VmFlags:")).contains(" hg"), entry.constData());
    freeLargeArray(data, bytes);
    QVERIFY(smapsEntry(data).isEmpty()); // given back (nothing else was mapped since)
}

void tst_LargeArray::allocatorInContainers()
{
    std::vector<quint64, LargeArrayAllocator<quint64>> numbers;
    for (quint64 i = 0; i < 1'000'000; ++i) // grows through small and large blocks
        numbers.push_back(i * 3);
    for (quint64 i = 0; i < numbers.size(); i += 1009)
        QCOMPARE(numbers[i], i * 3);
    numbers.resize(10);
    numbers.shrink_to_fit();
    QCOMPARE(numbers.back(), quint64(27));

    std::basic_string<char, std::char_traits<char>, LargeArrayAllocator<char>> text;
    for (int i = 0; i < 100000; ++i)
        text += "signature-";
    QCOMPARE(text.size(), std::size_t(1'000'000));
    QCOMPARE(std::string_view(text).substr(999'990), std::string_view("signature-"));
}

QTEST_GUILESS_MAIN(tst_LargeArray)
#include "tst_largearray.moc"

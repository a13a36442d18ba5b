using System.Text;
using R2Meta.Domain.Keys;

namespace R2Meta.Unit.Tests.Keys;

public sealed class SortKeyCodecTests
{
    [Fact]
    public void Encode_RandomKeyPairs_OrdinalOrderEqualsUtf8ByteOrder()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 20_000; i++)
        {
            var x = KeyGenerator.RandomKey(random, 40);
            // Half the pairs share a prefix, where the bit packing and terminators matter most.
            var y = random.Next(2) == 0 ? KeyGenerator.RandomKey(random, 40) : x[..RuneBoundary(x, random)] + KeyGenerator.RandomKey(random, 6);

            var expected = Math.Sign(KeyGenerator.CompareUtf8(x, y));
            var actual = Math.Sign(string.CompareOrdinal(SortKeyCodec.Encode(x), SortKeyCodec.Encode(y)));

            Assert.True(expected == actual, $"'{Escape(x)}' vs '{Escape(y)}': UTF-8 {expected}, sort key {actual}");
        }
    }

    [Fact]
    public void Encode_NonBmpVersusUpperBmp_FollowsUtf8NotUtf16()
    {
        string[] utf8Order = ["\uD7FF", "\uE000", "\uFFFD", "\uFFFF", "\U00010000", "\U0001F600", "\U0010FFFF"];

        var sorted = utf8Order.Reverse().OrderBy(SortKeyCodec.Encode, StringComparer.Ordinal);

        Assert.Equal(utf8Order, sorted);
    }

    [Fact]
    public void Encode_KeyVersusItsExtensions_KeySortsFirst()
    {
        foreach (var key in new[] { "", "a", "ab", "abcdefghijklmno", "\U0001F600" })
        {
            foreach (var extension in new[] { "\u0001", "\0", "a", "\uFFFF" })
            {
                Assert.True(string.CompareOrdinal(SortKeyCodec.Encode(key), SortKeyCodec.Encode(key + extension)) < 0, $"'{Escape(key)}' + '{Escape(extension)}'");
            }
        }
    }

    [Fact]
    public void Encode_KeysUpTo1024Bytes_AreValidRowKeys()
    {
        var random = new Random(7);
        var keys = Enumerable.Range(0, 2_000).Select(_ => KeyGenerator.RandomKey(random, 1024))
            .Append(new string('\uFFFF', 341))
            .Append(string.Concat(Enumerable.Repeat("\U0010FFFF", 256)))
            .Append(new string('/', 1024))
            .Append(new string('\u0001', 1024))
            .Append(string.Empty);

        foreach (var key in keys)
        {
            var sortKey = SortKeyCodec.Encode(key);

            Assert.InRange(sortKey.Length, 1, 512);
            Assert.DoesNotContain(sortKey, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) || char.IsSurrogate(c) || c >= SortKeyCodec.AboveAll);
        }
    }

    [Fact]
    public void Encode_LongestKeys_FitInTheRowKeyBudget()
    {
        var sortable = SortKeyCodec.Encode(new string('x', SortKeyCodec.MaxSortableBytes));
        var overflow = SortKeyCodec.Encode(new string('x', 1024));

        Assert.False(SortKeyCodec.IsOverflow(sortable));
        Assert.True(SortKeyCodec.IsOverflow(overflow));
        Assert.True(overflow.Length <= 512);
    }

    [Fact]
    public void Encode_OverflowKeysSharingTheSortablePrefix_ShareAGroupButNotASortKey()
    {
        var prefix = new string('x', SortKeyCodec.MaxSortableBytes);
        var a = SortKeyCodec.Encode(prefix + "a");
        var b = SortKeyCodec.Encode(prefix + "b");

        Assert.NotEqual(a, b);
        Assert.Equal(SortKeyCodec.OverflowGroupOf(a), SortKeyCodec.OverflowGroupOf(b));
        Assert.True(string.CompareOrdinal(SortKeyCodec.Encode(prefix), SortKeyCodec.OverflowGroupOf(a)) < 0);
        Assert.True(string.CompareOrdinal(SortKeyCodec.OverflowGroupOf(a) + SortKeyCodec.AboveAll, SortKeyCodec.Encode(prefix[..929] + "y")) < 0);
    }

    [Fact]
    public void PrefixRange_RandomPrefixes_ContainsExactlyTheKeysWithThePrefix()
    {
        var random = new Random(99);
        var keys = Enumerable.Range(0, 3_000).Select(_ => KeyGenerator.RandomKey(random, 24)).ToList();
        // Prefixes drawn from the keys themselves, so most ranges are non-empty.
        var prefixes = keys.Take(300).Select(k => k[..RuneBoundary(k, random)]).Append(string.Empty).Append("\uFFFF").Append("\U0001F600");

        foreach (var prefix in prefixes)
        {
            var (from, to) = SortKeyCodec.PrefixRange(prefix);
            foreach (var key in keys)
            {
                var sortKey = SortKeyCodec.Encode(key);
                var inRange = string.CompareOrdinal(sortKey, from) >= 0 && (to is null || string.CompareOrdinal(sortKey, to) < 0);

                Assert.True(inRange == key.StartsWith(prefix, StringComparison.Ordinal), $"prefix '{Escape(prefix)}', key '{Escape(key)}'");
            }
        }
    }

    [Fact]
    public void PrefixRange_LongPrefixes_CoverTheirLongKeys()
    {
        var s = new string('p', SortKeyCodec.MaxSortableBytes);
        string[] keys = [s, s + "a", s + "ab", s + "b", s[..929] + "q", s[..929] + "q" + new string('z', 94), s[..900]];

        foreach (var prefix in new[] { s[..929], s, s + "a", s + "b" })
        {
            var (from, to) = SortKeyCodec.PrefixRange(prefix);
            var inRange = keys.Where(k => string.CompareOrdinal(SortKeyCodec.Encode(k), from) >= 0 && string.CompareOrdinal(SortKeyCodec.Encode(k), to) < 0).ToHashSet();

            // Superset by contract (overflow groups are filtered by key), but only members of the group may be extra.
            Assert.Superset(keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToHashSet(), inRange);
            Assert.All(inRange.Where(k => !k.StartsWith(prefix, StringComparison.Ordinal)), k => Assert.True(Encoding.UTF8.GetByteCount(k) > SortKeyCodec.MaxSortableBytes));
        }
    }

    [Fact]
    public void StartAfter_RandomKeys_IsAboveTheKeyAndAtOrBelowEveryGreaterKey()
    {
        var random = new Random(3);
        var keys = Enumerable.Range(0, 500).Select(_ => KeyGenerator.RandomKey(random, 16)).Distinct().ToList();

        foreach (var key in keys.Take(100))
        {
            var start = SortKeyCodec.StartAfter(key);

            Assert.True(string.CompareOrdinal(SortKeyCodec.Encode(key), start) < 0);
            Assert.All(keys.Where(k => KeyGenerator.CompareUtf8(k, key) > 0), k => Assert.True(string.CompareOrdinal(SortKeyCodec.Encode(k), start) >= 0));
        }
    }

    [Fact]
    public void StartAfter_OverflowKey_RestartsAtItsGroup()
    {
        var key = new string('x', SortKeyCodec.MaxSortableBytes) + "m";

        Assert.Equal(SortKeyCodec.OverflowGroupOf(SortKeyCodec.Encode(key)), SortKeyCodec.StartAfter(key));
    }

    private static int RuneBoundary(string s, Random random)
    {
        var cut = random.Next(0, s.Length + 1);
        return cut > 0 && cut < s.Length && char.IsLowSurrogate(s[cut]) ? cut - 1 : cut;
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}

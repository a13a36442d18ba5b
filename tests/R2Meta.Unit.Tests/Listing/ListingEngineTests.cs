using System.Text;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Listing;

public sealed class ListingEngineTests
{
    private const string Secret = "listing-test-secret";
    private static readonly string[] Alphabet = ["/", "a", "b", "\U0001F600", "\uE000", "\uFFFD"];
    private static readonly string[] Delimiters = ["/", "a", "//", "a/", "\U0001F600", "\uFFFD\uE000", "ab"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task List_RandomKeySetsPagedToTheEnd_EqualTheReferenceModel(bool directoryIndex)
    {
        var random = new Random(20240611);
        for (var round = 0; round < 400; round++)
        {
            var keys = Enumerable.Range(0, random.Next(0, 40)).Select(_ => RandomString(random, 1, 6)).Distinct().ToList();
            var store = InMemoryMetadataStore.With([.. keys]);
            var prefix = random.Next(3) == 0 ? string.Empty : RandomString(random, 1, 2);
            var delimiter = random.Next(3) == 0 ? null : Delimiters[random.Next(Delimiters.Length)];
            var startAfter = random.Next(3) == 0 ? RandomString(random, 1, 4) : null;
            var maxKeys = random.Next(0, 6);
            var context = $"round {round}: keys [{string.Join(", ", keys.Select(Show))}], prefix {Show(prefix)}, delimiter {Show(delimiter)}, start-after {Show(startAfter)}, max-keys {maxKeys}";

            var expected = ReferenceListing.Entries(keys, prefix, delimiter, startAfter);
            var actual = await ListAllAsync(store, new ListQuery { Prefix = prefix, Delimiter = delimiter, MaxKeys = maxKeys, After = startAfter }, directoryIndex);

            if (maxKeys == 0)
            {
                Assert.True(actual.Count == 0, context);
                continue;
            }

            Assert.True(expected.SequenceEqual(actual), $"{context}\nexpected [{string.Join(", ", expected.Select(Show))}]\nactual   [{string.Join(", ", actual.Select(Show))}]");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task List_OverflowKeysLongerThanTheSortableBytes_AreOrderedByFullKey(bool directoryIndex)
    {
        var stem = new string('x', SortKeyCodec.MaxSortableBytes);
        string[] keys = [stem + "b", stem + "a/2", stem + "\U0001F600", stem + "a/1", stem + "\uE000", stem, "y"];
        var store = InMemoryMetadataStore.With(keys);
        foreach (var delimiter in new[] { null, "/" })
        {
            for (var maxKeys = 1; maxKeys <= 3; maxKeys++)
            {
                var expected = ReferenceListing.Entries(keys, string.Empty, delimiter, null);
                var actual = await ListAllAsync(store, new ListQuery { Delimiter = delimiter, MaxKeys = maxKeys }, directoryIndex);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public async Task List_KeyEqualToPrefix_IsListedAsContents()
    {
        var store = InMemoryMetadataStore.With("photos", "photos/a", "photosz");
        var page = await new ListingEngine(store).ListAsync("b", new ListQuery { Prefix = "photos", Delimiter = "/" });
        Assert.Equal(["photos", "photos/", "photosz"], page.Entries.Select(e => e.Name));
        Assert.Equal([false, true, false], page.Entries.Select(e => e.IsCommonPrefix));
    }

    [Fact]
    public async Task List_DelimiterAtEndOfKey_RollsTheKeyIntoItsOwnCommonPrefix()
    {
        var store = InMemoryMetadataStore.With("dir/", "dir/x", "file");
        var page = await new ListingEngine(store).ListAsync("b", new ListQuery { Delimiter = "/" });
        Assert.Equal(["dir/"], page.CommonPrefixes);
        Assert.Equal(["file"], page.Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task List_MultiCharacterDelimiter_GroupsOnTheWholeDelimiter()
    {
        var store = InMemoryMetadataStore.With("a--b--c", "a-b", "a--", "b--x", "c");
        var page = await new ListingEngine(store).ListAsync("b", new ListQuery { Delimiter = "--" });
        Assert.Equal(["a--", "a-b", "b--", "c"], page.Entries.Select(e => e.Name));
        Assert.Equal(["a--", "b--"], page.CommonPrefixes);
    }

    [Fact]
    public async Task List_PrefixNotEndingInDelimiter_GroupsAfterThePrefix()
    {
        var store = InMemoryMetadataStore.With("abc/1", "abc/2", "abd", "ab/x", "b/y");
        var page = await new ListingEngine(store).ListAsync("b", new ListQuery { Prefix = "ab", Delimiter = "/" });
        Assert.Equal(["ab/", "abc/", "abd"], page.Entries.Select(e => e.Name));
    }

    [Fact]
    public async Task List_MaxKeysZero_EmptyUntruncatedWithoutReading()
    {
        var store = InMemoryMetadataStore.With("a", "b");
        var page = await new ListingEngine(store).ListAsync("b", new ListQuery { MaxKeys = 0 });
        Assert.Empty(page.Entries);
        Assert.False(page.IsTruncated);
        Assert.Equal(0, store.ReadCalls);
    }

    [Fact]
    public async Task List_MaxKeysOne_PagesOneEntryAtATime()
    {
        var store = InMemoryMetadataStore.With("a", "b/1", "b/2", "c");
        var engine = new ListingEngine(store);
        var names = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await engine.ListAsync("b", new ListQuery { Delimiter = "/", MaxKeys = 1, After = after });
            Assert.Single(page.Entries);
            names.Add(page.Last!);
            if (!page.IsTruncated)
            {
                break;
            }

            after = page.Last;
        }

        Assert.Equal(["a", "b/", "c"], names);
    }

    [Fact]
    public async Task List_ContinuationAcrossCommonPrefixes_NeverRepeatsOrReadsBelowThem()
    {
        var store = new InMemoryMetadataStore();
        for (var p = 0; p < 5; p++)
        {
            for (var k = 0; k < 200; k++)
            {
                store.Add($"p{p}/k{k:D4}");
            }
        }

        var engine = new ListingEngine(store);
        var first = await engine.ListAsync("b", new ListQuery { Delimiter = "/", MaxKeys = 2 });
        Assert.Equal(["p0/", "p1/"], first.CommonPrefixes);
        Assert.True(first.IsTruncated);
        // One read per common prefix plus one that finds the next entry.
        Assert.Equal(3, first.StoreRoundTrips);

        var tokens = ContinuationToken.For(Secret, "b");
        var resume = tokens.TryRead(tokens.Create(first.Last!));
        var second = await engine.ListAsync("b", new ListQuery { Delimiter = "/", MaxKeys = 2, After = resume });
        Assert.Equal(["p2/", "p3/"], second.CommonPrefixes);
        var third = await engine.ListAsync("b", new ListQuery { Delimiter = "/", MaxKeys = 2, After = second.Last });
        Assert.Equal(["p4/"], third.CommonPrefixes);
        Assert.False(third.IsTruncated);
        Assert.True(store.RowsRead < 5 * 10, $"read {store.RowsRead} rows for 5 common prefixes");
    }

    [Fact]
    public async Task List_StartAfterBeyondTheLastKey_IsEmpty()
    {
        var store = InMemoryMetadataStore.With("a", "b");
        var page = await new ListingEngine(store).ListAsync("b", new ListQuery { After = "zzz" });
        Assert.Empty(page.Entries);
        Assert.False(page.IsTruncated);
    }

    [Fact]
    public async Task List_TopLevelOfAnIndexedBucket_OneRoundTripWhateverLiesBelowThePrefixes()
    {
        var store = new InMemoryMetadataStore();
        for (var k = 0; k < 20_000; k++)
        {
            store.Add($"p{k % 10}/d{k % 7}/k{k:D5}");
        }

        store.Add("top");
        var bucket = new BucketRecord { Name = "b", OwnerId = "o", CreatedAt = DateTimeOffset.UnixEpoch, HasDirectoryIndex = true };
        var engine = new ListingEngine(store);

        var page = await engine.ListAsync(bucket, new ListQuery { Delimiter = "/" });
        Assert.Equal(Enumerable.Range(0, 10).Select(p => $"p{p}/").Append("top"), page.Entries.Select(e => e.Name));
        Assert.Equal(1, page.StoreRoundTrips);
        Assert.Equal(11, store.RowsRead);

        var inner = await engine.ListAsync(bucket, new ListQuery { Prefix = "p3/", Delimiter = "/", MaxKeys = 3, After = "p3/d0/" });
        Assert.Equal(["p3/d1/", "p3/d2/", "p3/d3/"], inner.Entries.Select(e => e.Name));
        Assert.True(inner.IsTruncated);
        Assert.Equal(1, inner.StoreRoundTrips);

        // Any other grouping scans the keys and seeks past each prefix.
        var other = await engine.ListAsync(bucket, new ListQuery { Prefix = "p3", Delimiter = "/" });
        Assert.Equal(["p3/"], other.Entries.Select(e => e.Name));
    }

    [Fact]
    public async Task List_StartAfterACommonPrefix_SkipsIt()
    {
        var store = InMemoryMetadataStore.With("a/1", "a/2", "b");
        var page = await new ListingEngine(store).ListAsync("b", new ListQuery { Delimiter = "/", After = "a/" });
        Assert.Equal(["b"], page.Entries.Select(e => e.Name));
        Assert.Equal(1, store.ReadCalls);
    }

    [Fact]
    public async Task List_NoDelimiterFullPage_OneRoundTrip()
    {
        var store = new InMemoryMetadataStore();
        for (var k = 0; k < 3000; k++)
        {
            store.Add($"k{k:D5}");
        }

        var page = await new ListingEngine(store).ListAsync("b", new ListQuery());
        Assert.Equal(1000, page.Entries.Count);
        Assert.True(page.IsTruncated);
        Assert.Equal(1, page.StoreRoundTrips);
    }

    [Fact]
    public void ContinuationToken_RoundTripsThePosition()
    {
        var tokens = ContinuationToken.For(Secret, "b");
        foreach (var position in new[] { "a", "p0/", "\U0001F600/\u0001", new string('z', 1024) })
        {
            Assert.Equal(position, tokens.TryRead(tokens.Create(position)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("!!!not-base64!!!")]
    [InlineData("AQ")]
    public void ContinuationToken_Garbled_IsRejected(string token) =>
        Assert.Null(ContinuationToken.For(Secret, "b").TryRead(token));

    [Fact]
    public void ContinuationToken_Forged_IsRejected()
    {
        var tokens = ContinuationToken.For(Secret, "b");
        var bytes = Convert.FromBase64String(ToBase64(tokens.Create("key-1")));
        // Change the position without the key: the MAC no longer matches.
        bytes[^17] ^= 0x01;
        Assert.Null(tokens.TryRead(ToBase64Url(bytes)));
        // A token of another bucket or another secret does not verify either.
        Assert.Null(ContinuationToken.For(Secret, "other").TryRead(tokens.Create("key-1")));
        Assert.Null(ContinuationToken.For("another-secret", "b").TryRead(tokens.Create("key-1")));
    }

    [Fact]
    public void ContinuationToken_SameSecretAndBucket_VerifiesAcrossInstances() =>
        Assert.Equal("k", ContinuationToken.For(Secret, "b").TryRead(ContinuationToken.For(Secret, "b").Create("k")));

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("dir/file-1_2.txt*", "dir/file-1_2.txt*")]
    [InlineData("a\u0001b", "a%01b")]
    [InlineData("~é", "%7E%C3%A9")]
    [InlineData("\U0001F600", "%F0%9F%98%80")]
    public void UrlEncoding_MatchesS3(string raw, string encoded) => Assert.Equal(encoded, S3UrlEncoding.Encode(raw));

    private static async Task<List<string>> ListAllAsync(InMemoryMetadataStore store, ListQuery query, bool directoryIndex)
    {
        var bucket = new BucketRecord { Name = "b", OwnerId = "o", CreatedAt = DateTimeOffset.UnixEpoch, HasDirectoryIndex = directoryIndex };
        var engine = new ListingEngine(store);
        var tokens = ContinuationToken.For(Secret, "b");
        var names = new List<string>();
        var after = query.After;
        for (var pages = 0; pages < 1000; pages++)
        {
            var calls = store.ReadCalls;
            var page = await engine.ListAsync(bucket, query with { After = after });
            Assert.True(page.Entries.Count <= query.MaxKeys);
            Assert.Equal(store.ReadCalls - calls, page.StoreRoundTrips);
            names.AddRange(page.Entries.Select(e => e.Name));
            if (!page.IsTruncated)
            {
                return names;
            }

            Assert.Equal(query.MaxKeys, page.Entries.Count);
            after = tokens.TryRead(tokens.Create(page.Last!));
        }

        throw new InvalidOperationException("The listing did not end.");
    }

    private static string RandomString(Random random, int min, int max)
    {
        var sb = new StringBuilder();
        var length = random.Next(min, max + 1);
        for (var i = 0; i < length; i++)
        {
            sb.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return sb.ToString();
    }

    private static string Show(string? s) => s is null ? "null" : "\"" + string.Concat(s.EnumerateRunes().Select(r => r.Value < 128 ? r.ToString() : $"\\u{r.Value:X}")) + "\"";

    private static string ToBase64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

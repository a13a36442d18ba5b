using R2Meta.Domain.Keys;

namespace R2Meta.Unit.Tests.Keys;

public sealed class OrderedScannerTests
{
    private const string Bucket = "b";

    private static readonly string Sortable930 = new('k', SortKeyCodec.MaxSortableBytes);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    public async Task Next_OverflowGroupsCutByPages_YieldsUtf8Order(int pageSize)
    {
        var store = new InMemoryMetadataStore();
        var keys = OverflowHeavyKeys();
        foreach (var key in keys)
        {
            store.Add(Bucket, key);
        }

        var listed = await DrainAsync(new OrderedScanner(store, Bucket, string.Empty, null, pageSize));

        Assert.Equal(keys.Order(Comparer<string>.Create(KeyGenerator.CompareUtf8)), listed);
    }

    [Fact]
    public async Task Next_RandomKeysIncludingLongOnes_YieldsUtf8Order()
    {
        var random = new Random(5);
        var store = new InMemoryMetadataStore();
        var keys = Enumerable.Range(0, 300).Select(_ => KeyGenerator.RandomKey(random, 30))
            .Concat(Enumerable.Range(0, 40).Select(_ => Sortable930 + KeyGenerator.RandomKey(random, 90)))
            .Distinct().ToList();
        foreach (var key in keys)
        {
            store.Add(Bucket, key);
        }

        var listed = await DrainAsync(new OrderedScanner(store, Bucket, string.Empty, null, 7));

        Assert.Equal(keys.Order(Comparer<string>.Create(KeyGenerator.CompareUtf8)), listed);
    }

    [Fact]
    public async Task Next_ShortPage_EndsWithoutAnotherRead()
    {
        var store = new InMemoryMetadataStore();
        store.Add(Bucket, "a");
        store.Add(Bucket, "b");
        var scanner = new OrderedScanner(store, Bucket, string.Empty, null, 3);

        var listed = await DrainAsync(scanner);

        Assert.Equal(["a", "b"], listed);
        Assert.Equal(1, scanner.RoundTrips);
    }

    [Fact]
    public async Task SeekTo_AfterTheLastPage_DoesNotReadAgain()
    {
        var store = new InMemoryMetadataStore();
        foreach (var key in new[] { "a", "d/1", "d/2" })
        {
            store.Add(Bucket, key);
        }

        var scanner = new OrderedScanner(store, Bucket, string.Empty, null, 5);
        var first = await scanner.NextAsync();
        var second = await scanner.NextAsync();
        scanner.SeekTo(SortKeyCodec.After("d/")!);
        var end = await scanner.NextAsync();

        Assert.Equal(["a", "d/1"], new[] { first!.Value.Name, second!.Value.Name });
        Assert.Null(end);
        Assert.Equal(1, scanner.RoundTrips);
    }

    [Fact]
    public async Task SeekTo_PastACommonPrefix_SkipsItWithOneRead()
    {
        var store = new InMemoryMetadataStore();
        store.Add(Bucket, "a");
        for (var i = 0; i < 50; i++)
        {
            store.Add(Bucket, $"d/{i:D2}");
        }

        store.Add(Bucket, "e");
        var scanner = new OrderedScanner(store, Bucket, string.Empty, null, 2);

        await scanner.NextAsync();
        await scanner.NextAsync();
        scanner.SeekTo(SortKeyCodec.After("d/")!);
        var next = await scanner.NextAsync();

        Assert.Equal("e", next!.Value.Name);
        Assert.Equal(2, scanner.RoundTrips);
    }

    [Fact]
    public async Task Next_UpperBoundInsideRange_StopsAtIt()
    {
        var store = new InMemoryMetadataStore();
        foreach (var key in new[] { "a", "b/1", "b/2", "b/3", "c" })
        {
            store.Add(Bucket, key);
        }

        var (from, to) = SortKeyCodec.PrefixRange("b/");
        var listed = await DrainAsync(new OrderedScanner(store, Bucket, from, to, 2));

        Assert.Equal(["b/1", "b/2", "b/3"], listed);
    }

    private static List<string> OverflowHeavyKeys()
    {
        var s = Sortable930;
        return
        [
            "a", s[..929], s, s + "\u0001", s + "a", s + "b", s + "b" + new string('z', 93), s + "ba", s + "\uFFFD", s + "\U0001F600",
            s + "\uE000", s[..929] + "l", s[..929] + "l" + new string('m', 94), s[..929] + "l" + new string('n', 94), "z",
        ];
    }

    private static async Task<List<string>> DrainAsync(OrderedScanner scanner)
    {
        var keys = new List<string>();
        while (await scanner.NextAsync() is { } record)
        {
            keys.Add(record.Name);
        }

        return keys;
    }
}

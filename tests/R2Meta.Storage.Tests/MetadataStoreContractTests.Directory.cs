using R2Meta.Domain.Keys;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tests;

// The directory index (IMetadataStore.ReadDirectoryAsync): what "/"-delimited listings read.
public abstract partial class MetadataStoreContractTests
{
    [Fact]
    public async Task CreateBucket_DirectoryIndexFlag_IsKept()
    {
        var indexed = NewBucket("owner-a") with { HasDirectoryIndex = true };
        var plain = NewBucket("owner-a");
        await Store.CreateBucketAsync(indexed);
        await Store.CreateBucketAsync(plain);

        Assert.True((await Store.GetBucketAsync(indexed.Name)).Value!.HasDirectoryIndex);
        Assert.False((await Store.GetBucketAsync(plain.Name)).Value!.HasDirectoryIndex);
    }

    [Fact]
    public async Task ReadDirectory_HoldsItsObjectsAndSubdirectoriesInUtf8Order()
    {
        var (bucket, _) = await SeedAsync(["a", "a/1", "a/b/2", "a-", "b/", "b/x", "c/d/e", "\U0001F600/x", "\uE000", "z"]);

        var top = await Store.ReadDirectoryAsync(bucket, string.Empty, string.Empty, null, 100);
        Assert.Equal(["a", "a-", "a/", "b/", "c/", "z", "\uE000", "\U0001F600/"], top.Select(e => e.Name));
        Assert.Equal([false, false, true, true, true, false, false, true], top.Select(e => e.IsCommonPrefix));
        Assert.All(top.Where(e => !e.IsCommonPrefix), e => Assert.Equal(e.Name, e.Object!.Key));

        var a = await Store.ReadDirectoryAsync(bucket, "a/", string.Empty, null, 100);
        Assert.Equal(["a/1", "a/b/"], a.Select(e => e.Name));
        Assert.Equal(1234, a[0].Object!.Size);

        // The key "b/" is an object of directory "b/" (and rolls up into "b/" at the top level).
        var b = await Store.ReadDirectoryAsync(bucket, "b/", string.Empty, null, 100);
        Assert.Equal(["b/", "b/x"], b.Select(e => e.Name));
        Assert.All(b, e => Assert.False(e.IsCommonPrefix));

        Assert.Equal(["c/d/"], (await Store.ReadDirectoryAsync(bucket, "c/", string.Empty, null, 100)).Select(e => e.Name));
        Assert.Empty(await Store.ReadDirectoryAsync(bucket, "nothing/", string.Empty, null, 100));
    }

    [Fact]
    public async Task ReadDirectory_Entry_CarriesWhatAListingShows()
    {
        var (bucket, record) = await PutHeaviestRowAsync();

        var entry = Assert.Single(await Store.ReadDirectoryAsync(bucket, "dir/", string.Empty, null, 10));
        var listed = entry.Object!;

        Assert.Equal(("dir/big", record.Size, record.ETag, record.LastModified, "STANDARD_IA"), (listed.Key, listed.Size, listed.ETag, listed.LastModified, listed.StorageClass));
        Assert.Equal(record.Checksums, listed.Checksums);
        Assert.Equal("COMPOSITE", listed.ChecksumType);
        Assert.Equal(record.BlobName, listed.BlobName);
    }

    [Fact]
    public async Task ReadListingRange_Record_CarriesWhatAListingShows_WithoutPartDataTagsOrHeaders()
    {
        // A flat listing page of 1,000 such objects would otherwise fetch and parse 80 MB of part sizes it never shows.
        var (bucket, record) = await PutHeaviestRowAsync();

        var listed = Assert.Single(await Store.ReadListingRangeAsync(bucket, string.Empty, null, 10));

        Assert.Equal(("dir/big", record.Size, record.ETag, record.LastModified, "STANDARD_IA"), (listed.Key, listed.Size, listed.ETag, listed.LastModified, listed.StorageClass));
        Assert.Equal(record.Checksums, listed.Checksums);
        Assert.Equal("COMPOSITE", listed.ChecksumType);
        Assert.Equal(record.PartsCount, listed.PartsCount);
        Assert.Equal(record.BlobName, listed.BlobName);
        Assert.Null(listed.PartSizes);
        Assert.Null(listed.PartChecksums);
        Assert.True(listed.Tags is null or { Count: 0 });
        Assert.Null(listed.Headers.ContentType);

        // The whole record is still what ReadRangeAsync reads.
        var full = Assert.Single(await Store.ReadRangeAsync(bucket, string.Empty, null, 10));
        Assert.Equal(record.PartSizes, full.PartSizes);
        Assert.Equal("text/plain", full.Headers.ContentType);
    }

    [Fact]
    public async Task ReadListingRange_ReadsTheKeysReadRangeReads()
    {
        var (bucket, keys) = await SeedAsync(["x/y/z", "x/", "q", "x/1"]);

        var listed = await Store.ReadListingRangeAsync(bucket, string.Empty, null, 100);
        Assert.Equal(Utf8KeyOrder.Sort(keys), listed.Select(r => r.Key));

        var page = await Store.ReadListingRangeAsync(bucket, SortKeyCodec.StartAfter("q"), SortKeyCodec.Encode("x/y/z"), 1);
        Assert.Equal(["x/"], page.Select(r => r.Key));
    }

    /// <summary>The heaviest row a listing reads: "dir/big", 10,000 parts, content headers and tags, in a new bucket.</summary>
    private async Task<(string Bucket, ObjectRecord Record)> PutHeaviestRowAsync()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var record = TenThousandParts(bucket, "dir/big") with
        {
            StorageClass = "STANDARD_IA",
            Headers = new ContentHeaders { ContentType = "text/plain", UserMetadata = new Dictionary<string, string> { ["a"] = "b" } },
            Tags = [new Tag("t", "v")],
        };
        Assert.Equal(StoreStatus.Ok, (await Store.PutObjectAsync(record, WriteCondition.IfAbsent)).Status);
        return (bucket, record);
    }

    [Fact]
    public async Task ReadDirectory_RangeAndLimit_AreHonoured()
    {
        var (bucket, _) = await SeedAsync(["d/1", "d/2", "d/3/x", "d/4", "d/5"]);

        var page = await Store.ReadDirectoryAsync(bucket, "d/", SortKeyCodec.StartAfter("d/1"), null, 2);
        Assert.Equal(["d/2", "d/3/"], page.Select(e => e.Name));

        var bounded = await Store.ReadDirectoryAsync(bucket, "d/", SortKeyCodec.After("d/3/")!, SortKeyCodec.Encode("d/5"), 10);
        Assert.Equal(["d/4"], bounded.Select(e => e.Name));
    }

    [Fact]
    public async Task ReadRange_NeverReturnsIndexEntries()
    {
        var (bucket, keys) = await SeedAsync(["x/y/z", "x/", "q"]);

        var all = await Store.ReadRangeAsync(bucket, string.Empty, null, 100);
        Assert.Equal(Utf8KeyOrder.Sort(keys), all.Select(r => r.Key));
    }

    [Fact]
    public async Task DeleteObject_LastInItsDirectories_RemovesThemAndNothingElse()
    {
        var (bucket, _) = await SeedAsync(["x/y/z", "x/1", "w/v/u"]);

        await DeleteAsync(bucket, "x/y/z");
        Assert.Equal(["w/", "x/"], await NamesAsync(bucket, string.Empty));
        Assert.Equal(["x/1"], await NamesAsync(bucket, "x/"));
        Assert.Empty(await NamesAsync(bucket, "x/y/"));

        await DeleteAsync(bucket, "x/1");
        await DeleteAsync(bucket, "w/v/u");
        Assert.Empty(await NamesAsync(bucket, string.Empty));
        Assert.Empty(await Store.ReadRangeAsync(bucket, string.Empty, null, 1));
    }

    [Fact]
    public async Task PutObject_Overwrite_KeepsOneEntryWithTheNewRecord()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var first = await Store.PutObjectAsync(NewObject(bucket, "o/k"), WriteCondition.IfAbsent);
        var second = await Store.PutObjectAsync(NewObject(bucket, "o/k") with { Size = 99, ETag = "\"new\"" }, WriteCondition.IfVersion(first.Value!.Version!));
        Assert.Equal(StoreStatus.Ok, second.Status);

        var entries = await Store.ReadDirectoryAsync(bucket, "o/", string.Empty, null, 10);
        var entry = Assert.Single(entries);
        Assert.Equal(99, entry.Object!.Size);
        Assert.Equal("\"new\"", entry.Object.ETag);

        // A refused write changes nothing in the index.
        var refused = await Store.PutObjectAsync(NewObject(bucket, "o/k") with { Size = 7 }, WriteCondition.IfAbsent);
        Assert.Equal(StoreStatus.AlreadyExists, refused.Status);
        Assert.Equal(99, Assert.Single(await Store.ReadDirectoryAsync(bucket, "o/", string.Empty, null, 10)).Object!.Size);
    }

    [Fact]
    public async Task DeleteObject_RacingAPutIntoTheSameDirectory_KeepsTheDirectoryWhileItHoldsAnObject()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        for (var round = 0; round < 8; round++)
        {
            var put = await Store.PutObjectAsync(NewObject(bucket, $"r/{round}/old"), WriteCondition.IfAbsent);
            await Task.WhenAll(
                Store.DeleteObjectAsync(bucket, $"r/{round}/old", put.Value!.Version!),
                Store.PutObjectAsync(NewObject(bucket, $"r/{round}/new"), WriteCondition.IfAbsent));

            Assert.Equal(["r/"], await NamesAsync(bucket, string.Empty));
            Assert.Contains($"r/{round}/", await NamesAsync(bucket, "r/"));
            Assert.Equal([$"r/{round}/new"], await NamesAsync(bucket, $"r/{round}/"));
        }
    }

    [Fact]
    public async Task ReadDirectory_AwkwardAndLongKeys_MatchTheKeysBelowEachDirectory()
    {
        var keys = AwkwardKeys().Concat(LongKeys()).Concat(LongKeys().Select(k => k.Length > 900 ? k[..900] + "/" + k[900..] : "long/" + k)).Distinct().ToList();
        keys.RemoveAll(k => System.Text.Encoding.UTF8.GetByteCount(k) > 1024);
        var (bucket, _) = await SeedAsync(keys);

        var directories = keys.SelectMany(DirectoriesOf).Prepend(string.Empty).Distinct();
        foreach (var directory in directories)
        {
            var expected = Utf8KeyOrder.Sort(keys
                .Where(k => k.StartsWith(directory, StringComparison.Ordinal))
                .Select(k => k.IndexOf('/', directory.Length) is var slash and >= 0 ? k[..(slash + 1)] : k)
                .Distinct());
            // Entries of one overflow group come in any order (the scanner orders them): compare sorted.
            // A directory longer than the sortable bytes shares its range with the rest of its overflow group: filter by name.
            var actual = Utf8KeyOrder.Sort((await NamesAsync(bucket, directory)).Where(n => n.StartsWith(directory, StringComparison.Ordinal)));
            Assert.True(expected.SequenceEqual(actual), $"directory '{directory}': expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        }
    }

    [Fact]
    public async Task ListingEngine_OnAnIndexedBucket_ListsTheTopLevelInOneRoundTrip()
    {
        var bucket = NewBucket("owner-a") with { HasDirectoryIndex = true };
        await Store.CreateBucketAsync(bucket);
        foreach (var key in Enumerable.Range(0, 60).Select(i => $"p{i % 3}/s{i % 4}/k{i:D2}").Append("top"))
        {
            Assert.Equal(StoreStatus.Ok, (await Store.PutObjectAsync(NewObject(bucket.Name, key), WriteCondition.IfAbsent)).Status);
        }

        var page = await new ListingEngine(Store).ListAsync(bucket, new ListQuery { Delimiter = "/" });

        Assert.Equal(["p0/", "p1/", "p2/", "top"], page.Entries.Select(e => e.Name));
        Assert.False(page.IsTruncated);
        Assert.Equal(1, page.StoreRoundTrips);
    }

    private static IEnumerable<string> DirectoriesOf(string key)
    {
        for (var slash = key.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = key.IndexOf('/', slash + 1))
        {
            yield return key[..(slash + 1)];
        }
    }

    private async Task<List<string>> NamesAsync(string bucket, string directory) =>
        [.. (await Store.ReadDirectoryAsync(bucket, directory, string.Empty, null, 1000)).Select(e => e.Name)];

    private async Task DeleteAsync(string bucket, string key)
    {
        var current = await Store.GetObjectAsync(bucket, key);
        Assert.Equal(StoreStatus.Ok, await Store.DeleteObjectAsync(bucket, key, current.Value!.Version!));
    }
}

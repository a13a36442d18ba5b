using System.Text;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tests;

// The behaviour every IMetadataStore must show. To run it against a backend, subclass once:
// `public sealed class XTests : MetadataStoreContractTests { protected override Task<IMetadataStore> CreateStoreAsync() => ...; }`
// returning a store whose InitializeAsync has run; tests create their own Guid-named buckets, so stores may be shared.
public abstract partial class MetadataStoreContractTests : IAsyncLifetime
{
    private const int PageSize = 3;

    /// <summary>930 bytes: the longest key that still sorts by its own bytes (see <see cref="SortKeyCodec.MaxSortableBytes"/>).</summary>
    private static readonly string Sortable930 = new('k', SortKeyCodec.MaxSortableBytes);

    private IMetadataStore? _store;

    protected IMetadataStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>A store of the backend under test, initialized (tables/containers exist).</summary>
    protected abstract Task<IMetadataStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateBucket_New_IsOkAndReadable()
    {
        var bucket = NewBucket("owner-a");

        var created = await Store.CreateBucketAsync(bucket);
        var read = await Store.GetBucketAsync(bucket.Name);

        Assert.Equal(StoreStatus.Ok, created.Status);
        Assert.False(string.IsNullOrEmpty(created.Value!.Version));
        Assert.Equal(StoreStatus.Ok, read.Status);
        Assert.Equal(bucket.Name, read.Value!.Name);
        Assert.Equal("owner-a", read.Value.OwnerId);
        Assert.Equal(bucket.CreatedAt, read.Value.CreatedAt);
        Assert.Equal(bucket.Region, read.Value.Region);
    }

    [Fact]
    public async Task GetBucket_Missing_NotFound()
    {
        var read = await Store.GetBucketAsync(StorageTestEnvironment.UniqueBucketName());

        Assert.Equal(StoreStatus.NotFound, read.Status);
    }

    [Fact]
    public async Task CreateBucket_Existing_AlreadyExistsWithTheExistingRecord()
    {
        var bucket = NewBucket("owner-a");
        await Store.CreateBucketAsync(bucket);

        var second = await Store.CreateBucketAsync(bucket with { OwnerId = "owner-b" });

        Assert.Equal(StoreStatus.AlreadyExists, second.Status);
        Assert.Equal("owner-a", second.Value!.OwnerId);
    }

    [Fact]
    public async Task CreateBucket_TwoConcurrentCreates_OneOkOneAlreadyExists()
    {
        var name = StorageTestEnvironment.UniqueBucketName();
        var first = NewBucket("owner-a") with { Name = name };
        var second = NewBucket("owner-b") with { Name = name };

        var results = await Task.WhenAll(Store.CreateBucketAsync(first), Store.CreateBucketAsync(second));

        Assert.Equal([StoreStatus.Ok, StoreStatus.AlreadyExists], results.Select(r => r.Status).Order());
        var winner = results.Single(r => r.IsOk).Value!.OwnerId;
        Assert.Equal(winner, (await Store.GetBucketAsync(name)).Value!.OwnerId);
    }

    [Fact]
    public async Task ListBuckets_ByOwner_ReturnsOnlyThatOwnersBucketsByName()
    {
        var owner = "owner-" + Guid.NewGuid().ToString("N");
        var mine = Enumerable.Range(0, 3).Select(_ => NewBucket(owner)).ToList();
        await Task.WhenAll(mine.Select(b => Store.CreateBucketAsync(b)));
        await Store.CreateBucketAsync(NewBucket("someone-else"));

        var listed = await Store.ListBucketsAsync(owner);

        Assert.Equal(mine.Select(b => b.Name).Order(StringComparer.Ordinal), listed.Select(b => b.Name));
        Assert.All(listed, b => Assert.Equal(owner, b.OwnerId));
    }

    [Fact]
    public async Task ReplaceBucket_CurrentVersion_StoresEncryptionAndClearsIt()
    {
        var bucket = (await Store.CreateBucketAsync(NewBucket("owner-a"))).Value!;

        var set = await Store.ReplaceBucketAsync(bucket with { Encryption = new BucketEncryption { BucketKeyEnabled = true } });
        var read = (await Store.GetBucketAsync(bucket.Name)).Value!;
        var cleared = await Store.ReplaceBucketAsync(read with { Encryption = null });
        var again = (await Store.GetBucketAsync(bucket.Name)).Value!;

        Assert.Equal(StoreStatus.Ok, set.Status);
        Assert.Equal(new BucketEncryption { Algorithm = "AES256", BucketKeyEnabled = true }, read.Encryption);
        Assert.Equal(bucket.OwnerId, read.OwnerId);
        Assert.True(read.HasDirectoryIndex == bucket.HasDirectoryIndex);
        Assert.Equal(StoreStatus.Ok, cleared.Status);
        Assert.Null(again.Encryption);
    }

    [Fact]
    public async Task ReplaceBucket_StaleVersionOrDeleted_PreconditionFailed()
    {
        var bucket = (await Store.CreateBucketAsync(NewBucket("owner-a"))).Value!;
        await Store.ReplaceBucketAsync(bucket with { Encryption = BucketEncryption.Default });

        var stale = await Store.ReplaceBucketAsync(bucket with { Encryption = null });
        await Store.DeleteBucketAsync(bucket.Name);
        var current = (await Store.GetBucketAsync(bucket.Name)).Status;
        var gone = await Store.ReplaceBucketAsync(bucket with { Encryption = null });

        Assert.Equal(StoreStatus.PreconditionFailed, stale.Status);
        Assert.Equal(StoreStatus.NotFound, current);
        Assert.Equal(StoreStatus.PreconditionFailed, gone.Status);
    }

    [Fact]
    public async Task DeleteBucket_Existing_OkThenGone()
    {
        var bucket = NewBucket("owner-a");
        await Store.CreateBucketAsync(bucket);

        var deleted = await Store.DeleteBucketAsync(bucket.Name);
        var again = await Store.DeleteBucketAsync(bucket.Name);

        Assert.Equal(StoreStatus.Ok, deleted);
        Assert.Equal(StoreStatus.NotFound, again);
        Assert.Equal(StoreStatus.NotFound, (await Store.GetBucketAsync(bucket.Name)).Status);
    }

    [Fact]
    public async Task PutObject_IfAbsent_GetReturnsEveryField()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "photos/2024/cat.jpg") with
        {
            Headers = EveryHeader,
            StorageClass = "STANDARD_IA",
            Checksums = new Dictionary<string, string> { ["CRC32"] = "AAAAAA==", ["SHA256"] = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
            ChecksumType = "COMPOSITE",
            PartsCount = 3,
            PartSizes = [5_242_880, 5_242_880, 17],
            PartChecksums = ["AAAAAQ==", "AAAAAg==", "AAAAAw=="],
        };

        var put = await Store.PutObjectAsync(record, WriteCondition.IfAbsent);
        var read = await Store.GetObjectAsync(record.Bucket, record.Key);

        Assert.Equal(StoreStatus.Ok, put.Status);
        Assert.False(string.IsNullOrEmpty(put.Value!.Version));
        Assert.Equal(StoreStatus.Ok, read.Status);
        var got = read.Value!;
        Assert.Equal(put.Value.Version, got.Version);
        Assert.Equal(record.Bucket, got.Bucket);
        Assert.Equal(record.Key, got.Key);
        Assert.Equal(record.BlobName, got.BlobName);
        Assert.Equal(record.Size, got.Size);
        Assert.Equal(record.ETag, got.ETag);
        Assert.Equal(record.LastModified, got.LastModified);
        AssertEveryHeader(got.Headers);
        Assert.Equal(record.StorageClass, got.StorageClass);
        Assert.Equal(record.Checksums, got.Checksums);
        Assert.Equal(record.ChecksumType, got.ChecksumType);
        Assert.Equal(record.PartsCount, got.PartsCount);
        Assert.Equal(record.PartSizes, got.PartSizes);
        Assert.Equal(record.PartChecksums, got.PartChecksums);
    }

    [Fact]
    public async Task PutObject_TenThousandPartsWithSha256Checksums_ReadsBackEveryPart()
    {
        var record = TenThousandParts(StorageTestEnvironment.UniqueBucketName(), "big/multipart");

        var put = await Store.PutObjectAsync(record, WriteCondition.IfAbsent);
        var got = (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!;

        Assert.Equal(StoreStatus.Ok, put.Status);
        Assert.Equal(10_000, got.PartsCount);
        Assert.Equal(record.PartSizes, got.PartSizes);
        Assert.Equal(record.PartChecksums, got.PartChecksums);
    }

    /// <summary>The most a multipart object holds: 10,000 parts, each with a SHA-256 (the largest digest).</summary>
    protected static ObjectRecord TenThousandParts(string bucket, string key)
    {
        var sizes = Enumerable.Range(0, 10_000).Select(i => 5_242_880L + i).ToArray();
        return NewObject(bucket, key) with
        {
            Size = sizes.Sum(),
            Checksums = new Dictionary<string, string> { ["SHA256"] = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=-10000" },
            ChecksumType = "COMPOSITE",
            PartsCount = sizes.Length,
            PartSizes = sizes,
            PartChecksums = [.. sizes.Select(s => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(s))))],
        };
    }

    [Fact]
    public async Task PutObject_MinimalRecord_OptionalFieldsReadBackEmpty()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k");
        await Store.PutObjectAsync(record, WriteCondition.IfAbsent);

        var got = (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!;

        Assert.Equal(ContentHeaders.None, got.Headers);
        Assert.Null(got.Headers.ContentType);
        Assert.Empty(got.Headers.UserMetadata);
        Assert.Null(got.ChecksumType);
        Assert.Null(got.PartsCount);
        Assert.Null(got.PartSizes);
        Assert.Null(got.PartChecksums);
        Assert.Empty(got.Checksums);
        Assert.Equal("STANDARD", got.StorageClass);
    }

    [Fact]
    public async Task GetObject_Missing_NotFound()
    {
        var read = await Store.GetObjectAsync(StorageTestEnvironment.UniqueBucketName(), "nope");

        Assert.Equal(StoreStatus.NotFound, read.Status);
    }

    [Fact]
    public async Task PutObject_IfAbsentWhenPresent_AlreadyExistsAndKeepsTheFirst()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k");
        await Store.PutObjectAsync(record, WriteCondition.IfAbsent);

        var second = await Store.PutObjectAsync(record with { BlobName = "other" }, WriteCondition.IfAbsent);

        Assert.Equal(StoreStatus.AlreadyExists, second.Status);
        Assert.Equal(record.BlobName, (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!.BlobName);
    }

    [Fact]
    public async Task PutObject_IfCurrentVersion_ReplacesAndChangesVersion()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k");
        var first = (await Store.PutObjectAsync(record, WriteCondition.IfAbsent)).Value!;

        var replaced = await Store.PutObjectAsync(record with { BlobName = "v2", Size = 7 }, WriteCondition.IfVersion(first.Version!));
        var read = (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!;

        Assert.Equal(StoreStatus.Ok, replaced.Status);
        Assert.NotEqual(first.Version, replaced.Value!.Version);
        Assert.Equal(replaced.Value.Version, read.Version);
        Assert.Equal("v2", read.BlobName);
        Assert.Equal(7, read.Size);
    }

    [Fact]
    public async Task PutObject_IfStaleVersion_PreconditionFailedAndUnchanged()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k");
        var first = (await Store.PutObjectAsync(record, WriteCondition.IfAbsent)).Value!;
        await Store.PutObjectAsync(record with { BlobName = "v2" }, WriteCondition.IfVersion(first.Version!));

        var stale = await Store.PutObjectAsync(record with { BlobName = "v3" }, WriteCondition.IfVersion(first.Version!));

        Assert.Equal(StoreStatus.PreconditionFailed, stale.Status);
        Assert.Equal("v2", (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!.BlobName);
    }

    [Fact]
    public async Task PutObject_IfVersionOfDeletedObject_PreconditionFailedAndNotCreated()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k");
        var first = (await Store.PutObjectAsync(record, WriteCondition.IfAbsent)).Value!;
        await Store.DeleteObjectAsync(record.Bucket, record.Key, first.Version!);

        var replaced = await Store.PutObjectAsync(record, WriteCondition.IfVersion(first.Version!));

        Assert.Equal(StoreStatus.PreconditionFailed, replaced.Status);
        Assert.Equal(StoreStatus.NotFound, (await Store.GetObjectAsync(record.Bucket, record.Key)).Status);
    }

    [Fact]
    public async Task DeleteObject_CurrentVersion_OkAndGone()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k");
        var put = (await Store.PutObjectAsync(record, WriteCondition.IfAbsent)).Value!;

        var deleted = await Store.DeleteObjectAsync(record.Bucket, record.Key, put.Version!);

        Assert.Equal(StoreStatus.Ok, deleted);
        Assert.Equal(StoreStatus.NotFound, (await Store.GetObjectAsync(record.Bucket, record.Key)).Status);
    }

    [Fact]
    public async Task DeleteObject_StaleVersion_PreconditionFailedAndKept()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k");
        var first = (await Store.PutObjectAsync(record, WriteCondition.IfAbsent)).Value!;
        await Store.PutObjectAsync(record with { BlobName = "v2" }, WriteCondition.IfVersion(first.Version!));

        var deleted = await Store.DeleteObjectAsync(record.Bucket, record.Key, first.Version!);

        Assert.Equal(StoreStatus.PreconditionFailed, deleted);
        Assert.Equal("v2", (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!.BlobName);
    }

    [Fact]
    public async Task DeleteObject_Missing_NotFound()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k");
        var put = (await Store.PutObjectAsync(record, WriteCondition.IfAbsent)).Value!;
        await Store.DeleteObjectAsync(record.Bucket, record.Key, put.Version!);

        var again = await Store.DeleteObjectAsync(record.Bucket, record.Key, put.Version!);

        Assert.Equal(StoreStatus.NotFound, again);
    }

    [Fact]
    public async Task PutObject_SixteenConcurrentCreatesOfOneKey_ExactlyOneWins()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var attempts = Enumerable.Range(0, 16).Select(i => NewObject(bucket, "contended") with { BlobName = $"blob-{i}" }).ToList();

        var results = await Task.WhenAll(attempts.Select(r => Store.PutObjectAsync(r, WriteCondition.IfAbsent)));

        var winner = Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(StoreStatus.AlreadyExists, r.Status));
        Assert.Equal(winner.Value!.BlobName, (await Store.GetObjectAsync(bucket, "contended")).Value!.BlobName);
    }

    [Fact]
    public async Task Scan_WholeBucket_ListsInUtf8ByteOrder()
    {
        var (bucket, keys) = await SeedAsync(AwkwardKeys());

        var listed = await ScanAsync(bucket, string.Empty, null);

        Assert.Equal(Utf8KeyOrder.Sort(keys), listed);
    }

    [Fact]
    public async Task Scan_NonBmpAndPrivateUseKeys_NonBmpSortsAfterUpperBmp()
    {
        // UTF-16 ordinal order would put the surrogate pair (D83D) before E000 and FFFD; S3 does the opposite.
        var (bucket, _) = await SeedAsync(["\uE000", "\uFFFD", "\U0001F600", "\uFFFF"]);

        var listed = await ScanAsync(bucket, string.Empty, null);

        Assert.Equal(["\uE000", "\uFFFD", "\uFFFF", "\U0001F600"], listed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a/")]
    [InlineData("a/b")]
    [InlineData("abcdefghijklmn")]
    [InlineData("abcdefghijklmno")]
    [InlineData("\uFFFD")]
    [InlineData("\U0001F600")]
    [InlineData("%")]
    [InlineData("nothing-here")]
    public async Task Scan_Prefix_ReturnsExactlyTheKeysWithThePrefixInOrder(string prefix)
    {
        var (bucket, keys) = await SeedAsync(AwkwardKeys());
        var (from, to) = SortKeyCodec.PrefixRange(prefix);

        var listed = await ScanAsync(bucket, from, to);

        Assert.Equal(Utf8KeyOrder.Sort(keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))), listed);
    }

    [Fact]
    public async Task Scan_StartAfterEachKey_ResumesRightAfterIt()
    {
        var (bucket, keys) = await SeedAsync(AwkwardKeys());
        var ordered = Utf8KeyOrder.Sort(keys);

        foreach (var startAfter in ordered.Where((_, i) => i % 4 == 0).Append("a/b/") .Append("zzz"))
        {
            var listed = (await ScanAsync(bucket, SortKeyCodec.StartAfter(startAfter), null))
                .Where(k => Utf8KeyOrder.Compare(k, startAfter) > 0);

            Assert.Equal(ordered.Where(k => Utf8KeyOrder.Compare(k, startAfter) > 0), listed);
        }
    }

    [Fact]
    public async Task Scan_LongKeysWithOverflowGroups_ListsInUtf8ByteOrder()
    {
        var (bucket, keys) = await SeedAsync(LongKeys());

        var listed = await ScanAsync(bucket, string.Empty, null);

        Assert.Equal(Utf8KeyOrder.Sort(keys), listed);
    }

    [Fact]
    public async Task Scan_LongKeys_PrefixAndStartAfterInsideOverflowGroup()
    {
        var (bucket, keys) = await SeedAsync(LongKeys());
        var prefix = Sortable930 + "b";
        var (from, to) = SortKeyCodec.PrefixRange(prefix);

        // Past the sortable length a prefix range covers the whole overflow group: callers filter by key.
        var listed = (await ScanAsync(bucket, from, to)).Where(k => k.StartsWith(prefix, StringComparison.Ordinal));
        var startAfter = Sortable930 + "b";
        var resumed = (await ScanAsync(bucket, SortKeyCodec.StartAfter(startAfter), null)).Where(k => Utf8KeyOrder.Compare(k, startAfter) > 0);

        Assert.Equal(Utf8KeyOrder.Sort(keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))), listed);
        Assert.Equal(Utf8KeyOrder.Sort(keys).Where(k => Utf8KeyOrder.Compare(k, startAfter) > 0), resumed);
    }

    [Fact]
    public async Task GetObject_LongKeysSharingASortablePrefix_EachReadsItsOwnRecord()
    {
        var (bucket, keys) = await SeedAsync(LongKeys());

        foreach (var key in keys)
        {
            Assert.Equal(key, (await Store.GetObjectAsync(bucket, key)).Value!.Key);
        }
    }

    [Fact]
    public async Task ReadRange_Limit_ReturnsTheFirstRowsOfTheRangeOnly()
    {
        var (bucket, _) = await SeedAsync(["a", "b", "c", "d", "e"]);

        var page = await Store.ReadRangeAsync(bucket, SortKeyCodec.Encode("b"), SortKeyCodec.Encode("e"), 2);
        var rest = await Store.ReadRangeAsync(bucket, SortKeyCodec.StartAfter("c"), SortKeyCodec.Encode("e"), 10);

        Assert.Equal(["b", "c"], page.Select(r => r.Key));
        Assert.Equal(["d"], rest.Select(r => r.Key));
        Assert.All(page, r => Assert.False(string.IsNullOrEmpty(r.Version)));
    }

    [Fact]
    public async Task ReadRange_OtherBucket_IsNotVisible()
    {
        var (bucket, _) = await SeedAsync(["a"]);
        var (other, _) = await SeedAsync(["b"]);

        var page = await Store.ReadRangeAsync(bucket, string.Empty, null, 10);

        Assert.Equal(["a"], page.Select(r => r.Key));
        Assert.NotEqual(bucket, other);
    }

    [Fact]
    public async Task Scanner_SeekPastCommonPrefix_SkipsItsKeysInOneRoundTrip()
    {
        var keys = Enumerable.Range(0, 20).Select(i => $"dir/{i:D2}").Append("a").Append("zz").ToList();
        var (bucket, _) = await SeedAsync(keys);
        var scanner = new OrderedScanner(Store, bucket, string.Empty, null, PageSize);

        var first = await scanner.NextAsync();
        var second = await scanner.NextAsync();
        scanner.SeekTo(SortKeyCodec.After("dir/")!);
        var afterSeek = await scanner.NextAsync();
        var end = await scanner.NextAsync();

        Assert.Equal(["a", "dir/00", "zz"], new[] { first!.Value.Name, second!.Value.Name, afterSeek!.Value.Name });
        Assert.Null(end);
        Assert.Equal(2, scanner.RoundTrips);
    }

    /// <summary>Keys with characters that are special in URLs, OData, RowKeys or UTF-16 ordering.</summary>
    protected static IReadOnlyList<string> AwkwardKeys() =>
    [
        "a", "a/", "a/b", "a/b/c", "a?b", "a#b", "a\\b", "a%20b", "a%2Fb", "a b", " ", "a'b", "a''b", "a\"b", "a&b", "a+b",
        "\t tab", "a\u0001", "%", "%%", "abcdefghijklmn", "abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmno/",
        "é", "a\u00FF", "\u0100", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uE000x", "\uFFFD", "\uFFFDa", "\uFFFF",
        "\U00010000", "\U0001F600", "\U0001F600/x", "a\U0001F600", "a\uFFFD", "\U0010FFFF", "z", "~",
    ];

    /// <summary>Keys up to 1,024 bytes, several beyond 930 bytes sharing their first 930 (one overflow group).</summary>
    protected static IReadOnlyList<string> LongKeys()
    {
        var s = Sortable930;
        return
        [
            s[..929],
            s[..929] + "j",
            s[..929] + "l",
            s,
            s + "a",
            s + "b",
            s + "b" + new string('z', 93),
            s + "ba",
            s + "\u0001",
            s + "\uFFFD",
            s + "\U0001F600",
            s + "\uE000" + new string('q', 91),
            s[..929] + "é" + new string('x', 93),
            s[..929] + "j" + new string('y', 94),
            new string('w', 1024),
            "short",
        ];
    }

    private static BucketRecord NewBucket(string ownerId) => new()
    {
        Name = StorageTestEnvironment.UniqueBucketName(),
        OwnerId = ownerId,
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
    };

    private static ObjectRecord NewObject(string bucket, string key) => new()
    {
        Bucket = bucket,
        Key = key,
        BlobName = Guid.NewGuid().ToString("N"),
        Size = 1234,
        ETag = "\"9e107d9d372bb6826bd81d3542a419d6\"",
        LastModified = new DateTimeOffset(2025, 6, 7, 8, 9, 10, 123, TimeSpan.Zero),
    };

    private async Task<(string Bucket, IReadOnlyList<string> Keys)> SeedAsync(IReadOnlyList<string> keys)
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        foreach (var key in keys)
        {
            Assert.True(Encoding.UTF8.GetByteCount(key) <= 1024, key);
            var put = await Store.PutObjectAsync(NewObject(bucket, key), WriteCondition.IfAbsent);
            Assert.Equal(StoreStatus.Ok, put.Status);
        }

        return (bucket, keys);
    }

    private async Task<List<string>> ScanAsync(string bucket, string from, string? to)
    {
        var scanner = new OrderedScanner(Store, bucket, from, to, PageSize);
        var keys = new List<string>();
        while (await scanner.NextAsync() is { } record)
        {
            keys.Add(record.Name);
        }

        return keys;
    }
}

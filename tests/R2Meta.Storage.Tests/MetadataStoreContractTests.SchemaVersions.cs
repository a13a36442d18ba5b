using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tests;

// Documents written by the previous schema version keep reading (ARCHITECTURE: readers accept the current
// and the previous version). Each backend writes the previous shape past its store, with its own literals.
public abstract partial class MetadataStoreContractTests
{
    /// <summary>Every content header and some user metadata, with characters JSON and HTTP treat specially.</summary>
    protected static readonly ContentHeaders EveryHeader = new()
    {
        ContentType = "text/plain; charset=\"utf-8\"",
        ContentEncoding = "gzip, br",
        ContentDisposition = "attachment; filename=\"caf\u00e9 & <b>.txt\"",
        ContentLanguage = "en-GB, fr",
        CacheControl = "max-age=60, must-revalidate",
        Expires = "Wed, 21 Oct 2015 07:28:00 GMT",
        UserMetadata = new Dictionary<string, string> { ["color"] = "grey", ["quote"] = "\"x\" & <y>", ["na\u00efve-key"] = "\u65e5\u672c" },
    };

    /// <summary>
    /// Writes <paramref name="record"/> past the store exactly as the previous schema version stored it
    /// (each content header a property of its own), directory index entry included where the backend keeps a copy.
    /// </summary>
    protected abstract Task WritePreviousVersionObjectAsync(ObjectRecord record);

    /// <summary>Writes <paramref name="upload"/> past the store as the previous schema version stored it.</summary>
    protected abstract Task WritePreviousVersionUploadAsync(UploadRecord upload);

    protected static void AssertEveryHeader(ContentHeaders actual)
    {
        Assert.Equal(EveryHeader, actual);
        Assert.Equal(EveryHeader.UserMetadata.OrderBy(m => m.Key, StringComparer.Ordinal), actual.UserMetadata.OrderBy(m => m.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetObject_WrittenByThePreviousSchemaVersion_ReadsEveryHeader()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "legacy.txt") with { Headers = EveryHeader, StorageClass = "STANDARD_IA" };
        await WritePreviousVersionObjectAsync(record);

        var read = await Store.GetObjectAsync(record.Bucket, record.Key);
        var listed = await Store.ReadRangeAsync(record.Bucket, string.Empty, null, 10);
        var entries = await Store.ReadDirectoryAsync(record.Bucket, string.Empty, string.Empty, null, 10);

        Assert.Equal(StoreStatus.Ok, read.Status);
        AssertEveryHeader(read.Value!.Headers);
        Assert.Equal(("STANDARD_IA", record.BlobName, record.Size), (read.Value.StorageClass, read.Value.BlobName, read.Value.Size));
        AssertEveryHeader(Assert.Single(listed).Headers);
        // A directory entry carries what a listing shows (IMetadataStore.ReadDirectoryAsync), not the content headers.
        var entry = Assert.Single(entries).Object!;
        Assert.Equal((record.Key, "STANDARD_IA", record.Size, record.ETag), (entry.Key, entry.StorageClass, entry.Size, entry.ETag));
    }

    [Fact]
    public async Task PutObject_OverThePreviousSchemaVersionByItsVersion_ReplacesAndReadsTheNewHeaders()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "legacy.txt") with { Headers = EveryHeader };
        await WritePreviousVersionObjectAsync(record);
        var old = (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!;
        var headers = new ContentHeaders { ContentType = "image/png", UserMetadata = new Dictionary<string, string> { ["k"] = "v" } };

        var replaced = await Store.PutObjectAsync(old with { Headers = headers, Size = 99 }, WriteCondition.IfVersion(old.Version!));
        var read = (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!;

        Assert.Equal(StoreStatus.Ok, replaced.Status);
        Assert.Equal(headers, read.Headers);
        Assert.Equal(99, Assert.Single(await Store.ReadDirectoryAsync(record.Bucket, string.Empty, string.Empty, null, 10)).Object!.Size);
    }

    [Fact]
    public async Task MultipartGetUpload_WrittenByThePreviousSchemaVersion_ReadsEveryHeader()
    {
        var upload = NewUpload(StorageTestEnvironment.UniqueBucketName(), "legacy/upload.bin") with
        {
            Headers = EveryHeader,
            ChecksumAlgorithm = "CRC32",
            ChecksumType = "COMPOSITE",
        };
        await WritePreviousVersionUploadAsync(upload);

        var read = await Uploads.GetUploadAsync(upload.Bucket, upload.UploadId);

        Assert.Equal(StoreStatus.Ok, read.Status);
        AssertEveryHeader(read.Value!.Headers);
        Assert.Equal(upload with { Version = read.Value.Version }, read.Value);
    }

    [Fact]
    public async Task PutObject_EveryHeader_ReadsBackWholeFromTheObjectAndItsRow()
    {
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "a/b.txt") with { Headers = EveryHeader };

        await Store.PutObjectAsync(record, WriteCondition.IfAbsent);

        AssertEveryHeader((await Store.GetObjectAsync(record.Bucket, record.Key)).Value!.Headers);
        AssertEveryHeader(Assert.Single(await Store.ReadRangeAsync(record.Bucket, string.Empty, null, 10)).Headers);
        Assert.Equal("a/b.txt", Assert.Single(await Store.ReadDirectoryAsync(record.Bucket, "a/", string.Empty, null, 10)).Object!.Key);
    }
}

using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tests;

// The IUploadStore contract: every metadata adapter also keeps multipart uploads (test names carry "Multipart").
public abstract partial class MetadataStoreContractTests
{
    private IUploadStore Uploads => Store as IUploadStore ?? throw new InvalidOperationException($"{Store.GetType().Name} does not implement IUploadStore.");

    [Fact]
    public async Task MultipartCreateUpload_GetReturnsEveryField()
    {
        var upload = NewUpload(StorageTestEnvironment.UniqueBucketName(), "videos/a b/movie.mp4") with
        {
            Headers = EveryHeader,
            ChecksumAlgorithm = "CRC32C",
            ChecksumType = "COMPOSITE",
        };

        var created = await Uploads.CreateUploadAsync(upload);
        var read = await Uploads.GetUploadAsync(upload.Bucket, upload.UploadId);

        Assert.Equal(StoreStatus.Ok, created.Status);
        Assert.False(string.IsNullOrEmpty(created.Value!.Version));
        Assert.Equal(StoreStatus.Ok, read.Status);
        var got = read.Value!;
        Assert.Equal(created.Value.Version, got.Version);
        Assert.Equal(upload with { Version = got.Version }, got);
        AssertEveryHeader(got.Headers);
    }

    [Fact]
    public async Task MultipartCreateUpload_SameIdTwice_AlreadyExists()
    {
        var upload = NewUpload(StorageTestEnvironment.UniqueBucketName(), "k");
        await Uploads.CreateUploadAsync(upload);

        var second = await Uploads.CreateUploadAsync(upload with { Key = "other" });

        Assert.Equal(StoreStatus.AlreadyExists, second.Status);
        Assert.Equal("k", (await Uploads.GetUploadAsync(upload.Bucket, upload.UploadId)).Value!.Key);
    }

    [Fact]
    public async Task MultipartGetUpload_Missing_NotFound()
    {
        var read = await Uploads.GetUploadAsync(StorageTestEnvironment.UniqueBucketName(), NewUploadId());

        Assert.Equal(StoreStatus.NotFound, read.Status);
    }

    [Fact]
    public async Task MultipartReplaceUpload_ByVersion_OnlyTheCurrentVersionWins()
    {
        var created = (await Uploads.CreateUploadAsync(NewUpload(StorageTestEnvironment.UniqueBucketName(), "k"))).Value!;

        var marked = await Uploads.ReplaceUploadAsync(created with { Completing = true }, created.Version!);
        var stale = await Uploads.ReplaceUploadAsync(created with { Headers = new ContentHeaders { ContentType = "x/y" } }, created.Version!);

        Assert.Equal(StoreStatus.Ok, marked.Status);
        Assert.NotEqual(created.Version, marked.Value!.Version);
        Assert.Equal(StoreStatus.PreconditionFailed, stale.Status);
        var read = (await Uploads.GetUploadAsync(created.Bucket, created.UploadId)).Value!;
        Assert.True(read.Completing);
        Assert.Null(read.Headers.ContentType);
    }

    [Fact]
    public async Task MultipartDeleteUpload_ByVersion_StaleFailsCurrentDeletesThenNotFound()
    {
        var created = (await Uploads.CreateUploadAsync(NewUpload(StorageTestEnvironment.UniqueBucketName(), "k"))).Value!;
        var replaced = (await Uploads.ReplaceUploadAsync(created with { Completing = true }, created.Version!)).Value!;

        var stale = await Uploads.DeleteUploadAsync(created.Bucket, created.UploadId, created.Version!);
        var current = await Uploads.DeleteUploadAsync(created.Bucket, created.UploadId, replaced.Version!);
        var again = await Uploads.DeleteUploadAsync(created.Bucket, created.UploadId, replaced.Version!);

        Assert.Equal(StoreStatus.PreconditionFailed, stale);
        Assert.Equal(StoreStatus.Ok, current);
        Assert.Equal(StoreStatus.NotFound, again);
        Assert.Equal(StoreStatus.NotFound, (await Uploads.GetUploadAsync(created.Bucket, created.UploadId)).Status);
    }

    [Fact]
    public async Task MultipartListUploads_ReturnsOnlyThatBucketsUploads()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var mine = new[] { NewUpload(bucket, "b"), NewUpload(bucket, "a"), NewUpload(bucket, "a") };
        foreach (var upload in mine)
        {
            await Uploads.CreateUploadAsync(upload);
        }

        await Uploads.CreateUploadAsync(NewUpload(StorageTestEnvironment.UniqueBucketName(), "a"));
        var listed = await Uploads.ListUploadsAsync(bucket);

        Assert.Equal(mine.Select(u => u.UploadId).Order(StringComparer.Ordinal), listed.Select(u => u.UploadId).Order(StringComparer.Ordinal));
        Assert.All(listed, u => Assert.Equal(bucket, u.Bucket));
        Assert.Empty(await Uploads.ListUploadsAsync(StorageTestEnvironment.UniqueBucketName()));
    }

    [Fact]
    public async Task MultipartListUploadsInitiatedBefore_FindsOldUploadsOfEveryBucketOnly()
    {
        var cutoff = DateTimeOffset.UtcNow.AddYears(-20);
        var old1 = NewUpload(StorageTestEnvironment.UniqueBucketName(), "old1", cutoff.AddDays(-3));
        var old2 = NewUpload(StorageTestEnvironment.UniqueBucketName(), "old2", cutoff.AddSeconds(-1));
        var fresh = NewUpload(old1.Bucket, "fresh", cutoff.AddSeconds(1));
        foreach (var upload in new[] { old1, old2, fresh })
        {
            await Uploads.CreateUploadAsync(upload);
        }

        var found = new List<UploadRecord>();
        await foreach (var upload in Uploads.ListUploadsInitiatedBeforeAsync(cutoff))
        {
            found.Add(upload);
        }

        var ids = found.Select(u => u.UploadId).ToHashSet();
        Assert.Contains(old1.UploadId, ids);
        Assert.Contains(old2.UploadId, ids);
        Assert.DoesNotContain(fresh.UploadId, ids);
        Assert.All(found, u => Assert.True(u.Initiated < cutoff));
    }

    [Fact]
    public async Task MultipartPutPart_ListReturnsEveryFieldInPartNumberOrder()
    {
        var upload = NewUpload(StorageTestEnvironment.UniqueBucketName(), "k");
        await Uploads.CreateUploadAsync(upload);
        foreach (var number in new[] { 10, 2, 10_000, 1 })
        {
            await Uploads.PutPartAsync(NewPart(upload, number));
        }

        var parts = await Uploads.ListPartsAsync(upload.Bucket, upload.UploadId, 0, 100);

        Assert.Equal([1, 2, 10, 10_000], parts.Select(p => p.PartNumber));
        var expected = NewPart(upload, 10);
        var got = parts[2];
        Assert.Equal((expected.Bucket, expected.UploadId, expected.Size, expected.ETag, expected.Checksum, expected.LastModified), (got.Bucket, got.UploadId, got.Size, got.ETag, got.Checksum, got.LastModified));
        Assert.Equal(expected.BlockIds, got.BlockIds);
    }

    [Fact]
    public async Task MultipartPutPart_SameNumberAgain_ReplacesThePart()
    {
        var upload = NewUpload(StorageTestEnvironment.UniqueBucketName(), "k");
        await Uploads.CreateUploadAsync(upload);
        await Uploads.PutPartAsync(NewPart(upload, 3));

        await Uploads.PutPartAsync(NewPart(upload, 3) with { Size = 99, ETag = "\"replaced\"", BlockIds = ["AQAAAAAAAAAAAAAB"] });
        var parts = await Uploads.ListPartsAsync(upload.Bucket, upload.UploadId, 0, 100);

        var only = Assert.Single(parts);
        Assert.Equal((99L, "\"replaced\""), (only.Size, only.ETag));
        Assert.Equal(["AQAAAAAAAAAAAAAB"], only.BlockIds);
    }

    [Fact]
    public async Task MultipartListParts_Pages_AfterMarkerAndLimit()
    {
        var upload = NewUpload(StorageTestEnvironment.UniqueBucketName(), "k");
        await Uploads.CreateUploadAsync(upload);
        await Task.WhenAll(Enumerable.Range(1, 7).Select(n => Uploads.PutPartAsync(NewPart(upload, n))));

        var first = await Uploads.ListPartsAsync(upload.Bucket, upload.UploadId, 0, 3);
        var second = await Uploads.ListPartsAsync(upload.Bucket, upload.UploadId, 3, 3);
        var last = await Uploads.ListPartsAsync(upload.Bucket, upload.UploadId, 6, 3);
        var none = await Uploads.ListPartsAsync(upload.Bucket, upload.UploadId, 7, 3);

        Assert.Equal([1, 2, 3], first.Select(p => p.PartNumber));
        Assert.Equal([4, 5, 6], second.Select(p => p.PartNumber));
        Assert.Equal([7], last.Select(p => p.PartNumber));
        Assert.Empty(none);
    }

    [Fact]
    public async Task MultipartListParts_OtherUploadOfSameBucket_NotMixedIn()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var one = NewUpload(bucket, "k");
        var two = NewUpload(bucket, "k");
        await Uploads.CreateUploadAsync(one);
        await Uploads.CreateUploadAsync(two);
        await Uploads.PutPartAsync(NewPart(one, 1));
        await Uploads.PutPartAsync(NewPart(two, 2));

        Assert.Equal([1], (await Uploads.ListPartsAsync(bucket, one.UploadId, 0, 10)).Select(p => p.PartNumber));
        Assert.Equal([2], (await Uploads.ListPartsAsync(bucket, two.UploadId, 0, 10)).Select(p => p.PartNumber));
    }

    [Fact]
    public async Task MultipartDeleteParts_RemovesEveryPartIdempotently()
    {
        var upload = NewUpload(StorageTestEnvironment.UniqueBucketName(), "k");
        await Uploads.CreateUploadAsync(upload);
        await Task.WhenAll(Enumerable.Range(1, 120).Select(n => Uploads.PutPartAsync(NewPart(upload, n))));

        await Uploads.DeletePartsAsync(upload.Bucket, upload.UploadId);
        await Uploads.DeletePartsAsync(upload.Bucket, upload.UploadId);

        Assert.Empty(await Uploads.ListPartsAsync(upload.Bucket, upload.UploadId, 0, 1000));
        Assert.Equal(StoreStatus.Ok, (await Uploads.GetUploadAsync(upload.Bucket, upload.UploadId)).Status);
    }

    private static string NewUploadId() =>
        DateTimeOffset.UtcNow.UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N");

    private static UploadRecord NewUpload(string bucket, string key, DateTimeOffset? initiated = null) => new()
    {
        Bucket = bucket,
        Key = key,
        UploadId = NewUploadId(),
        BlobName = bucket + "/" + Guid.NewGuid().ToString("N"),
        Initiated = initiated ?? new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero),
        OwnerId = "owner-a",
    };

    private static PartRecord NewPart(UploadRecord upload, int number) => new()
    {
        Bucket = upload.Bucket,
        UploadId = upload.UploadId,
        PartNumber = number,
        Size = 5_242_880 + number,
        ETag = "\"9e107d9d372bb6826bd81d3542a419d6\"",
        Checksum = "AAAAAA==",
        BlockIds = ["AQAAAAAAAAAAAAAA", "AQAAAAAAAAAAAAAC"],
        LastModified = new DateTimeOffset(2025, 6, 7, 8, 9, 10, 123, TimeSpan.Zero),
    };
}

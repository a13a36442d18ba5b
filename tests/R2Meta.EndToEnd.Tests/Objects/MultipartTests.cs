using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.Domain.Services;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>Multipart uploads through AWSSDK.S3 v4, per backend, with parts of the 5 MiB minimum.</summary>
public abstract class MultipartTests : OneBucketTests
{
    private const int MiB = 1024 * 1024;
    private const int PartSize = 5 * MiB;

    protected MultipartTests(R2MetaHost host)
        : base(host, "mpu")
    {
    }

    [Fact]
    public async Task Multipart_ThreePartsInParallel_DownloadsByteExactWithMultipartETagAndMetadata()
    {
        var data = RandomNumberGenerator.GetBytes(2 * PartSize + 12_345);
        var create = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "dir/big file.bin", ContentType = "application/x-big", ChecksumAlgorithm = ChecksumAlgorithm.CRC32 };
        create.Metadata.Add("team", "storage");
        var uploadId = (await S3.InitiateMultipartUploadAsync(create)).UploadId;

        // A COMPOSITE upload's Complete names each part's checksum, as S3 requires.
        var parts = await Task.WhenAll(Enumerable.Range(1, 3).Select(async n =>
        {
            var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "dir/big file.bin", UploadId = uploadId, PartNumber = n, InputStream = new MemoryStream(Slice(data, n)) });
            return new PartETag { PartNumber = n, ETag = part.ETag, ChecksumCRC32 = part.ChecksumCRC32 };
        }));
        var complete = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "dir/big file.bin", UploadId = uploadId, PartETags = [.. parts] });

        var expected = ExpectedETag(Enumerable.Range(1, 3).Select(n => Slice(data, n)));
        Assert.Equal(expected, complete.ETag);
        Assert.EndsWith("-3\"", complete.ETag, StringComparison.Ordinal);
        Assert.Equal(data, await ReadAsync("dir/big file.bin"));
        var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "dir/big file.bin" });
        Assert.Equal(expected, head.ETag);
        Assert.Equal("application/x-big", head.Headers.ContentType);
        Assert.Equal("storage", head.Metadata["team"]);
        Assert.Equal(data.Length, head.ContentLength);
        Assert.Null(head.PartsCount);
        var crcs = Enumerable.Range(1, 3).Select(n => Convert.FromBase64String(ObjectTests.Crc32Base64(Slice(data, n)))).SelectMany(b => b).ToArray();
        Assert.Equal(ObjectTests.Crc32Base64(crcs) + "-3", complete.ChecksumCRC32);
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.ListPartsAsync(Bucket, "dir/big file.bin", uploadId)));
    }

    [Fact]
    public async Task Multipart_FullObjectCrc32C_ObjectChecksumIsTheCrcOfAllBytesAndValidatesOnGet()
    {
        var data = RandomNumberGenerator.GetBytes(PartSize + 4321);
        var create = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "full.bin", ChecksumAlgorithm = ChecksumAlgorithm.CRC32C, ChecksumType = ChecksumType.FULL_OBJECT };
        var uploadId = (await S3.InitiateMultipartUploadAsync(create)).UploadId;
        var parts = new List<PartETag>();
        for (var n = 1; n <= 2; n++)
        {
            var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "full.bin", UploadId = uploadId, PartNumber = n, InputStream = new MemoryStream(Slice(data, n)), ChecksumAlgorithm = ChecksumAlgorithm.CRC32C });
            parts.Add(new PartETag { PartNumber = n, ETag = part.ETag, ChecksumCRC32C = part.ChecksumCRC32C });
        }

        var complete = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "full.bin", UploadId = uploadId, PartETags = parts });

        var expected = R2Meta.Domain.Hashing.Checksums.ComputeBase64("CRC32C", data);
        Assert.Equal(expected, complete.ChecksumCRC32C);
        Assert.Equal(ChecksumType.FULL_OBJECT, complete.ChecksumType);
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "full.bin", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(expected, get.ChecksumCRC32C);
        Assert.Equal(data, await ReadAllAsync(get.ResponseStream));
    }

    [Fact]
    public async Task Multipart_GetByPartNumber_ReturnsThatPartAs206()
    {
        var data = RandomNumberGenerator.GetBytes(2 * PartSize + 100);
        var uploadId = await CreateAsync("parts.bin");
        var etags = new List<string>();
        for (var n = 1; n <= 3; n++)
        {
            etags.Add(await UploadPartAsync("parts.bin", uploadId, n, Slice(data, n)));
        }

        await CompleteAsync("parts.bin", uploadId, etags.Select((e, i) => (i + 1, e)));

        using var part2 = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "parts.bin", PartNumber = 2 });
        Assert.Equal(HttpStatusCode.PartialContent, part2.HttpStatusCode);
        Assert.Equal(3, part2.PartsCount);
        Assert.Equal($"bytes {PartSize}-{(2 * PartSize) - 1}/{data.Length}", part2.ContentRange);
        Assert.Equal(Slice(data, 2), await ReadAllAsync(part2.ResponseStream));

        var head3 = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "parts.bin", PartNumber = 3 });
        Assert.Equal(100, head3.ContentLength);
        Assert.Equal(3, head3.PartsCount);

        var beyond = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "parts.bin", PartNumber = 4 }));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal("InvalidPartNumber", beyond.ErrorCode);
    }

    [Fact]
    public async Task Multipart_GetPartNumberOfSinglePutObject_OneIsWholeObjectTwoIs416()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "single.txt", ContentBody = "0123456789" });

        using var one = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "single.txt", PartNumber = 1 });
        Assert.Equal(HttpStatusCode.PartialContent, one.HttpStatusCode);
        Assert.Equal("bytes 0-9/10", one.ContentRange);
        Assert.Equal("0123456789"u8.ToArray(), await ReadAllAsync(one.ResponseStream));

        var two = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "single.txt", PartNumber = 2 }));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, two.StatusCode);
    }

    [Fact]
    public async Task Multipart_ReuploadedPart_ReplacesTheEarlierOne()
    {
        var uploadId = await CreateAsync("replace.bin");
        var first = RandomNumberGenerator.GetBytes(PartSize);
        var second = RandomNumberGenerator.GetBytes(PartSize);
        byte[] tail = [.. "tail"u8];
        await UploadPartAsync("replace.bin", uploadId, 1, first);
        var etag1 = await UploadPartAsync("replace.bin", uploadId, 1, second);
        var etag2 = await UploadPartAsync("replace.bin", uploadId, 2, tail);

        var parts = await S3.ListPartsAsync(Bucket, "replace.bin", uploadId);
        Assert.Equal([1, 2], parts.Parts.Select(p => p.PartNumber ?? 0));
        Assert.Equal(etag1, parts.Parts[0].ETag);
        await CompleteAsync("replace.bin", uploadId, [(1, etag1), (2, etag2)]);

        var read = await ReadAsync("replace.bin");
        Assert.Equal([.. second, .. tail], read);
    }

    [Fact]
    public async Task Multipart_UploadPartCopy_WithRangesStreamsTheSourceBytes()
    {
        var source = RandomNumberGenerator.GetBytes(PartSize + 1000);
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "copy-source.bin", InputStream = new MemoryStream(source) });
        var uploadId = await CreateAsync("copied.bin");

        var whole = await S3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket, SourceKey = "copy-source.bin", DestinationBucket = Bucket, DestinationKey = "copied.bin", UploadId = uploadId, PartNumber = 1,
            FirstByte = 0, LastByte = PartSize - 1,
        });
        var ranged = await S3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket, SourceKey = "copy-source.bin", DestinationBucket = Bucket, DestinationKey = "copied.bin", UploadId = uploadId, PartNumber = 2,
            FirstByte = 10, LastByte = 109,
        });
        Assert.Equal(ETags.Quote(Convert.ToHexStringLower(MD5.HashData(source[10..110]))), ranged.ETag);

        await CompleteAsync("copied.bin", uploadId, [(1, whole.ETag), (2, ranged.ETag)]);
        var copied = await ReadAsync("copied.bin");
        Assert.Equal([.. source[..PartSize], .. source[10..110]], copied);
    }

    [Fact]
    public async Task Multipart_UploadPartCopy_BadRangeAndFailedSourceCondition_AreRejected()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "small-source", ContentBody = "0123456789" });
        var uploadId = await CreateAsync("copy-errors.bin");

        var outside = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket, SourceKey = "small-source", DestinationBucket = Bucket, DestinationKey = "copy-errors.bin", UploadId = uploadId, PartNumber = 1,
            FirstByte = 5, LastByte = 10,
        }));
        Assert.Equal("InvalidArgument", outside.ErrorCode);

        var condition = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket, SourceKey = "small-source", DestinationBucket = Bucket, DestinationKey = "copy-errors.bin", UploadId = uploadId, PartNumber = 1,
            ETagToMatch = ["\"00000000000000000000000000000000\""],
        }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, condition.StatusCode);

        var ok = await S3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket, SourceKey = "small-source", DestinationBucket = Bucket, DestinationKey = "copy-errors.bin", UploadId = uploadId, PartNumber = 1,
            ETagToMatch = [ETags.Quote(Convert.ToHexStringLower(MD5.HashData("0123456789"u8.ToArray())))],
        });
        Assert.Equal(ETags.Quote(Convert.ToHexStringLower(MD5.HashData("0123456789"u8))), ok.ETag);
    }

    [Fact]
    public async Task Multipart_CompleteErrors_AreS3s()
    {
        var uploadId = await CreateAsync("errors.bin");
        var small = await UploadPartAsync("errors.bin", uploadId, 1, "too small"u8.ToArray());
        var big = await UploadPartAsync("errors.bin", uploadId, 2, RandomNumberGenerator.GetBytes(PartSize));
        var last = await UploadPartAsync("errors.bin", uploadId, 3, "end"u8.ToArray());

        // The SDK sorts the list it sends, so the out-of-order request is written by hand.
        var unordered = $"<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>{big}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>{small}</ETag></Part></CompleteMultipartUpload>";
        var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Post, $"/{Bucket}/errors.bin?uploadId={uploadId}", new StringContent(unordered));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidPartOrder", await RawRequests.ErrorCodeAsync(response));
        Assert.Equal("InvalidPart", await ErrorOfAsync(() => CompleteAsync("errors.bin", uploadId, [(2, big), (4, last)])));
        Assert.Equal("InvalidPart", await ErrorOfAsync(() => CompleteAsync("errors.bin", uploadId, [(2, big), (3, "\"00000000000000000000000000000000\"")])));
        Assert.Equal("EntityTooSmall", await ErrorOfAsync(() => CompleteAsync("errors.bin", uploadId, [(1, small), (2, big), (3, last)])));

        // The upload survives failed completions: parts 2 and 3 still complete it.
        await CompleteAsync("errors.bin", uploadId, [(2, big), (3, last)]);
        Assert.Equal(PartSize + 3, (await S3.GetObjectMetadataAsync(Bucket, "errors.bin")).ContentLength);
    }

    [Fact]
    public async Task Multipart_CompleteWithoutParts_MalformedXml()
    {
        var uploadId = await CreateAsync("empty-list.bin");
        var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Post, $"/{Bucket}/empty-list.bin?uploadId={uploadId}", new StringContent("<CompleteMultipartUpload></CompleteMultipartUpload>"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MalformedXML", await RawRequests.ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("x")]
    public async Task Multipart_UploadPartNumberOutOfRange_InvalidArgument(string partNumber)
    {
        var uploadId = await CreateAsync("numbers.bin");
        var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/numbers.bin?partNumber={partNumber}&uploadId={uploadId}", new ByteArrayContent("x"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidArgument", await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Multipart_UploadPartAbove5GiB_EntityTooLargeBeforeAnyByte()
    {
        var uploadId = await CreateAsync("huge.bin");
        var status = await RawSocket.PutAsync(Host, $"/{Bucket}/huge.bin?partNumber=1&uploadId={uploadId}", declaredLength: MultipartService.MaxPartSize + 1, body: [], abort: false);

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Multipart_UploadPartWithWrongContentMd5_BadDigestAndNoPart()
    {
        var uploadId = await CreateAsync("digest.bin");
        var request = new UploadPartRequest { BucketName = Bucket, Key = "digest.bin", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream("abc"u8.ToArray()), MD5Digest = Convert.ToBase64String(MD5.HashData("xyz"u8)) };

        Assert.Equal("BadDigest", await ErrorOfAsync(() => S3.UploadPartAsync(request)));
        Assert.Empty((await S3.ListPartsAsync(Bucket, "digest.bin", uploadId)).Parts ?? []);
    }

    [Fact]
    public async Task Multipart_UnknownUploadId_NoSuchUploadEverywhere()
    {
        var unknown = MultipartIds.NewUploadId(DateTimeOffset.UtcNow);
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => UploadPartAsync("nobody", unknown, 1, "x"u8.ToArray())));
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.ListPartsAsync(Bucket, "nobody", unknown)));
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => CompleteAsync("nobody", unknown, [(1, "\"00\"")])));
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.AbortMultipartUploadAsync(Bucket, "nobody", unknown)));
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.ListPartsAsync(Bucket, "nobody", "not-even-an-id")));

        // An upload id is bound to its key.
        var uploadId = await CreateAsync("bound.bin");
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.ListPartsAsync(Bucket, "other-key", uploadId)));
    }

    [Fact]
    public async Task Multipart_Abort_Is204ThenNoSuchUpload()
    {
        var uploadId = await CreateAsync("abort.bin");
        await UploadPartAsync("abort.bin", uploadId, 1, "some bytes"u8.ToArray());

        var abort = await S3.AbortMultipartUploadAsync(Bucket, "abort.bin", uploadId);

        Assert.Equal(HttpStatusCode.NoContent, abort.HttpStatusCode);
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.ListPartsAsync(Bucket, "abort.bin", uploadId)));
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => UploadPartAsync("abort.bin", uploadId, 2, "x"u8.ToArray())));
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.AbortMultipartUploadAsync(Bucket, "abort.bin", uploadId)));
        Assert.DoesNotContain(uploadId, (await S3.ListMultipartUploadsAsync(Bucket)).MultipartUploads?.Select(u => u.UploadId) ?? []);
        var head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, "abort.bin"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Multipart_CompleteRetriedAfterSuccess_AnswersAgainUntilKeyIsOverwritten()
    {
        var uploadId = await CreateAsync("again.bin");
        var etag = await UploadPartAsync("again.bin", uploadId, 1, "the parts"u8.ToArray());
        var first = await CompleteAsync("again.bin", uploadId, [(1, etag)]);

        // The first answer was lost on the way: the SDK (or a user) sends the same Complete again.
        var retried = await CompleteAsync("again.bin", uploadId, [(1, etag)]);
        Assert.Equal(first.ETag, retried.ETag);
        Assert.Equal("the parts"u8.ToArray(), await ReadAsync("again.bin"));
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.ListPartsAsync(Bucket, "again.bin", uploadId)));

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "again.bin", ContentBody = "newer" });
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => CompleteAsync("again.bin", uploadId, [(1, etag)])));
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => CompleteAsync("other.bin", uploadId, [(1, etag)])));
        Assert.Equal("newer"u8.ToArray(), await ReadAsync("again.bin"));
    }

    [Fact]
    public async Task Multipart_ConditionalComplete_IfNoneMatchAndIfMatch()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "cond.bin", ContentBody = "existing" });
        var existingETag = (await S3.GetObjectMetadataAsync(Bucket, "cond.bin")).ETag;
        var uploadId = await CreateAsync("cond.bin");
        var etag = await UploadPartAsync("cond.bin", uploadId, 1, "new content"u8.ToArray());
        var parts = new List<PartETag> { new(1, etag) };

        var exists = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "cond.bin", UploadId = uploadId, PartETags = parts, IfNoneMatch = "*" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, exists.StatusCode);
        var wrong = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "cond.bin", UploadId = uploadId, PartETags = parts, IfMatch = "\"00000000000000000000000000000000\"" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, wrong.StatusCode);
        Assert.Equal("existing"u8.ToArray(), await ReadAsync("cond.bin"));

        // The failed conditions left the upload completable.
        var done = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "cond.bin", UploadId = uploadId, PartETags = parts, IfMatch = existingETag });
        Assert.Equal(ExpectedETag(["new content"u8.ToArray()]), done.ETag);
        Assert.Equal("new content"u8.ToArray(), await ReadAsync("cond.bin"));

        var fresh = await CreateAsync("cond-new.bin");
        var freshETag = await UploadPartAsync("cond-new.bin", fresh, 1, "x"u8.ToArray());
        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "cond-new.bin", UploadId = fresh, PartETags = [new(1, freshETag)], IfNoneMatch = "*" });
        Assert.Equal("x"u8.ToArray(), await ReadAsync("cond-new.bin"));
    }

    [Fact]
    public async Task Multipart_ListParts_PagesWithMarkers()
    {
        var uploadId = await CreateAsync("listparts.bin");
        await Task.WhenAll(Enumerable.Range(1, 5).Select(n => UploadPartAsync("listparts.bin", uploadId, n, [(byte)n])));

        var first = await S3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = "listparts.bin", UploadId = uploadId, MaxParts = 2 });
        var second = await S3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = "listparts.bin", UploadId = uploadId, MaxParts = 2, PartNumberMarker = first.NextPartNumberMarker.ToString() });
        var third = await S3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = "listparts.bin", UploadId = uploadId, MaxParts = 2, PartNumberMarker = second.NextPartNumberMarker.ToString() });

        Assert.Equal([1, 2], first.Parts.Select(p => p.PartNumber ?? 0));
        Assert.True(first.IsTruncated);
        Assert.Equal(2, first.NextPartNumberMarker);
        Assert.Equal([3, 4], second.Parts.Select(p => p.PartNumber ?? 0));
        Assert.Equal([5], third.Parts.Select(p => p.PartNumber ?? 0));
        Assert.False(third.IsTruncated);
        Assert.Equal(1, third.Parts[0].Size);
        Assert.Equal(TestAccounts.FirstCanonicalId, first.Initiator.Id);
        Assert.Equal(TestAccounts.FirstCanonicalId, first.Owner.Id);
        Assert.Equal("STANDARD", first.StorageClass);
    }

    [Fact]
    public async Task Multipart_ListMultipartUploads_PrefixDelimiterAndMarkers()
    {
        var keys = new[] { "a/1", "a/2", "b", "c", "c" };
        var ids = new List<(string Key, string Id)>();
        foreach (var key in keys)
        {
            ids.Add((key, await CreateAsync(key)));
        }

        var all = await S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket });
        var expected = ids.OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(x => x.Id), all.MultipartUploads.Select(u => u.UploadId));
        Assert.All(all.MultipartUploads, u => Assert.Equal(TestAccounts.FirstCanonicalId, u.Initiator.Id));

        var grouped = await S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Delimiter = "/" });
        Assert.Equal(["a/"], grouped.CommonPrefixes);
        Assert.Equal(["b", "c", "c"], grouped.MultipartUploads.Select(u => u.Key));

        var prefixed = await S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = "a/" });
        Assert.Equal(["a/1", "a/2"], prefixed.MultipartUploads.Select(u => u.Key));

        // Paging two at a time with NextKeyMarker/NextUploadIdMarker visits every upload once, in order.
        var seen = new List<string>();
        string? keyMarker = null, idMarker = null;
        for (var page = 0; page < 10; page++)
        {
            var listed = await S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, MaxUploads = 2, KeyMarker = keyMarker, UploadIdMarker = idMarker });
            seen.AddRange(listed.MultipartUploads?.Select(u => u.UploadId) ?? []);
            if (listed.IsTruncated != true)
            {
                break;
            }

            Assert.Equal(2, listed.MultipartUploads!.Count);
            (keyMarker, idMarker) = (listed.NextKeyMarker, listed.NextUploadIdMarker);
        }

        Assert.Equal(expected.Select(x => x.Id), seen);

        // Without an upload-id-marker, key-marker skips every upload of that key.
        var afterC = await S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, KeyMarker = "b" });
        Assert.Equal(["c", "c"], afterC.MultipartUploads.Select(u => u.Key));
    }

    [Fact]
    public async Task Multipart_AbortExpired_AbortsOldUploadsKeepsFreshOnes()
    {
        var old = await CreateAsync("expired.bin");
        await UploadPartAsync("expired.bin", old, 1, "old"u8.ToArray());
        var cutoff = DateTimeOffset.UtcNow.AddMilliseconds(5);
        await Task.Delay(50);
        var fresh = await CreateAsync("fresh.bin");

        var service = (MultipartService)Host.Services.GetService(typeof(MultipartService))!;
        var aborted = await service.AbortExpiredAsync(cutoff);

        Assert.True(aborted >= 1);
        Assert.Equal(StoreStatusNoSuchUpload, await ErrorOfAsync(() => S3.ListPartsAsync(Bucket, "expired.bin", old)));
        Assert.Empty((await S3.ListPartsAsync(Bucket, "fresh.bin", fresh)).Parts ?? []);
        var etag = await UploadPartAsync("fresh.bin", fresh, 1, "still alive"u8.ToArray());
        await CompleteAsync("fresh.bin", fresh, [(1, etag)]);
        Assert.Equal("still alive"u8.ToArray(), await ReadAsync("fresh.bin"));
    }

    private const string StoreStatusNoSuchUpload = "NoSuchUpload";

    internal static string ExpectedETag(IEnumerable<byte[]> parts)
    {
        var list = parts.ToList();
        var md5s = list.SelectMany(p => MD5.HashData(p)).ToArray();
        return "\"" + Convert.ToHexStringLower(MD5.HashData(md5s)) + "-" + list.Count.ToString(CultureInfo.InvariantCulture) + "\"";
    }

    private static byte[] Slice(byte[] data, int partNumber)
    {
        var offset = (partNumber - 1) * PartSize;
        return data[offset..Math.Min(data.Length, offset + PartSize)];
    }

    private async Task<string> CreateAsync(string key) =>
        (await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key })).UploadId;

    private async Task<string> UploadPartAsync(string key, string uploadId, int partNumber, byte[] bytes)
    {
        var response = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartNumber = partNumber, InputStream = new MemoryStream(bytes) });
        Assert.Equal(ETags.Quote(Convert.ToHexStringLower(MD5.HashData(bytes))), response.ETag);
        return response.ETag;
    }

    private Task<CompleteMultipartUploadResponse> CompleteAsync(string key, string uploadId, IEnumerable<(int Number, string ETag)> parts) =>
        S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = [.. parts.Select(p => new PartETag(p.Number, p.ETag))],
        });

    private async Task<byte[]> ReadAsync(string key)
    {
        using var get = await S3.GetObjectAsync(Bucket, key);
        return await ReadAllAsync(get.ResponseStream);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<string?> ErrorOfAsync(Func<Task> action)
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(action);
        return e.ErrorCode;
    }
}

public sealed class TablesMultipartTests(TablesHost host) : MultipartTests(host), IClassFixture<TablesHost>;

public sealed class CosmosMultipartTests(CosmosHost host) : MultipartTests(host), IClassFixture<CosmosHost>;

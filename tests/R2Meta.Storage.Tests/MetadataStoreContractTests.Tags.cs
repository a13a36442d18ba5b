using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tests;

// Tag sets stored with objects, uploads and buckets (test names carry "Tags").
public abstract partial class MetadataStoreContractTests
{
    /// <summary>The largest bucket tag set: 50 tags of 128 + 256 characters outside ASCII (escaped in JSON).</summary>
    private static Tag[] LargestTagSet(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Tag($"{i:D3}" + new string('ü', 125), new string('\u4E2D', 255) + "\U0001D400"))];

    [Fact]
    public async Task PutObject_WithTags_TagsReadBackInOrderAndClearedByReplace()
    {
        Tag[] tags = [new("a", ""), new("b c", "d+e=f.g_h:i/j@k"), new("ü", "中")];
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "tagged/k") with { Tags = tags };

        var put = (await Store.PutObjectAsync(record, WriteCondition.IfAbsent)).Value!;
        var got = (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!;
        var cleared = await Store.PutObjectAsync(got with { Tags = null }, WriteCondition.IfVersion(put.Version!));
        var again = (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!;

        Assert.Equal(tags, got.Tags);
        Assert.Equal(StoreStatus.Ok, cleared.Status);
        Assert.Null(again.Tags);
    }

    [Fact]
    public async Task PutObject_TenLongestTags_ReadBack()
    {
        var tags = LargestTagSet(10);
        var record = NewObject(StorageTestEnvironment.UniqueBucketName(), "k") with { Tags = tags };

        await Store.PutObjectAsync(record, WriteCondition.IfAbsent);

        Assert.Equal(tags, (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!.Tags);
    }

    [Fact]
    public async Task ReplaceBucket_FiftyLongestTags_StoredAndCleared()
    {
        var bucket = (await Store.CreateBucketAsync(NewBucket("owner-a"))).Value!;
        var tags = LargestTagSet(50);

        var set = await Store.ReplaceBucketAsync(bucket with { Tags = tags });
        var read = (await Store.GetBucketAsync(bucket.Name)).Value!;
        await Store.ReplaceBucketAsync(read with { Tags = null });
        var again = (await Store.GetBucketAsync(bucket.Name)).Value!;

        Assert.Equal(StoreStatus.Ok, set.Status);
        Assert.Equal(tags, read.Tags);
        Assert.Null(again.Tags);
        Assert.Null(bucket.Tags);
    }

    [Fact]
    public async Task MultipartCreateUpload_WithTags_TagsReadBack()
    {
        Tag[] tags = [new("project", "x"), new("tier", "")];
        var upload = NewUpload(StorageTestEnvironment.UniqueBucketName(), "tagged.bin") with { Tags = tags };

        await Uploads.CreateUploadAsync(upload);
        var got = (await Uploads.GetUploadAsync(upload.Bucket, upload.UploadId)).Value!;

        Assert.Equal(tags, got.Tags);
    }
}

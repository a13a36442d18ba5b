using System.Text;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;
using R2Meta.Storage.Blobs;

namespace R2Meta.Storage.Tests;

/// <summary>The byte adapter against Blob Storage (Azurite locally). Each test class instance uses its own container.</summary>
public sealed class AzureBlobStoreTests : IAsyncLifetime
{
    private readonly string _connectionString = StorageTestEnvironment.ConnectionString;
    private readonly string _container = "r2meta-test-" + Guid.NewGuid().ToString("N");
    private AzureBlobStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new AzureBlobStore(new BlobStoreOptions { ConnectionString = _connectionString, ContainerName = _container });
        await _store.InitializeAsync();
    }

    public Task DisposeAsync() =>
        new Azure.Storage.Blobs.BlobContainerClient(_connectionString, _container).DeleteIfExistsAsync();

    [Fact]
    public async Task Write_NonSeekableStream_ReturnsLengthAndReadsBack()
    {
        var bytes = RandomBytes(100_000);

        var written = await _store.WriteAsync("obj/1", new ForwardOnlyStream(bytes), BlobAccessTier.Hot);
        var read = await _store.OpenReadAsync("obj/1", 0, null);

        Assert.Equal(bytes.Length, written);
        Assert.Equal(StoreStatus.Ok, read.Status);
        Assert.Equal(bytes, await ReadAllAsync(read.Value!));
    }

    [Fact]
    public async Task Write_LargerThanOneTransfer_StagesBlocksAndReadsBack()
    {
        var bytes = RandomBytes((17 * 1024 * 1024) + 5);

        var written = await _store.WriteAsync("big", new ForwardOnlyStream(bytes), BlobAccessTier.Hot);
        var read = await _store.OpenReadAsync("big", 0, null);

        Assert.Equal(bytes.Length, written);
        Assert.Equal(bytes, await ReadAllAsync(read.Value!));
    }

    [Fact]
    public async Task Write_EmptyStream_CreatesEmptyBlob()
    {
        var written = await _store.WriteAsync("empty", new ForwardOnlyStream([]), BlobAccessTier.Hot);
        var read = await _store.OpenReadAsync("empty", 0, null);

        Assert.Equal(0, written);
        Assert.Empty(await ReadAllAsync(read.Value!));
    }

    [Theory]
    [InlineData(0, 10L)]
    [InlineData(5, 1L)]
    [InlineData(990, null)]
    [InlineData(3, 0L)]
    public async Task OpenRead_Range_ReturnsExactlyThoseBytes(long offset, long? length)
    {
        var bytes = RandomBytes(1000);
        await _store.WriteAsync("ranged", new MemoryStream(bytes), BlobAccessTier.Hot);

        var read = await _store.OpenReadAsync("ranged", offset, length);

        var expected = bytes.AsSpan((int)offset, (int)(length ?? (bytes.Length - offset))).ToArray();
        Assert.Equal(expected, await ReadAllAsync(read.Value!));
    }

    [Fact]
    public async Task OpenRead_Missing_NotFound()
    {
        Assert.Equal(StoreStatus.NotFound, (await _store.OpenReadAsync("missing", 0, null)).Status);
        Assert.Equal(StoreStatus.NotFound, (await _store.OpenReadAsync("missing", 0, 0)).Status);
    }

    [Fact]
    public async Task Write_SourceThrowsMidway_ExceptionSurfacesAndNoBlobIsCommitted()
    {
        // Past the first transfer, so the SDK is already staging blocks when the source fails.
        var source = new ForwardOnlyStream(RandomBytes(20 * 1024 * 1024), failAfter: 12 * 1024 * 1024);

        var thrown = await Assert.ThrowsAsync<S3Exception>(() => _store.WriteAsync("failed", source, BlobAccessTier.Hot));

        Assert.Equal("BadDigest", thrown.Error.Code);
        Assert.Equal(StoreStatus.NotFound, (await _store.OpenReadAsync("failed", 0, null)).Status);
    }

    [Fact]
    public async Task Write_SmallSourceThrows_ExceptionSurfacesAndNoBlobIsCommitted()
    {
        var source = new ForwardOnlyStream(RandomBytes(1000), failAfter: 500);

        await Assert.ThrowsAsync<S3Exception>(() => _store.WriteAsync("failed-small", source, BlobAccessTier.Hot));

        Assert.Equal(StoreStatus.NotFound, (await _store.OpenReadAsync("failed-small", 0, null)).Status);
    }

    [Fact]
    public async Task Copy_Existing_DestinationHasTheSameBytes()
    {
        var bytes = RandomBytes(50_000);
        await _store.WriteAsync("src", new MemoryStream(bytes), BlobAccessTier.Hot);

        var status = await _store.CopyAsync("src", "dst", BlobAccessTier.Hot);
        var read = await _store.OpenReadAsync("dst", 0, null);

        Assert.Equal(StoreStatus.Ok, status);
        Assert.Equal(bytes, await ReadAllAsync(read.Value!));
    }

    [Theory]
    [InlineData(300_000)]
    [InlineData(10)]
    public async Task AccessTier_WrittenCopiedCommittedAndSet_ReadsBack(int size)
    {
        // Above 256 KiB the upload goes as blocks and a block list commit, below as one Put Blob: both carry the tier.
        await _store.WriteAsync("cool", new ForwardOnlyStream(RandomBytes(size)), BlobAccessTier.Cool);
        await _store.WriteAsync("hot", new ForwardOnlyStream(RandomBytes(size)), BlobAccessTier.Hot);
        var copiedHot = await _store.CopyAsync("cool", "cool-to-hot", BlobAccessTier.Hot);
        var copiedCool = await _store.CopyAsync("hot", "hot-to-cool", BlobAccessTier.Cool);
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes("block-0"));
        await _store.StageBlockAsync("blocks", id, new MemoryStream(RandomBytes(size)), size);
        var committed = await _store.CommitBlocksAsync("blocks", [id], BlobAccessTier.Cool);

        Assert.Equal((StoreStatus.Ok, StoreStatus.Ok, StoreStatus.Ok), (copiedHot, copiedCool, committed));
        Assert.Equal(StoreResult<BlobAccessTier>.Ok(BlobAccessTier.Cool), await _store.GetAccessTierAsync("cool"));
        Assert.Equal(StoreResult<BlobAccessTier>.Ok(BlobAccessTier.Hot), await _store.GetAccessTierAsync("hot"));
        Assert.Equal(StoreResult<BlobAccessTier>.Ok(BlobAccessTier.Hot), await _store.GetAccessTierAsync("cool-to-hot"));
        Assert.Equal(StoreResult<BlobAccessTier>.Ok(BlobAccessTier.Cool), await _store.GetAccessTierAsync("hot-to-cool"));
        Assert.Equal(StoreResult<BlobAccessTier>.Ok(BlobAccessTier.Cool), await _store.GetAccessTierAsync("blocks"));

        Assert.Equal(StoreStatus.Ok, await _store.SetAccessTierAsync("hot", BlobAccessTier.Cool));
        Assert.Equal(StoreStatus.Ok, await _store.SetAccessTierAsync("cool", BlobAccessTier.Hot));
        Assert.Equal(StoreResult<BlobAccessTier>.Ok(BlobAccessTier.Cool), await _store.GetAccessTierAsync("hot"));
        Assert.Equal(StoreResult<BlobAccessTier>.Ok(BlobAccessTier.Hot), await _store.GetAccessTierAsync("cool"));
    }

    [Fact]
    public async Task AccessTier_MissingBlob_NotFound()
    {
        Assert.Equal(StoreStatus.NotFound, await _store.SetAccessTierAsync("nothing", BlobAccessTier.Cool));
        Assert.Equal(StoreStatus.NotFound, (await _store.GetAccessTierAsync("nothing")).Status);
    }

    [Fact]
    public async Task Copy_MissingSource_NotFound()
    {
        Assert.Equal(StoreStatus.NotFound, await _store.CopyAsync("nothing", "dst", BlobAccessTier.Hot));
    }

    [Fact]
    public async Task Delete_TwiceAndMissing_IsIdempotent()
    {
        await _store.WriteAsync("gone", new MemoryStream([1, 2, 3]), BlobAccessTier.Hot);

        await _store.DeleteAsync("gone");
        await _store.DeleteAsync("gone");
        await _store.DeleteAsync("never-was");

        Assert.Equal(StoreStatus.NotFound, (await _store.OpenReadAsync("gone", 0, null)).Status);
    }

    [Fact]
    public async Task List_Prefix_YieldsOnlyThoseBlobsWithSizeAndCreationTime()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);
        await _store.WriteAsync("p/a", new MemoryStream(new byte[3]), BlobAccessTier.Hot);
        await _store.WriteAsync("p/b", new MemoryStream(new byte[5]), BlobAccessTier.Hot);
        await _store.WriteAsync("q/c", new MemoryStream(new byte[7]), BlobAccessTier.Hot);

        var entries = new List<BlobEntry>();
        await foreach (var entry in _store.ListAsync("p/"))
        {
            entries.Add(entry);
        }

        Assert.Equal(["p/a", "p/b"], entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal([3L, 5L], entries.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Size));
        Assert.All(entries, e => Assert.InRange(e.CreatedAt, before, DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    [Fact]
    public async Task StageAndCommitBlocks_InGivenOrder_BlobIsTheConcatenation()
    {
        var parts = new[] { RandomBytes(1000), RandomBytes(1), RandomBytes(70_000) };
        var ids = parts.Select((_, i) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"part-{i:D5}"))).ToList();

        // Staged out of order: the commit list, not the staging order, decides the layout.
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            await _store.StageBlockAsync("multi", ids[i], new MemoryStream(parts[i]), parts[i].Length);
        }

        var beforeCommit = await _store.OpenReadAsync("multi", 0, null);
        await _store.CommitBlocksAsync("multi", ids, BlobAccessTier.Hot);
        var read = await _store.OpenReadAsync("multi", 0, null);

        Assert.Equal(StoreStatus.NotFound, beforeCommit.Status);
        Assert.Equal(parts.SelectMany(p => p).ToArray(), await ReadAllAsync(read.Value!));
    }

    [Fact]
    public async Task StageBlock_NonSeekableStream_Staged()
    {
        var bytes = RandomBytes(300_000);
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes("part-00001"));

        await _store.StageBlockAsync("multi-ns", id, new ForwardOnlyStream(bytes), bytes.Length);
        await _store.CommitBlocksAsync("multi-ns", [id], BlobAccessTier.Hot);

        Assert.Equal(bytes, await ReadAllAsync((await _store.OpenReadAsync("multi-ns", 0, null)).Value!));
    }

    [Fact]
    public async Task StageBlock_SourceThrowsMidway_ExceptionSurfacesAndBlockIsNotStaged()
    {
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes("part-00001"));

        await Assert.ThrowsAsync<S3Exception>(() => _store.StageBlockAsync("multi-fail", id, new ForwardOnlyStream(RandomBytes(300_000), failAfter: 100_000), 300_000));

        Assert.Equal(StoreStatus.PreconditionFailed, await _store.CommitBlocksAsync("multi-fail", [id], BlobAccessTier.Hot));
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
    }
}

using Azure;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Tables;
using R2Meta.Storage.Tables.Queries;

namespace R2Meta.Storage.Tests;

/// <summary>
/// <see cref="TableReader"/> against Table Storage (Azurite locally): what it reads equals what Azure.Data.Tables
/// reads of the same rows (keys, value types and values, ETag, Timestamp) for every entity the mappers write and every
/// property type, with the nastiest keys; pages followed over continuations; a missing row; a wrong key refused. The
/// requests themselves are compared with the SDK's in <see cref="TableReaderWireTests"/>.
/// </summary>
public sealed class TableReaderTests : IAsyncLifetime
{
    private const string TableName = "r2metareadertest";

    private static readonly DateTimeOffset Time = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.FromHours(-7)).AddTicks(1234567);

    private readonly TableClient _table = new TableServiceClient(StorageTestEnvironment.ConnectionString).GetTableClient(TableName);
    private readonly TableReader _reader = CreateReader(StorageTestEnvironment.ConnectionString);
    private readonly string _partition = "pk '%+-" + Guid.NewGuid().ToString("N");

    public async Task InitializeAsync() => await _table.CreateIfNotExistsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every entity shape the store writes, filled with every optional field its mapper knows.</summary>
    public static TheoryData<string> Shapes => ["object", "entry", "directory", "bucket", "upload", "part", "types"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task GetEntity_EveryShapeTheMappersWrite_ReadsWhatTheSdkReads(string shape)
    {
        var entity = Entity(shape);
        await _table.AddEntityAsync(entity);
        var expected = (await _table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey)).Value;

        var actual = await _reader.GetEntityIfExistsAsync(TableName, entity.PartitionKey, entity.RowKey);

        Assert.NotNull(actual);
        TableReaderWireTests.AssertSameEntity(expected, actual);
    }

    [Fact]
    public async Task GetEntity_Select_ReadsWhatTheSdkReads()
    {
        var entity = Entity("object");
        await _table.AddEntityAsync(entity);
        string[] select = ["RowKey", "Size", "LastModified", "Missing"];
        var expected = (await _table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, select)).Value;

        var actual = await _reader.GetEntityIfExistsAsync(TableName, entity.PartitionKey, entity.RowKey, select);

        TableReaderWireTests.AssertSameEntity(expected, actual!);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a/b c+d%25'e''f\"g?h#i&j=k;l,m(n)o*p~q!r$s@t:u[v]w{x}y|z^`\u00e9\u4e2d\ud83d\ude00")]
    [InlineData("''''")]
    [InlineData("dir/sub/\u00ff\u00fe file.txt")]
    public async Task GetEntity_NastySortKeys_FindsTheRowAndNothingElse(string key)
    {
        var rowKeys = new[] { SortKeyCodec.Encode(key), DirectoryEntityMapper.EntryRowKey(key), SortKeyCodec.Encode(new string('\u00ff', 300) + key) };
        foreach (var rowKey in rowKeys)
        {
            await _table.AddEntityAsync(new TableEntity(_partition, rowKey) { ["Key"] = key });
        }

        foreach (var rowKey in rowKeys)
        {
            var read = await _reader.GetEntityIfExistsAsync(TableName, _partition, rowKey);

            Assert.Equal(rowKey, read!.RowKey);
            Assert.Equal(_partition, read.PartitionKey);
            Assert.Equal(key, read.GetString("Key"));
        }

        Assert.Null(await _reader.GetEntityIfExistsAsync(TableName, _partition, rowKeys[0] + "x"));
    }

    [Fact]
    public async Task GetEntity_MissingRowOrTable_IsNull()
    {
        Assert.Null(await _reader.GetEntityIfExistsAsync(TableName, _partition, "missing"));
        Assert.Null(await _reader.GetEntityIfExistsAsync("r2metanosuchtable", _partition, "missing"));
    }

    [Fact]
    public async Task QueryPage_ThousandsOfRows_FollowsContinuationsAndReadsWhatTheSdkReads()
    {
        const int count = 2345;
        for (var start = 0; start < count; start += 100)
        {
            var batch = new List<TableTransactionAction>();
            for (var i = start; i < Math.Min(count, start + 100); i++)
            {
                var entity = Entity("entry");
                entity.RowKey = SortKeyCodec.Encode($"k/{i:D5}'\u00e9");
                batch.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
            }

            await _table.SubmitTransactionAsync(batch);
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_partition} and RowKey ge {SortKeyCodec.Encode("k/00010")}");
        var expected = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ObjectEntityMapper.ListingProperties))
        {
            expected.Add(row);
        }

        var rows = new List<TableEntity>();
        var pages = 0;
        TableContinuation? next = null;
        do
        {
            next = await _reader.QueryPageAsync(TableName, filter, 1000, ObjectEntityMapper.ListingProperties, next, rows);
            pages++;
        }
        while (next is not null);

        Assert.Equal(count - 10, expected.Count);
        Assert.True(pages >= 3, $"{pages} pages");
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            TableReaderWireTests.AssertSameEntity(expected[i], rows[i]);
        }
    }

    [Fact]
    public async Task QueryPage_NoMatch_IsEmptyAndLast()
    {
        var rows = new List<TableEntity>();

        var next = await _reader.QueryPageAsync(TableName, TableClient.CreateQueryFilter($"PartitionKey eq {_partition}"), 10, null, null, rows);

        Assert.Null(next);
        Assert.Empty(rows);
    }

    [Fact]
    public async Task Reads_WrongAccountKey_AreRefusedWith403()
    {
        var key = Convert.ToBase64String(new byte[64]);
        var connection = string.Join(';', StorageTestEnvironment.ConnectionString.Split(';')
            .Select(part => part.StartsWith("AccountKey=", StringComparison.OrdinalIgnoreCase) ? "AccountKey=" + key : part));
        Assert.Contains(key, connection, StringComparison.Ordinal);
        var reader = CreateReader(connection);

        var read = await Assert.ThrowsAsync<RequestFailedException>(() => reader.GetEntityIfExistsAsync(TableName, _partition, "row"));
        var query = await Assert.ThrowsAsync<RequestFailedException>(() => reader.QueryPageAsync(TableName, "PartitionKey eq 'x'", 1, null, null, []));

        Assert.Equal(403, read.Status);
        Assert.Equal(403, query.Status);
    }

    private static TableReader CreateReader(string connectionString)
    {
        var service = new TableServiceClient(connectionString);
        return TableReader.Create(new TableMetadataOptions { ConnectionString = connectionString }, service.Uri, service.AccountName, new TableClientOptions())
            ?? throw new InvalidOperationException("The test connection string must carry an account key.");
    }

    private TableEntity Entity(string shape)
    {
        var record = new ObjectRecord
        {
            Bucket = _partition,
            Key = "dir/caf\u00e9 '\"%+.txt",
            BlobName = "blob-" + Guid.NewGuid().ToString("N"),
            Size = 5_000_000_000L,
            ETag = "\"9e107d9d372bb6826bd81d3542a419d6-3\"",
            LastModified = Time,
            Headers = new ContentHeaders { ContentType = "text/plain; charset=utf-8", CacheControl = "no-cache", UserMetadata = new Dictionary<string, string> { ["a"] = "\u00e9\"<" } },
            Checksums = new Dictionary<string, string> { ["CRC32"] = "AAAAAA==" },
            ChecksumType = "COMPOSITE",
            PartsCount = 3,
            PartSizes = [5L << 30, 5L << 30, 1],
            PartChecksums = ["AAAAAA==", "AQIDBA==", "/////w=="],
            Tags = [new Tag("k", "v")],
            VersionId = "v1",
            IsNullVersion = true,
            IsDeleteMarker = false,
        };
        var entity = shape switch
        {
            "object" => ObjectEntityMapper.ToEntity(record),
            "entry" => DirectoryEntityMapper.ToEntryEntity(record),
            "directory" => DirectoryEntityMapper.ToDirectoryEntity(_partition, "dir/sub/"),
            "bucket" => BucketEntityMapper.ToEntity(new BucketRecord
            {
                Name = "bucket-" + Guid.NewGuid().ToString("N"),
                OwnerId = "owner",
                CreatedAt = Time,
                HasDirectoryIndex = true,
                Encryption = new BucketEncryption { BucketKeyEnabled = true },
                PublicRead = true,
                Tags = [new Tag("t", "\u00e9")],
                Versioning = BucketVersioning.Enabled,
            }),
            "upload" => UploadEntityMapper.ToEntity(new UploadRecord
            {
                Bucket = _partition, Key = record.Key, UploadId = "upload-1", BlobName = record.BlobName, Initiated = Time, OwnerId = "owner", Headers = record.Headers,
            }),
            "part" => UploadEntityMapper.ToEntity(new PartRecord
            {
                Bucket = _partition, UploadId = "upload-1", PartNumber = 7, Size = 5L << 30, ETag = record.ETag, Checksum = "AAAAAA==", BlockIds = ["AAAA", "AAAB"], LastModified = Time,
            }),
            _ => new TableEntity(_partition, "types")
            {
                ["Text"] = "quote \" apostrophe ' <tag> & caf\u00e9 \u9000\ud83d\ude00 \\ /",
                ["Empty"] = string.Empty,
                ["Int"] = int.MinValue,
                ["Long"] = long.MaxValue,
                ["SmallLong"] = 3L,
                ["True"] = true,
                ["False"] = false,
                ["Double"] = 0.1 + 0.2,
                ["Whole"] = 3.0,
                ["Time"] = Time,
                ["UtcTime"] = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(7),
                ["Bytes"] = new byte[] { 0, 1, 2, 250, 255 },
                ["Guid"] = Guid.NewGuid(),
            },
        };
        // Each shape in this test's partition, so rows of concurrent runs never meet.
        entity.PartitionKey = _partition;
        return entity;
    }
}

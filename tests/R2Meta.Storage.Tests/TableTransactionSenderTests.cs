using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Storage.Tables;
using R2Meta.Storage.Tables.Transactions;

namespace R2Meta.Storage.Tests;

/// <summary>
/// <see cref="TableTransactionSender"/> against Table Storage (Azurite locally): every action type and property type,
/// the ETags it returns, each failure as <see cref="TableTransactionFailedException"/>, long keys, full transactions,
/// retries and the Shared Key signature. The bytes it writes are compared with the SDK's in <see cref="TransactionWireTests"/>.
/// </summary>
public sealed class TableTransactionSenderTests : IAsyncLifetime
{
    private const string TableName = "r2metasendertest";

    private readonly TableServiceClient _service = new(StorageTestEnvironment.ConnectionString);
    private readonly TableClient _table;
    private readonly TableTransactionSender _sender;
    private readonly string _partition = "pk-" + Guid.NewGuid().ToString("N");

    public TableTransactionSenderTests()
    {
        _table = _service.GetTableClient(TableName);
        _sender = CreateSender(StorageTestEnvironment.ConnectionString, new TableClientOptions());
    }

    public async Task InitializeAsync() => await _table.CreateIfNotExistsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Submit_EveryActionType_AppliesEachAndReturnsTheETagsReadBack()
    {
        await SubmitAsync(
            Action(TableTransactionActionType.Add, Entity("replace", ("Old", "o"))),
            Action(TableTransactionActionType.Add, Entity("upsert-replace", ("Old", "o"))),
            Action(TableTransactionActionType.Add, Entity("merge", ("Old", "o"))),
            Action(TableTransactionActionType.Add, Entity("upsert-merge", ("Old", "o"))),
            Action(TableTransactionActionType.Add, Entity("delete", ("Old", "o"))));
        var replaceETag = (await _table.GetEntityAsync<TableEntity>(_partition, "replace")).Value.ETag;
        var mergeETag = (await _table.GetEntityAsync<TableEntity>(_partition, "merge")).Value.ETag;
        var deleteETag = (await _table.GetEntityAsync<TableEntity>(_partition, "delete")).Value.ETag;

        var etags = await SubmitAsync(
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, Entity("replace", ("New", "n")), replaceETag),
            Action(TableTransactionActionType.UpsertReplace, Entity("upsert-replace", ("New", "n"))),
            new TableTransactionAction(TableTransactionActionType.UpdateMerge, Entity("merge", ("New", "n")), mergeETag),
            Action(TableTransactionActionType.UpsertMerge, Entity("upsert-merge", ("New", "n"))),
            new TableTransactionAction(TableTransactionActionType.Delete, Entity("delete"), deleteETag),
            Action(TableTransactionActionType.UpsertReplace, Entity("upsert-new", ("New", "n"))));

        var rows = await RowsAsync();
        Assert.Equal(["merge", "replace", "upsert-merge", "upsert-new", "upsert-replace"], rows.Select(r => r.RowKey));
        Assert.All(rows, r => Assert.Equal("n", r.GetString("New")));
        // Replace drops what the row held; merge keeps it.
        Assert.Null(rows.Single(r => r.RowKey == "replace").GetString("Old"));
        Assert.Null(rows.Single(r => r.RowKey == "upsert-replace").GetString("Old"));
        Assert.Equal("o", rows.Single(r => r.RowKey == "merge").GetString("Old"));
        Assert.Equal("o", rows.Single(r => r.RowKey == "upsert-merge").GetString("Old"));
        string[] written = ["replace", "upsert-replace", "merge", "upsert-merge", "delete", "upsert-new"];
        for (var i = 0; i < written.Length; i++)
        {
            var expected = rows.SingleOrDefault(r => r.RowKey == written[i])?.ETag.ToString();
            Assert.Equal(expected, etags[i]);
        }
    }

    [Fact]
    public async Task Submit_EveryPropertyType_ReadsBackWhatWasWritten()
    {
        var time = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.FromHours(-7)).AddTicks(1234567);
        var utc = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(7);
        var guid = Guid.NewGuid();
        byte[] bytes = [0, 1, 2, 250, 251, 252, 253, 254, 255];
        var entity = Entity(
            "types",
            ("Text", "quote \" apostrophe ' <tag> & caf\u00e9 \u9000\ud83d\ude00 \\ /"),
            ("Empty", string.Empty),
            ("Int", int.MinValue),
            ("Long", long.MaxValue),
            ("NegativeLong", -42L),
            ("True", true),
            ("False", false),
            ("Double", 0.1 + 0.2),
            ("Whole", 3.0),
            ("Time", time),
            ("UtcTime", utc),
            ("Bytes", bytes),
            ("Guid", guid));

        var etags = await SubmitAsync(Action(TableTransactionActionType.Add, entity));

        var read = (await _table.GetEntityAsync<TableEntity>(_partition, "types")).Value;
        Assert.Equal(read.ETag.ToString(), etags[0]);
        Assert.Equal(entity.GetString("Text"), read.GetString("Text"));
        Assert.Equal(string.Empty, read.GetString("Empty"));
        Assert.Equal(int.MinValue, read.GetInt32("Int"));
        Assert.Equal(long.MaxValue, read.GetInt64("Long"));
        Assert.Equal(-42L, read.GetInt64("NegativeLong"));
        Assert.True(read.GetBoolean("True"));
        Assert.False(read.GetBoolean("False"));
        Assert.Equal(0.1 + 0.2, read.GetDouble("Double"));
        Assert.Equal(3.0, read.GetDouble("Whole"));
        Assert.Equal(time, read.GetDateTimeOffset("Time"));
        Assert.Equal(utc, read.GetDateTime("UtcTime"));
        Assert.Equal(bytes, read.GetBinary("Bytes"));
        Assert.Equal(guid, read.GetGuid("Guid"));
    }

    [Fact]
    public async Task Submit_AddOfAnExistingRow_FailsWith409AtItsIndexAndAppliesNothing()
    {
        await SubmitAsync(Action(TableTransactionActionType.Add, Entity("taken")));

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => SubmitAsync(
            Action(TableTransactionActionType.UpsertReplace, Entity("other")),
            Action(TableTransactionActionType.Add, Entity("taken"))));

        Assert.Equal(409, failure.Status);
        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
        Assert.Equal(1, failure.FailedTransactionActionIndex);
        Assert.Equal(["taken"], (await RowsAsync()).Select(r => r.RowKey));
    }

    [Fact]
    public async Task Submit_StaleIfMatch_FailsWith412AtItsIndex()
    {
        var stale = new ETag((await SubmitAsync(Action(TableTransactionActionType.Add, Entity("row"))))[0]!);
        await SubmitAsync(Action(TableTransactionActionType.UpsertReplace, Entity("row", ("Changed", true))));

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => SubmitAsync(
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, Entity("row"), stale)));

        Assert.Equal(412, failure.Status);
        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);
        Assert.Equal(0, failure.FailedTransactionActionIndex);
    }

    [Theory]
    [InlineData(TableTransactionActionType.UpdateReplace)]
    [InlineData(TableTransactionActionType.UpdateMerge)]
    [InlineData(TableTransactionActionType.Delete)]
    public async Task Submit_ConditionalActionOnAMissingRow_FailsWith404AtItsIndex(TableTransactionActionType type)
    {
        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => SubmitAsync(
            Action(TableTransactionActionType.UpsertReplace, Entity("present")),
            Action(TableTransactionActionType.UpsertReplace, Entity("present-too")),
            new TableTransactionAction(type, Entity("missing"), ETag.All)));

        Assert.Equal(404, failure.Status);
        Assert.Equal(2, failure.FailedTransactionActionIndex);
        Assert.Empty(await RowsAsync());
    }

    [Fact]
    public async Task Submit_LongestSortKeys_CommitsAndReturnsTheirETags()
    {
        // Percent-encoded in the answer's Location lines, these RowKeys make lines far beyond 4,096 characters.
        var rowKeys = new[] { new string('w', 1024), string.Concat(Enumerable.Repeat("\u00e9\u4e2d/", 140)) }.Select(SortKeyCodec.Encode).ToArray();

        var etags = await SubmitAsync([.. rowKeys.Select(k => Action(TableTransactionActionType.Add, Entity(k, ("Long", true))))]);

        var rows = await RowsAsync();
        Assert.Equal(rowKeys.Order(StringComparer.Ordinal), rows.Select(r => r.RowKey));
        Assert.Equal(rowKeys.Select(k => rows.Single(r => r.RowKey == k).ETag.ToString()), etags);
    }

    [Fact]
    public async Task Submit_HundredActions_CommitsThemAll()
    {
        var etags = await SubmitAsync([.. Enumerable.Range(0, 100).Select(i => Action(TableTransactionActionType.Add, Entity($"row{i:D3}", ("Index", i))))]);

        var rows = await RowsAsync();
        Assert.Equal(100, rows.Count);
        Assert.Equal(rows.Select(r => r.ETag.ToString()), etags);
        Assert.Equal(Enumerable.Range(0, 100), rows.Select(r => r.GetInt32("Index")!.Value));
    }

    [Fact]
    public async Task Submit_FirstAttemptLost_RetriesTheSameBodyAndCommitsOnce()
    {
        var failFirst = new FailFirstAttemptPolicy();
        var options = new TableClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.AddPolicy(failFirst, HttpPipelinePosition.PerRetry);
        var sender = CreateSender(StorageTestEnvironment.ConnectionString, options);

        var etags = await sender.SubmitAsync(TableName, [Action(TableTransactionActionType.Add, Entity("retried"))]);

        Assert.Equal(2, failFirst.Bodies.Count);
        Assert.Equal(failFirst.Bodies[0], failFirst.Bodies[1]);
        Assert.Equal((await _table.GetEntityAsync<TableEntity>(_partition, "retried")).Value.ETag.ToString(), etags[0]);
    }

    [Fact]
    public async Task Submit_WrongAccountKey_IsRefusedByTheService()
    {
        var key = Convert.ToBase64String(new byte[64]);
        var connection = string.Join(';', StorageTestEnvironment.ConnectionString.Split(';')
            .Select(part => part.StartsWith("AccountKey=", StringComparison.OrdinalIgnoreCase) ? "AccountKey=" + key : part));
        Assert.Contains(key, connection, StringComparison.Ordinal);
        var sender = CreateSender(connection, new TableClientOptions());

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => sender.SubmitAsync(TableName, [Action(TableTransactionActionType.Add, Entity("unsigned"))]));

        Assert.Equal(403, failure.Status);
        Assert.Empty(await RowsAsync());
    }

    private static TableTransactionSender CreateSender(string connectionString, TableClientOptions options)
    {
        var service = new TableServiceClient(connectionString);
        return TableTransactionSender.Create(new TableMetadataOptions { ConnectionString = connectionString }, service.Uri, service.AccountName, options)
            ?? throw new InvalidOperationException("The test connection string must carry an account key.");
    }

    private Task<string?[]> SubmitAsync(params TableTransactionAction[] actions) => _sender.SubmitAsync(TableName, actions);

    private static TableTransactionAction Action(TableTransactionActionType type, TableEntity entity) => new(type, entity);

    private TableEntity Entity(string rowKey, params (string Name, object Value)[] properties)
    {
        var entity = new TableEntity(_partition, rowKey);
        foreach (var (name, value) in properties)
        {
            entity[name] = value;
        }

        return entity;
    }

    private async Task<List<TableEntity>> RowsAsync()
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {_partition}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Loses the first attempt (a transport failure, retried by the pipeline) and records the body of each.</summary>
    private sealed class FailFirstAttemptPolicy : HttpPipelinePolicy
    {
        public List<byte[]> Bodies { get; } = [];

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            using var body = new MemoryStream();
            await message.Request.Content!.WriteToAsync(body, message.CancellationToken);
            Bodies.Add(body.ToArray());
            if (Bodies.Count == 1)
            {
                throw new IOException("The first attempt is lost.");
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}

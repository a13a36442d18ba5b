using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using R2Meta.Storage.Tables;
using R2Meta.Storage.Tables.Transactions;
using R2Meta.Storage.Tables.Wire;

namespace R2Meta.Storage.Tests;

/// <summary>
/// What <see cref="TableTransactionSender"/> puts on the wire, compared with what Azure.Data.Tables sends for the same
/// transaction (no service needed: both requests are captured before they leave), its reading of $batch answers
/// captured from Azurite, and when a store falls back to the SDK.
/// </summary>
public sealed partial class TransactionWireTests
{
    private const string Connection =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>An answer of Azurite to a committed Add and UpsertReplace (boundaries, headers and line ends as sent).</summary>
    private const string Committed =
        "--batchresponse_b077ce6b-412c-4e6a-b923-737f543de3b8\r\n" +
        "Content-Type: multipart/mixed; boundary=changesetresponse_41f47f59-2474-4527-bca0-1e2e04c14030\r\n\r\n" +
        "--changesetresponse_41f47f59-2474-4527-bca0-1e2e04c14030\r\n" +
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 204 No Content\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nDataServiceVersion: 3.0;\r\n" +
        "Location: http://127.0.0.1:41003/devstoreaccount1/cap(PartitionKey='p9b0020',RowKey='{key}')\r\n" +
        "DataServiceId: http://127.0.0.1:41003/devstoreaccount1/cap(PartitionKey='p9b0020',RowKey='{key}')\r\n" +
        "ETag: W/\"datetime'2026-12-03T13%3A02%3A19.8051314Z'\"\r\n\r\n\r\n" +
        "--changesetresponse_41f47f59-2474-4527-bca0-1e2e04c14030\r\n" +
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 204 No Content\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nDataServiceVersion: 3.0;\r\n" +
        "ETag: W/\"datetime'2026-12-03T13%3A02%3A19.8051359Z'\"\r\n\r\n\r\n" +
        "--changesetresponse_41f47f59-2474-4527-bca0-1e2e04c14030--\r\n" +
        "--batchresponse_b077ce6b-412c-4e6a-b923-737f543de3b8--\r\n";

    /// <summary>An answer of Azurite to a transaction whose second action, an Add, met an existing row.</summary>
    private const string Conflict =
        "--batchresponse_c9e59781-baa0-4614-a188-57022bcf7d6c\r\n" +
        "Content-Type: multipart/mixed; boundary=changesetresponse_2c0f01e2-a0fa-4990-b0a8-04dd146c8dfa\r\n\r\n" +
        "--changesetresponse_2c0f01e2-a0fa-4990-b0a8-04dd146c8dfa\r\n" +
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 409 Conflict\r\nContent-ID: 2\r\nDataServiceVersion: 3.0;\r\nContent-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n" +
        "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"1:The specified entity already exists.\\nRequestId:e6b8702e-e5e3-4886-9038-9b00bdfc9f17\\nTime:2026-12-03T13:02:19.838Z\"}}}\r\n" +
        "--changesetresponse_2c0f01e2-a0fa-4990-b0a8-04dd146c8dfa--\r\n" +
        "--batchresponse_c9e59781-baa0-4614-a188-57022bcf7d6c--\r\n";

    [Fact]
    public async Task Submit_EveryActionAndPropertyType_SendsTheSdksBytes()
    {
        var entity = new TableEntity("p'k", "r k/\u00e9?#%\u9000\ud83d\ude00")
        {
            ["Text"] = "a\"<\u00e9\\",
            ["Int"] = 5,
            ["Long"] = -5L,
            ["Bool"] = true,
            ["Double"] = 1.5,
            ["Time"] = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(7),
            ["Utc"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["Bytes"] = new byte[] { 1, 2, 3, 255 },
            ["Guid"] = Guid.Parse("11111111-2222-3333-4444-555555555555"),
            ["Null"] = null,
        };
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, entity),
            new(TableTransactionActionType.UpdateReplace, entity, new ETag("W/\"datetime'2026-12-03T13%3A02%3A19.8051314Z'\"")),
            new(TableTransactionActionType.UpsertReplace, entity),
            new(TableTransactionActionType.UpdateMerge, entity, ETag.All),
            new(TableTransactionActionType.UpsertMerge, entity),
            new(TableTransactionActionType.Delete, entity, new ETag("W/\"y\"")),
            new(TableTransactionActionType.Delete, new TableEntity("p'k", "z"), ETag.All),
        ];

        var sdk = new CapturingTransport();
        var sdkOptions = new TableClientOptions { Transport = sdk };
        await Assert.ThrowsAsync<CapturedException>(() => new TableClient(Connection, "objects", sdkOptions).SubmitTransactionAsync(actions));
        var ours = new CapturingTransport();
        var service = new TableServiceClient(Connection);
        var sender = TableTransactionSender.Create(new TableMetadataOptions { ConnectionString = Connection }, service.Uri, service.AccountName, new TableClientOptions { Transport = ours })!;
        await Assert.ThrowsAsync<CapturedException>(() => sender.SubmitAsync("objects", actions));

        Assert.Equal(sdk.Uri, ours.Uri);
        Assert.Equal(Normalized(sdk.Body), Normalized(ours.Body));
        foreach (var header in new[] { "x-ms-version", "DataServiceVersion", "Accept" })
        {
            Assert.Equal(sdk.Headers[header], ours.Headers[header]);
        }

        Assert.StartsWith("SharedKeyLite devstoreaccount1:", ours.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(Normalized(sdk.Headers["Content-Type"]), Normalized(ours.Headers["Content-Type"]));
        Assert.Contains(Boundary().Match(ours.Headers["Content-Type"]).Value, ours.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_AsTheSdkSignsTheSameDate()
    {
        // The SDK's Authorization for this date, account and path (captured from Azure.Data.Tables 12.13).
        var policy = new SharedKeyLitePolicy("devstoreaccount1", Convert.FromBase64String("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="));

        Assert.Equal("gXoOfyTJHJHEJlksYx3EOtEAjRAR6ge3tPh0RI/GwZQ=", policy.Sign("Thu, 03 Dec 2026 12:56:58 GMT", "/devstoreaccount1/$batch"));
    }

    [Fact]
    public void Read_CommittedAnswer_TheETagOfEachAction()
    {
        var etags = TransactionResponse.Read(Encoding.UTF8.GetBytes(Committed.Replace("{key}", "a", StringComparison.Ordinal)), 2);

        Assert.Equal(2, etags.Length);
        Assert.Equal("W/\"datetime'2026-12-03T13%3A02%3A19.8051314Z'\"", etags[0]);
        Assert.Equal("W/\"datetime'2026-12-03T13%3A02%3A19.8051359Z'\"", etags[1]);
    }

    [Fact]
    public void Read_LocationLinesBeyondFourThousandCharacters_AreSkipped()
    {
        var key = string.Concat(Enumerable.Repeat("%C4%80", 1000));

        var etags = TransactionResponse.Read(Encoding.UTF8.GetBytes(Committed.Replace("{key}", key, StringComparison.Ordinal)), 2);

        Assert.Equal("W/\"datetime'2026-12-03T13%3A02%3A19.8051314Z'\"", etags[0]);
    }

    [Fact]
    public void Read_FailedAnswer_ThrowsWithTheStatusCodeAndFailedIndex()
    {
        var failure = Assert.Throws<TableTransactionFailedException>(() => TransactionResponse.Read(Encoding.UTF8.GetBytes(Conflict), 2));

        Assert.Equal(409, failure.Status);
        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
        Assert.Equal(1, failure.FailedTransactionActionIndex);
        Assert.StartsWith("1:The specified entity already exists.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FewerAnswersThanActions_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => TransactionResponse.Read(Encoding.UTF8.GetBytes(Committed.Replace("{key}", "a", StringComparison.Ordinal)), 3));
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", true)]
    [InlineData(Connection, true)]
    [InlineData("TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;SharedAccessSignature=sv=2020-12-06&sig=abc", false)]
    public void Create_FromAConnectionString_OnlyWithAnAccountKey(string connection, bool created)
    {
        var service = new TableServiceClient(connection);

        var sender = TableTransactionSender.Create(new TableMetadataOptions { ConnectionString = connection }, service.Uri, service.AccountName, new TableClientOptions());

        Assert.Equal(created, sender is not null);
    }

    [Theory]
    [InlineData("https://account.table.core.windows.net/", true)]
    [InlineData("https://account.table.cosmos.azure.com/", false)]
    public void Create_FromAServiceUriAndCredential_ForStorageEndpointsOnly(string uri, bool created)
    {
        var options = new TableMetadataOptions { ServiceUri = new Uri(uri), Credential = new NoCredential() };

        var sender = TableTransactionSender.Create(options, options.ServiceUri, "account", new TableClientOptions());

        Assert.Equal(created, sender is not null);
    }

    private static string Normalized(string text) => Boundary().Replace(text, "$1_{id}");

    [GeneratedRegex("(batch|changeset)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Boundary();

    private sealed class CapturedException : Exception;

    /// <summary>Records the request and never sends it.</summary>
    private sealed class CapturingTransport : HttpPipelineTransport
    {
        private readonly HttpClientTransport _requests = new();

        public string Uri { get; private set; } = string.Empty;

        public string Body { get; private set; } = string.Empty;

        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override Request CreateRequest() => _requests.CreateRequest();

        public override void Process(HttpMessage message) => throw new NotSupportedException();

        public override ValueTask ProcessAsync(HttpMessage message)
        {
            Uri = message.Request.Uri.ToString();
            foreach (var header in message.Request.Headers)
            {
                Headers[header.Name] = header.Value;
            }

            using var body = new MemoryStream();
            message.Request.Content!.WriteTo(body, CancellationToken.None);
            Body = Encoding.UTF8.GetString(body.ToArray());
            throw new CapturedException();
        }
    }

    private sealed class NoCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

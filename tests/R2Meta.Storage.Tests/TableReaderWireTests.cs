using System.Net;
using System.Text;
using Azure;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Storage.Tables;
using R2Meta.Storage.Tables.Queries;
using R2Meta.Storage.Tables.Wire;

namespace R2Meta.Storage.Tests;

/// <summary>
/// What <see cref="TableReader"/> puts on the wire and reads back, compared with Azure.Data.Tables for the same call
/// (no service needed: both talk to one canned handler that records each request and answers it): URIs with the
/// nastiest keys, headers, the Shared Key Lite signature, continuation, and the entity read from the same answer for
/// every Edm type. Against Azurite: <see cref="TableReaderTests"/>.
/// </summary>
public sealed class TableReaderWireTests
{
    private const string Connection =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>A point read's answer with every Edm type, annotations both before and after their value (the service writes them before).</summary>
    private const string Entity =
        """
        {"odata.metadata":"http://127.0.0.1:10002/devstoreaccount1/$metadata#objects/@Element",
         "odata.etag":"W/\"datetime'2026-12-03T13%3A02%3A19.8051314Z'\"",
         "PartitionKey":"p'k","RowKey":"r k\u00e9\u9000","Timestamp":"2026-12-03T13:02:19.8051314Z",
         "Text":"a\"<\u00e9\\ \ud83d\ude00","Empty":"","Int":-5,"BigNumber":3000000000,"Fraction":1.25,"True":true,"False":false,"Null":null,
         "Long@odata.type":"Edm.Int64","Long":"-9223372036854775808",
         "Time@odata.type":"Edm.DateTime","Time":"2024-01-02T01:04:05.0000007Z",
         "Bytes@odata.type":"Edm.Binary","Bytes":"AQID/w==",
         "Guid@odata.type":"Edm.Guid","Guid":"11111111-2222-3333-4444-555555555555",
         "Double@odata.type":"Edm.Double","Double":"NaN",
         "Infinite@odata.type":"Edm.Double","Infinite":"-Infinity",
         "After":"12","After@odata.type":"Edm.Int64",
         "AfterTime":"2001-01-01T00:00:00Z","AfterTime@odata.type":"Edm.DateTime",
         "Na\u00efve":"escaped name"}
        """;

    /// <summary>The nastiest keys the store makes: quotes, percent, '+', spaces, every sort-key and index character range.</summary>
    public static TheoryData<string, string> Keys => new()
    {
        { "bucket", SortKeyCodec.Encode("a/b c+d%25'e''f\"g?h#i&j=k;l,m(n)o*p~q!r$s@t:u[v]w{x}y|z^`\u00e9\u4e2d\ud83d\ude00") },
        { "p'k'", "r'" },
        { "p k", DirectoryEntityMapper.EntryRowKey("dir/sub/file name.txt") },
        { "bucket", SortKeyCodec.Encode(new string('\u00ff', 400)) },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task GetEntity_NastyKeys_SendsTheSdksRequest(string partitionKey, string rowKey)
    {
        var sdk = new CannedHandler(_ => Answer(HttpStatusCode.NotFound, "{}"));
        await new TableClient(Connection, "objects", Options(sdk)).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select: ["Key", "Size"]);
        var ours = new CannedHandler(_ => Answer(HttpStatusCode.NotFound, "{}"));

        var entity = await Reader(ours).GetEntityIfExistsAsync("objects", partitionKey, rowKey, ["Key", "Size"]);

        Assert.Null(entity);
        AssertSameRequest(sdk.Requests.Single(), ours.Requests.Single());
    }

    [Fact]
    public async Task QueryPage_FollowingAContinuation_SendsTheSdksRequests()
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"b'k"} and RowKey ge {SortKeyCodec.Encode("a'+ %/\u00e9")} and RowKey lt {"\u9000"}");
        Func<HttpRequestMessage, HttpResponseMessage> pages = request => request.RequestUri!.Query.Contains("NextPartitionKey", StringComparison.Ordinal)
            ? Answer(HttpStatusCode.OK, "{\"value\":[]}")
            : Answer(HttpStatusCode.OK, "{\"value\":[]}", ("x-ms-continuation-NextPartitionKey", "1!8!YmtleQ--"), ("x-ms-continuation-NextRowKey", "1!12!YSsgJS8-"));
        var sdk = new CannedHandler(pages);
        await foreach (var page in new TableClient(Connection, "objects", Options(sdk)).QueryAsync<TableEntity>(filter, maxPerPage: 100, select: ["Key", "Size"]).AsPages())
        {
            Assert.Empty(page.Values);
        }

        var ours = new CannedHandler(pages);
        var reader = Reader(ours);
        var rows = new List<TableEntity>();
        var next = await reader.QueryPageAsync("objects", filter, 100, ["Key", "Size"], null, rows);
        Assert.Equal(new TableContinuation("1!8!YmtleQ--", "1!12!YSsgJS8-"), next);
        Assert.Null(await reader.QueryPageAsync("objects", filter, 100, ["Key", "Size"], next, rows));

        Assert.Equal(2, sdk.Requests.Count);
        Assert.Equal(2, ours.Requests.Count);
        AssertSameRequest(sdk.Requests[0], ours.Requests[0]);
        AssertSameRequest(sdk.Requests[1], ours.Requests[1]);
    }

    [Fact]
    public async Task GetEntity_EveryEdmType_ReadsWhatTheSdkReads()
    {
        var sdk = new CannedHandler(_ => Answer(HttpStatusCode.OK, Entity));
        var expected = (await new TableClient(Connection, "objects", Options(sdk)).GetEntityIfExistsAsync<TableEntity>("p'k", "r k")).Value!;

        var actual = await Reader(new CannedHandler(_ => Answer(HttpStatusCode.OK, Entity))).GetEntityIfExistsAsync("objects", "p'k", "r k");

        AssertSameEntity(expected, actual!);
        Assert.Equal(-9223372036854775808L, actual!["Long"]);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 5, TimeSpan.Zero).AddTicks(7), actual["Time"]);
        Assert.Equal("W/\"datetime'2026-12-03T13%3A02%3A19.8051314Z'\"", actual.ETag.ToString());
    }

    [Fact]
    public async Task QueryPage_RowsOfDifferentShapes_ReadsWhatTheSdkReads()
    {
        var body = "{\"odata.metadata\":\"x\",\"value\":[" + Entity + "," +
            "{\"odata.etag\":\"W/\\\"2\\\"\",\"PartitionKey\":\"p\",\"RowKey\":\"b\",\"Timestamp\":\"2026-12-03T13:02:19Z\",\"Directory\":\"d/\"}," +
            Entity.Replace("\"Empty\":\"\",", string.Empty, StringComparison.Ordinal) + "]}";
        var sdkRows = new List<TableEntity>();
        await foreach (var row in new TableClient(Connection, "objects", Options(new CannedHandler(_ => Answer(HttpStatusCode.OK, body)))).QueryAsync<TableEntity>("PartitionKey eq 'p'"))
        {
            sdkRows.Add(row);
        }

        var rows = new List<TableEntity>();
        var next = await Reader(new CannedHandler(_ => Answer(HttpStatusCode.OK, body))).QueryPageAsync("objects", "PartitionKey eq 'p'", 1000, null, null, rows);

        Assert.Null(next);
        Assert.Equal(3, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            AssertSameEntity(sdkRows[i], rows[i]);
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AuthenticationFailed")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServerBusy")]
    [InlineData(HttpStatusCode.InternalServerError, null)]
    public async Task GetEntity_FailureOtherThanNotFound_ThrowsWhatTheSdkThrows(HttpStatusCode status, string? code)
    {
        var error = code is null ? "not json" : "{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"Refused.\\nRequestId:1\"}}}";
        var sdkOptions = Options(new CannedHandler(_ => Answer(status, error)));
        sdkOptions.Retry.MaxRetries = 0;
        var expected = await Assert.ThrowsAsync<RequestFailedException>(() => new TableClient(Connection, "objects", sdkOptions).GetEntityIfExistsAsync<TableEntity>("p", "r"));
        var options = Options(new CannedHandler(_ => Answer(status, error)));
        options.Retry.MaxRetries = 0;
        var reader = TableReader.Create(new TableMetadataOptions { ConnectionString = Connection }, new Uri("http://127.0.0.1:10002/devstoreaccount1"), "devstoreaccount1", options)!;

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => reader.GetEntityIfExistsAsync("objects", "p", "r"));

        Assert.Equal((int)status, failure.Status);
        Assert.Equal(expected.Status, failure.Status);
        Assert.Equal(expected.ErrorCode, failure.ErrorCode);
        Assert.Equal(code, failure.ErrorCode);
        Assert.Equal(expected.Message, failure.Message);
    }

    private static void AssertSameRequest(Captured sdk, Captured ours)
    {
        Assert.Equal(sdk.Uri, ours.Uri);
        Assert.Equal(sdk.Method, ours.Method);
        foreach (var header in new[] { "x-ms-version", "DataServiceVersion", "Accept" })
        {
            Assert.Equal(sdk.Headers[header], ours.Headers[header]);
        }

        Assert.Equal(sdk.Headers["Authorization"].Split(':')[0], ours.Headers["Authorization"].Split(':')[0]);
        Assert.Equal(Sign(sdk.Headers["x-ms-date"], ours.Path), sdk.Headers["Authorization"]);
        Assert.Equal(Sign(ours.Headers["x-ms-date"], ours.Path), ours.Headers["Authorization"]);
    }

    private static string Sign(string date, string path) =>
        "SharedKeyLite devstoreaccount1:" + new SharedKeyLitePolicy("devstoreaccount1", Convert.FromBase64String("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")).Sign(date, path);

    /// <summary>Same keys in the same order, each value of the same type and equal (byte arrays by content).</summary>
    internal static void AssertSameEntity(TableEntity expected, TableEntity actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, value) in expected)
        {
            var read = actual[name];
            Assert.Equal((name, value?.GetType()), (name, read?.GetType()));
            if (value is DateTimeOffset time)
            {
                Assert.Equal(time.Offset, ((DateTimeOffset)read!).Offset);
            }

            Assert.Equal(value, read);
        }

        Assert.Equal(expected.ETag, actual.ETag);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
    }

    private static TableReader Reader(CannedHandler handler) =>
        TableReader.Create(new TableMetadataOptions { ConnectionString = Connection }, new Uri("http://127.0.0.1:10002/devstoreaccount1"), "devstoreaccount1", Options(handler))!;

    private static TableClientOptions Options(CannedHandler handler) => new() { Transport = new HttpClientTransport(new HttpClient(handler)) };

    private static HttpResponseMessage Answer(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var answer = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8) };
        answer.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers)
        {
            answer.Headers.TryAddWithoutValidation(name, value);
        }

        return answer;
    }

    private sealed record Captured(string Method, string Uri, string Path, Dictionary<string, string> Headers);

    /// <summary>Records every request and answers it with what <c>answer</c> gives.</summary>
    private sealed class CannedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<Captured> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in request.Headers)
            {
                headers[name] = string.Join(",", values);
            }

            Requests.Add(new Captured(request.Method.Method, request.RequestUri!.AbsoluteUri, request.RequestUri.AbsolutePath, headers));
            return Task.FromResult(answer(request));
        }
    }
}

using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Storage;
using R2Meta.S3.Handlers;
using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;
using R2Meta.S3.Requests;

namespace R2Meta.Unit.Tests.Requests;

/// <summary>The content headers value and the one protocol table that parses and writes it.</summary>
public sealed class ContentHeadersTests
{
    [Fact]
    public void ContentHeaderField_All_HasOneRowPerHeaderPropertyOfContentHeaders()
    {
        // A header property without a row would be stored by every adapter but never parsed nor returned.
        var properties = typeof(ContentHeaders).GetProperties()
            .Where(p => p.PropertyType == typeof(string))
            .Select(p => p.Name);
        var probe = new ContentHeaders();
        var covered = ContentHeaderField.All.Select(field => typeof(ContentHeaders).GetProperties()
            .Single(p => p.PropertyType == typeof(string) && (string?)p.GetValue(field.Set(probe, "v")) == "v").Name);

        Assert.Equal(properties.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
        Assert.All(ContentHeaderField.All, field => Assert.Equal("v", field.Get(field.Set(probe, "v"))));
    }

    [Fact]
    public void ContentHeaders_EveryRequestHeader_WrittenBackOnTheObjectResponse()
    {
        var request = new DefaultHttpContext().Request;
        foreach (var field in ContentHeaderField.All)
        {
            request.Headers[field.Name] = "value of " + field.Name;
        }

        request.Headers["x-amz-meta-Color"] = "grey";
        var headers = RequestHeaders.ContentHeaders(request);
        var response = WriteResponse(headers);

        Assert.All(ContentHeaderField.All, field => Assert.Equal("value of " + field.Name, response.Headers[field.Name].ToString()));
        Assert.Equal("grey", response.Headers["x-amz-meta-color"].ToString());
        Assert.Equal(new Dictionary<string, string> { ["color"] = "grey" }, headers.UserMetadata);
    }

    [Fact]
    public void ContentHeaders_AwsChunkedAmongEncodings_IsNotStored()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.ContentEncoding = "aws-chunked, gzip";

        Assert.Equal("gzip", RequestHeaders.ContentHeaders(request).ContentEncoding);
        request.Headers.ContentEncoding = "aws-chunked";
        Assert.Null(RequestHeaders.ContentHeaders(request).ContentEncoding);
    }

    [Fact]
    public void ObjectResponse_NoContentType_SendsTheS3Default()
    {
        var response = WriteResponse(ContentHeaders.None);

        Assert.Equal("binary/octet-stream", response.ContentType);
        Assert.False(response.Headers.ContainsKey("Cache-Control"));
    }

    [Fact]
    public void ObjectResponse_OverrideQueryOfEachHeader_WinsOverTheStoredValue()
    {
        var stored = new ContentHeaders { ContentType = "a/b", CacheControl = "stored", Expires = "stored" };
        var raw = string.Join('&', ContentHeaderField.All.Select(f => f.OverrideQuery + "=over+" + Uri.EscapeDataString(f.Name)));
        var query = QueryParameters.Parse(raw);

        var response = WriteResponse(stored, query);

        Assert.Contains("response-content-disposition", query.Names);
        Assert.All(ContentHeaderField.All, field => Assert.Equal("over " + field.Name, response.Headers[field.Name].ToString()));
    }

    [Fact]
    public void Equals_SameMetadataInAnotherDictionaryAndOrder_AreEqual()
    {
        var a = new ContentHeaders { ContentType = "t", UserMetadata = new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" } };
        var b = new ContentHeaders { ContentType = "t", UserMetadata = new SortedDictionary<string, string> { ["y"] = "2", ["x"] = "1" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { UserMetadata = new Dictionary<string, string> { ["x"] = "1", ["y"] = "3" } });
        Assert.NotEqual(a, b with { UserMetadata = new Dictionary<string, string> { ["x"] = "1" } });
        Assert.NotEqual(a, b with { ContentLanguage = "en" });
        Assert.Equal(ContentHeaders.None, new ContentHeaders());
    }

    [Fact]
    public void UserMetadata_SourceChangedAfterward_ValueKeepsItsCopy()
    {
        var source = new Dictionary<string, string> { ["x"] = "1" };
        var headers = new ContentHeaders { UserMetadata = source };

        source["x"] = "2";

        Assert.Equal("1", headers.UserMetadata["x"]);
    }

    private static HttpResponse WriteResponse(ContentHeaders headers, QueryParameters? query = null)
    {
        var context = new DefaultHttpContext();

        var record = new ObjectRecord
        {
            Bucket = "b",
            Key = "k",
            BlobName = "blob",
            Size = 1,
            ETag = "\"e\"",
            LastModified = DateTimeOffset.UnixEpoch,
            Headers = headers,
        };
        ObjectResponse.WriteHeaders(context, query ?? QueryParameters.Empty, record, range: null, wholeObject: true);
        return context.Response;
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using R2Meta.Storage.Cosmos;

namespace R2Meta.Storage.Tests.Cosmos;

/// <summary>The store's Cosmos serializer reads what the SDK hands it as the SDK's own System.Text.Json serializer did.</summary>
public sealed class CosmosJsonSerializerTests
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private static readonly CosmosJsonSerializer Serializer = new(Options);

    private sealed record Sample(string Id, string? Name, long Size, Dictionary<string, string>? Headers);

    [Fact]
    public void ToStream_ThenFromStream_RoundTripsWithTheOptions()
    {
        var sample = new Sample("id-1", null, 42, new() { ["content-type"] = "text/plain; charset=é" });

        using var written = Serializer.ToStream(sample);
        var json = new StreamReader(written, Encoding.UTF8).ReadToEnd();
        Assert.Equal("""{"id":"id-1","size":42,"headers":{"content-type":"text/plain; charset=\u00E9"}}""", json);

        written.Position = 0;
        var read = Serializer.FromStream<Sample>(written);
        Assert.Equal(sample.Id, read.Id);
        Assert.Equal(42, read.Size);
        Assert.Equal("text/plain; charset=é", read.Headers!["content-type"]);
    }

    [Fact]
    public void FromStream_MemoryStreamPastItsStart_ReadsFromItsPosition()
    {
        var bytes = Encoding.UTF8.GetBytes("xxxx{\"id\":\"a\",\"size\":1}");
        var stream = new MemoryStream();
        stream.Write(bytes);
        stream.Position = 4;

        Assert.Equal("a", Serializer.FromStream<Sample>(stream).Id);
        Assert.False(stream.CanRead); // disposed, as the SDK expects of a serializer
    }

    [Fact]
    public void FromStream_StreamThatIsNotAMemoryStream_IsDeserializedFromTheStream()
    {
        using var file = new BufferedStream(new MemoryStream(Encoding.UTF8.GetBytes("{\"id\":\"b\",\"size\":2}"), writable: false));
        Assert.Equal(2, Serializer.FromStream<Sample>(file).Size);
    }

    [Fact]
    public void FromStream_EmptyAnswer_IsDefault()
    {
        Assert.Null(Serializer.FromStream<Sample>(new MemoryStream()));
    }

    [Fact]
    public void FromStream_AskedForAStream_HandsTheStreamThrough()
    {
        var stream = new MemoryStream([1, 2, 3]);
        Assert.Same(stream, Serializer.FromStream<Stream>(stream));
        Assert.True(stream.CanRead);
    }

    [Fact]
    public void FromStream_JsonElementOfAQueryPage_ReadsTheDocuments()
    {
        var page = Serializer.FromStream<JsonElement>(new MemoryStream(Encoding.UTF8.GetBytes("""{"Documents":[{"id":"x"},{"id":"y"}],"_count":2}""")));
        Assert.Equal(2, page.GetProperty("Documents").GetArrayLength());
    }
}

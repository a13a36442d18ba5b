using System.Text;
using R2Meta.S3.Forms;
using R2Meta.Unit.Tests.Auth;

namespace R2Meta.Unit.Tests.Forms;

public sealed class PostFormReaderTests
{
    private const string Boundary = "----r2metaBoundary7MA4YWxk";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8192)]
    public async Task ReadAsync_BoundariesSplitAcrossReads_FieldsThenFileBytesExact(int readSize)
    {
        // File bytes that look like the start of a boundary, CRLFs and dashes must come through unchanged.
        var file = "line1\r\n--" + Boundary[..10] + "\r\n\r\n--\r\nend\r\n";
        var body = Form([("key", "a/${filename}"), ("Content-Type", "text/plain")], ("file", "x.txt", file));

        var form = await PostFormReader.ReadAsync(Chunked(body, readSize), Boundary);

        Assert.Equal(["key", "Content-Type"], form.Fields.Select(f => f.Name));
        Assert.Equal("a/${filename}", form["key"]);
        Assert.Equal("x.txt", form.FileName);
        Assert.Equal(file, Encoding.UTF8.GetString(await TestRequests.ReadAllAsync(form.File, readSize)));
    }

    [Fact]
    public async Task ReadAsync_FieldNames_CaseInsensitive()
    {
        var form = await PostFormReader.ReadAsync(Body(Form([("KEY", "k"), ("X-Amz-Meta-Color", "red")], ("File", null, "x"))), Boundary);

        Assert.Equal("k", form["key"]);
        Assert.Equal("red", form["x-amz-meta-color"]);
        Assert.Equal("x", Encoding.UTF8.GetString(await TestRequests.ReadAllAsync(form.File)));
    }

    [Fact]
    public async Task ReadAsync_FieldValueWithCrlf_Preserved()
    {
        var form = await PostFormReader.ReadAsync(Body(Form([("x-amz-meta-note", "a\r\nb\r\n")], ("file", "f", "x"))), Boundary);

        Assert.Equal("a\r\nb\r\n", form["x-amz-meta-note"]);
    }

    [Fact]
    public async Task ReadAsync_FieldsAfterFile_NotRead()
    {
        var body = Form([("key", "k")], ("file", "f", "data"))[..^(Boundary.Length + 8)] + "\r\n--" + Boundary + "\r\nContent-Disposition: form-data; name=\"late\"\r\n\r\nv\r\n--" + Boundary + "--\r\n";

        var form = await PostFormReader.ReadAsync(Body(body), Boundary);

        Assert.Equal("data", Encoding.UTF8.GetString(await TestRequests.ReadAllAsync(form.File)));
        Assert.Null(form["late"]);
    }

    [Fact]
    public async Task ReadAsync_EmptyFile_ReadsNothing()
    {
        var form = await PostFormReader.ReadAsync(Body(Form([("key", "k")], ("file", "f", ""))), Boundary);

        Assert.Empty(await TestRequests.ReadAllAsync(form.File));
    }

    [Fact]
    public async Task ReadAsync_PreambleBeforeFirstBoundary_Ignored()
    {
        var form = await PostFormReader.ReadAsync(Body("preamble text\r\n" + Form([("key", "k")], ("file", "f", "x"))), Boundary);

        Assert.Equal("k", form["key"]);
    }

    [Fact]
    public async Task ReadAsync_NoFilePart_IncorrectNumberOfFiles()
    {
        var body = Form([("key", "k")], null);

        Assert.Equal("IncorrectNumberOfFilesInPostRequest", (await TestRequests.ErrorAsync(() => PostFormReader.ReadAsync(Body(body), Boundary))).Code);
    }

    [Fact]
    public async Task ReadAsync_FieldsOverTwentyKilobytes_MaxPostPreDataLengthExceeded()
    {
        var body = Form([("x-amz-meta-a", new string('a', 15_000)), ("x-amz-meta-b", new string('b', 6_000))], ("file", "f", "x"));

        Assert.Equal("MaxPostPreDataLengthExceededError", (await TestRequests.ErrorAsync(() => PostFormReader.ReadAsync(Body(body), Boundary))).Code);
    }

    [Fact]
    public async Task ReadAsync_FieldsJustUnderTheCap_Accepted()
    {
        var form = await PostFormReader.ReadAsync(Body(Form([("k", new string('a', PostFormReader.MaxPreDataBytes - 1))], ("file", "f", "x"))), Boundary);

        Assert.Equal(PostFormReader.MaxPreDataBytes - 1, form["k"]!.Length);
    }

    [Fact]
    public async Task ReadFile_BodyEndsWithoutClosingBoundary_MalformedPostRequest()
    {
        var body = Form([("key", "k")], ("file", "f", "data"))[..^(Boundary.Length + 8)];
        var form = await PostFormReader.ReadAsync(Body(body), Boundary);

        Assert.Equal("MalformedPOSTRequest", (await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(form.File))).Code);
    }

    [Fact]
    public async Task ReadAsync_BareLfLineEnds_MalformedPostRequest()
    {
        var body = Form([("key", "k")], ("file", "f", "x")).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Equal("MalformedPOSTRequest", (await TestRequests.ErrorAsync(() => PostFormReader.ReadAsync(Body(body), Boundary))).Code);
    }

    [Fact]
    public async Task ReadAsync_PartWithoutName_MalformedPostRequest()
    {
        var body = "--" + Boundary + "\r\nContent-Disposition: form-data\r\n\r\nv\r\n--" + Boundary + "--\r\n";

        Assert.Equal("MalformedPOSTRequest", (await TestRequests.ErrorAsync(() => PostFormReader.ReadAsync(Body(body), Boundary))).Code);
    }

    [Fact]
    public async Task ReadFile_OverPolicyMaximum_EntityTooLargeAtTheFirstExtraByte()
    {
        var form = await PostFormReader.ReadAsync(Body(Form([], ("file", "f", "12345"))), Boundary);
        form.File.Limit = (null, 4);

        Assert.Equal("EntityTooLarge", (await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(form.File))).Code);
    }

    [Fact]
    public async Task ReadFile_UnderPolicyMinimum_EntityTooSmallAtTheEnd()
    {
        var form = await PostFormReader.ReadAsync(Body(Form([], ("file", "f", "12345"))), Boundary);
        form.File.Limit = (6, null);

        Assert.Equal("EntityTooSmall", (await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(form.File))).Code);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=abc", "abc")]
    [InlineData("Multipart/Form-Data; boundary=\"a b:c\"", "a b:c")]
    [InlineData("multipart/form-data", null)]
    [InlineData("application/x-www-form-urlencoded", null)]
    [InlineData("multipart/mixed; boundary=abc", null)]
    [InlineData(null, null)]
    public void Boundary_OfContentType(string? contentType, string? expected) =>
        Assert.Equal(expected, PostFormReader.Boundary(contentType));

    /// <summary>A form body: the fields, then the file part when given, then the closing boundary.</summary>
    internal static string Form(IEnumerable<(string Name, string Value)> fields, (string Name, string? FileName, string Content)? file)
    {
        var body = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            body.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n").Append(value).Append("\r\n");
        }

        if (file is { } f)
        {
            body.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(f.Name).Append('"');
            if (f.FileName is not null)
            {
                body.Append("; filename=\"").Append(f.FileName).Append('"');
            }

            body.Append("\r\nContent-Type: application/octet-stream\r\n\r\n").Append(f.Content).Append("\r\n");
        }

        return body.Append("--").Append(Boundary).Append("--\r\n").ToString();
    }

    private static MemoryStream Body(string body) => new(Encoding.UTF8.GetBytes(body));

    private static Stream Chunked(string body, int readSize) => readSize == 1 ? new OneByteStream(Body(body)) : Body(body);
}

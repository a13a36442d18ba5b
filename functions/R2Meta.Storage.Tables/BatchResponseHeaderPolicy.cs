using Azure.Core;
using Azure.Core.Pipeline;

namespace R2Meta.Storage.Tables;

/// <summary>
/// Drops the Location and DataServiceId lines from transaction ($batch) responses before the SDK
/// parses them. The service answers every insert in a transaction with both, holding the entity's
/// URL with its RowKey percent-encoded: for a long S3 key's sort key (up to 9 characters per unit)
/// they outgrow the 4,096-character line limit of the SDK's multipart parser, which then throws
/// although the transaction committed. Neither the SDK nor this adapter reads those two headers.
/// </summary>
internal sealed class BatchResponseHeaderPolicy : HttpPipelinePolicy
{
    private const string MultipartContentType = "multipart/mixed";

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        if (BatchContent(message) is { } content)
        {
            message.Response.ContentStream = Trimmed(Buffered(content));
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (BatchContent(message) is { } content)
        {
            var buffered = content as MemoryStream;
            if (buffered is null)
            {
                buffered = new MemoryStream();
                await content.CopyToAsync(buffered, message.CancellationToken).ConfigureAwait(false);
            }

            message.Response.ContentStream = Trimmed(Buffered(buffered));
        }
    }

    private static Stream? BatchContent(HttpMessage message) =>
        message.HasResponse
        && message.Response.Headers.ContentType?.StartsWith(MultipartContentType, StringComparison.OrdinalIgnoreCase) == true
            ? message.Response.ContentStream
            : null;

    /// <summary>
    /// The body's bytes from the current position, in an array this policy may rewrite: the SDK has normally
    /// buffered the response already (a writable <see cref="MemoryStream"/> whose array it hands over), so no copy.
    /// </summary>
    private static ArraySegment<byte> Buffered(Stream content)
    {
        if (content is MemoryStream memory && memory.TryGetBuffer(out var whole))
        {
            return whole[(int)memory.Position..(int)memory.Length];
        }

        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return new ArraySegment<byte>(copy.GetBuffer(), 0, (int)copy.Length);
    }

    /// <summary>Drops the two header lines by moving the kept lines down within the same array (bytes: the lines are ASCII).</summary>
    private static MemoryStream Trimmed(ArraySegment<byte> body)
    {
        var bytes = body.AsSpan();
        var kept = 0;
        for (var start = 0; start < bytes.Length;)
        {
            var newline = bytes[start..].IndexOf((byte)'\n');
            var end = newline < 0 ? bytes.Length : start + newline + 1;
            var line = bytes[start..end];
            if (!StartsWithIgnoreCase(line, "Location:"u8) && !StartsWithIgnoreCase(line, "DataServiceId:"u8))
            {
                line.CopyTo(bytes[kept..]);
                kept += line.Length;
            }

            start = end;
        }

        return new MemoryStream(body.Array!, body.Offset, kept, writable: false);
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> prefix) =>
        line.Length >= prefix.Length && System.Text.Ascii.EqualsIgnoreCase(line[..prefix.Length], prefix);
}

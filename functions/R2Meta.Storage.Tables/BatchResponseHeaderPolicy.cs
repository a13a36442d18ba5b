using System.Text;
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
            using var buffer = new MemoryStream();
            content.CopyTo(buffer);
            message.Response.ContentStream = Trimmed(buffer);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (BatchContent(message) is { } content)
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, message.CancellationToken).ConfigureAwait(false);
            message.Response.ContentStream = Trimmed(buffer);
        }
    }

    private static Stream? BatchContent(HttpMessage message) =>
        message.HasResponse
        && message.Response.Headers.ContentType?.StartsWith(MultipartContentType, StringComparison.OrdinalIgnoreCase) == true
            ? message.Response.ContentStream
            : null;

    private static MemoryStream Trimmed(MemoryStream buffer)
    {
        // Latin-1 maps bytes to characters one to one, so every other line comes back byte for byte.
        var text = Encoding.Latin1.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var kept = new StringBuilder(text.Length);
        for (var start = 0; start < text.Length;)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            var line = text.AsSpan(start, end - start);
            if (!line.StartsWith("Location:", StringComparison.OrdinalIgnoreCase) && !line.StartsWith("DataServiceId:", StringComparison.OrdinalIgnoreCase))
            {
                kept.Append(line);
            }

            start = end;
        }

        return new MemoryStream(Encoding.Latin1.GetBytes(kept.ToString()), writable: false);
    }
}

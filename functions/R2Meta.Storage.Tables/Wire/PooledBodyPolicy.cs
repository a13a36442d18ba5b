using System.Buffers;
using Azure.Core;
using Azure.Core.Pipeline;

namespace R2Meta.Storage.Tables.Wire;

/// <summary>
/// Reads the successful answer of a request sent with <see cref="HttpMessage.BufferResponse"/> off into an array
/// rented from <see cref="ArrayPool{T}.Shared"/> (a <see cref="PooledContent"/>), where the pipeline's own buffering
/// copies it into a fresh MemoryStream that grows by doubling: for a listing page of 100 rows, hundreds of kilobytes
/// of garbage, some of it on the large object heap. A per-retry policy, so reading the body stays inside the retry
/// loop and under the network timeout, as the pipeline's buffering is. Failures are buffered as the pipeline would,
/// since <see cref="Azure.RequestFailedException"/> keeps their response.
/// </summary>
internal sealed class PooledBodyPolicy : HttpPipelinePolicy
{
    private const int InitialSize = 16 * 1024;

    /// <summary>Synchronous sends keep the body unbuffered: <see cref="Response.Content"/> reads it. The store only reads asynchronously.</summary>
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (message.BufferResponse || !message.HasResponse || message.Response.ContentStream is not { } stream)
        {
            return;
        }

        var response = message.Response;
        if (response.Status is < 200 or >= 300)
        {
            var copy = new MemoryStream();
            await using (stream.ConfigureAwait(false))
            {
                await stream.CopyToAsync(copy, message.CancellationToken).ConfigureAwait(false);
            }

            copy.Position = 0;
            response.ContentStream = copy;
            return;
        }

        response.ContentStream = await ReadAsync(stream, response.Headers.ContentLength, message.CancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<PooledContent> ReadAsync(Stream stream, long? contentLength, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(contentLength is > 0 and < int.MaxValue ? (int)contentLength.Value + 1 : InitialSize);
        var length = 0;
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (length == buffer.Length)
                    {
                        var grown = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(grown);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = grown;
                    }
                }
            }

            return new PooledContent(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

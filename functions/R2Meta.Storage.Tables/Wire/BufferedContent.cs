using Azure;

namespace R2Meta.Storage.Tables.Wire;

/// <summary>A response's body as the pipeline buffered it, read in place.</summary>
internal static class BufferedContent
{
    public static ReadOnlySpan<byte> Of(Response response)
    {
        ArgumentNullException.ThrowIfNull(response);

        // The pipeline buffers answers into a MemoryStream: its array, from where the stream stands.
        if (response.ContentStream is MemoryStream memory && memory.TryGetBuffer(out var buffered))
        {
            return buffered.AsSpan((int)memory.Position);
        }

        return response.Content.ToMemory().Span;
    }
}

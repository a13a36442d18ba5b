using System.Runtime.ExceptionServices;

namespace R2Meta.Storage.Blobs;

/// <summary>
/// Wraps a caller's forward-only source for the SDK: counts the bytes read, remembers the first
/// exception the source threw (so the adapter can rethrow it whatever the SDK wrapped it in), and,
/// when the length is declared, passes as seekable so a single Put Block can stream it. Bytes already
/// read from the source (<paramref name="prefix"/>) come first.
/// </summary>
internal sealed class UploadSourceStream(Stream source, long? declaredLength = null, ReadOnlyMemory<byte> prefix = default) : Stream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public long BytesRead { get; private set; }

    /// <summary>The first exception thrown by the source, if any.</summary>
    public ExceptionDispatchInfo? SourceFault { get; private set; }

    public override bool CanRead => true;

    /// <summary>
    /// Azure.Core only sends seekable request bodies (it seeks to the start before each attempt). Seeking
    /// to where the stream already is works; anything else (an SDK retry after bytes were sent) fails fast.
    /// </summary>
    public override bool CanSeek => declaredLength is not null;

    public override bool CanWrite => false;

    public override long Length => declaredLength ?? throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!_prefix.IsEmpty)
        {
            return TakePrefix(buffer);
        }

        try
        {
            return Count(source.Read(buffer));
        }
        catch (Exception e)
        {
            SourceFault ??= ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_prefix.IsEmpty)
        {
            return TakePrefix(buffer.Span);
        }

        try
        {
            return Count(await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            SourceFault ??= ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => BytesRead + offset,
            _ => Length + offset,
        };

        return CanSeek && target == BytesRead
            ? target
            : throw new NotSupportedException("The upload source is forward-only and cannot be re-read.");
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int TakePrefix(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..count].CopyTo(buffer);
        _prefix = _prefix[count..];
        return Count(count);
    }

    private int Count(int read)
    {
        BytesRead += read;
        return read;
    }
}

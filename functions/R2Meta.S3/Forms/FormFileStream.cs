using R2Meta.S3.Protocol;

namespace R2Meta.S3.Forms;

/// <summary>
/// The file part of a form, read-only and forward-only: bytes up to the next boundary. A body that ends
/// without its closing boundary, or whose framing is broken, fails the read with <c>MalformedPOSTRequest</c>
/// (never a bare exception the write path would not recognise); <see cref="Limit"/> enforces the policy's
/// <c>content-length-range</c> as the bytes pass, so an oversize upload stops at the first byte too many.
/// </summary>
public sealed class FormFileStream : Stream
{
    private readonly Stream _section;
    private long _position;

    public FormFileStream(Stream section) => _section = section;

    /// <summary>The allowed size, inclusive; null bounds are open. Set before the first read.</summary>
    public (long? Min, long? Max) Limit { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Exceptions that mean the multipart framing is broken: MultipartReader throws InvalidDataException, and a plain
    /// IOException for a body that ends early. Kestrel's own IOException subclasses (a body over the limit, a reset
    /// connection) are the host's to answer and pass through.
    /// </summary>
    internal static bool IsFraming(Exception e) => e is InvalidDataException || e.GetType() == typeof(IOException);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(_section.Read(buffer));
        }
        catch (Exception e) when (IsFraming(e))
        {
            throw PostFormReader.Malformed();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await _section.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (IsFraming(e))
        {
            throw PostFormReader.Malformed();
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _position += read;
        if (_position > Limit.Max)
        {
            throw S3Errors.EntityTooLarge.With("Your proposed upload exceeds the maximum allowed size")
                .WithDetail("MaxSizeAllowed", Limit.Max.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToException();
        }

        if (read == 0 && _position < Limit.Min)
        {
            throw S3Errors.EntityTooSmall.With("Your proposed upload is smaller than the minimum allowed size")
                .WithDetail("ProposedSize", _position.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithDetail("MinSizeAllowed", Limit.Min.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToException();
        }

        return read;
    }
}

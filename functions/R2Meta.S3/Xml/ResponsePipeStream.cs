using System.Buffers;
using System.IO.Pipelines;

namespace R2Meta.S3.Xml;

/// <summary>
/// A write-only stream that copies into a <see cref="PipeWriter"/>'s buffer and never flushes, so a synchronous
/// writer can produce a response without synchronous I/O; the caller flushes the pipe once when done. Everything
/// written stays in the pipe's pooled memory until then, so it is for bounded documents (an S3 XML response: at
/// most one page of 1,000 entries).
/// </summary>
internal sealed class ResponsePipeStream(PipeWriter pipe) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => pipe.Write(buffer);

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Nothing to do: the bytes are in the pipe, which the caller flushes.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

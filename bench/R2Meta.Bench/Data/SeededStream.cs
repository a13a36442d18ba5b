using System.Buffers.Binary;

namespace R2Meta.Bench.Data;

/// <summary>
/// A read-only, seekable stream of <see cref="Length"/> pseudo-random bytes generated on the fly: the
/// 8-byte word at offset 8n is SplitMix64(seed, n), so any position can be produced without the bytes
/// before it and nothing is held in memory (a 1 GiB object costs no 1 GiB array). Seekable and with a
/// known length, so SDKs can sign, checksum and retry it.
/// </summary>
public sealed class SeededStream(long length, ulong seed) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>The first <paramref name="size"/> bytes as an array (small objects: one shared payload).</summary>
    public static byte[] Bytes(int size, ulong seed)
    {
        var bytes = new byte[size];
        using var stream = new SeededStream(size, seed);
        stream.ReadExactly(bytes);
        return bytes;
    }

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, Math.Max(0, length - _position));
        var written = 0;
        Span<byte> word = stackalloc byte[8];
        while (written < count)
        {
            var offset = _position + written;
            var within = (int)(offset & 7);
            BinaryPrimitives.WriteUInt64LittleEndian(word, Mix(seed, (ulong)(offset >> 3)));
            var take = Math.Min(8 - within, count - written);
            word.Slice(within, take).CopyTo(buffer[written..]);
            written += take;
        }

        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static ulong Mix(ulong seed, ulong index)
    {
        var z = seed + ((index + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

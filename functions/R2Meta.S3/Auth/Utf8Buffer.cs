using System.Buffers;
using System.Text;

namespace R2Meta.S3.Auth;

/// <summary>
/// UTF-8 text written into a pooled array that grows as needed, so the canonical request and the string to sign
/// can be hashed without first being strings. A ref struct so that it cannot be copied and returned to the pool twice.
/// </summary>
internal ref struct Utf8Buffer
{
    private byte[] _bytes;
    private int _length;

    public Utf8Buffer(int capacity)
    {
        _bytes = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public readonly ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

    public void Append(byte value)
    {
        Reserve(1)[0] = value;
        _length++;
    }

    public void Append(scoped ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Reserve(utf8.Length));
        _length += utf8.Length;
    }

    /// <summary>
    /// Appends the text's UTF-8 encoding. Callers cut text only next to ASCII, never inside a surrogate pair, so
    /// the pieces encode to the same bytes as the whole string would (a lone surrogate becomes U+FFFD either way).
    /// </summary>
    public void Append(scoped ReadOnlySpan<char> text) =>
        _length += Encoding.UTF8.GetBytes(text, Reserve(checked(text.Length * 3)));

    /// <summary>Room for <paramref name="count"/> more bytes, at the end of what was written.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_bytes.Length - _length < count)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(checked(_length + count), _bytes.Length * 2));
            _bytes.AsSpan(0, _length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = grown;
        }

        return _bytes.AsSpan(_length);
    }

    /// <summary>Marks <paramref name="count"/> bytes written into <see cref="Reserve"/>d room as part of the text.</summary>
    public void Advance(int count) => _length += count;

    public void Dispose()
    {
        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
        }

        _bytes = [];
        _length = 0;
    }
}

using System.Text;

namespace R2Meta.Domain.Keys;

/// <summary>
/// S3 orders keys by their UTF-8 bytes. For well-formed strings that equals code point order, which
/// differs from .NET's ordinal (UTF-16 unit) order for characters U+E000–U+FFFF versus non-BMP ones.
/// </summary>
public sealed class Utf8Order : IComparer<string>
{
    public static Utf8Order Instance { get; } = new();

    private Utf8Order()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        return CompareKeys(x, y);
    }

    public static int CompareKeys(string x, string y)
    {
        var ix = 0;
        var iy = 0;
        while (ix < x.Length && iy < y.Length)
        {
            Rune.DecodeFromUtf16(x.AsSpan(ix), out var rx, out var nx);
            Rune.DecodeFromUtf16(y.AsSpan(iy), out var ry, out var ny);
            if (rx.Value != ry.Value)
            {
                return rx.Value < ry.Value ? -1 : 1;
            }

            ix += nx;
            iy += ny;
        }

        return (x.Length - ix).CompareTo(y.Length - iy);
    }
}

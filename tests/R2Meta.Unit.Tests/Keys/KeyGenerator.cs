using System.Text;

namespace R2Meta.Unit.Tests.Keys;

/// <summary>Seeded random S3 keys drawn to stress the codec: ASCII, 2- and 3-byte characters, U+E000–U+FFFF, non-BMP.</summary>
internal static class KeyGenerator
{
    public static string RandomKey(Random random, int maxBytes)
    {
        var sb = new StringBuilder();
        var bytes = 0;
        var target = random.Next(0, maxBytes + 1);
        while (true)
        {
            var rune = RandomRune(random);
            if (bytes + rune.Utf8SequenceLength > target)
            {
                return sb.ToString();
            }

            sb.Append(rune.ToString());
            bytes += rune.Utf8SequenceLength;
        }
    }

    public static Rune RandomRune(Random random) => random.Next(8) switch
    {
        0 => new Rune(random.Next(0x01, 0x20)),
        1 or 2 => new Rune(random.Next(0x20, 0x7F)),
        3 => new Rune(random.Next(0x80, 0x800)),
        4 => new Rune(random.Next(0x800, 0xD800)),
        5 => new Rune(random.Next(0xE000, 0x10000)),
        6 => new Rune(random.Next(0x10000, 0x110000)),
        _ => new Rune("ab/"[random.Next(3)]),
    };

    public static int CompareUtf8(string x, string y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
}

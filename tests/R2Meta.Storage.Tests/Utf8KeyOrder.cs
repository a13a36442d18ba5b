using System.Text;

namespace R2Meta.Storage.Tests;

/// <summary>The order S3 lists keys in, computed independently of the code under test: UTF-8 bytes, compared as unsigned.</summary>
internal static class Utf8KeyOrder
{
    public static List<string> Sort(IEnumerable<string> keys) =>
        [.. keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))];

    public static int Compare(string x, string y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
}

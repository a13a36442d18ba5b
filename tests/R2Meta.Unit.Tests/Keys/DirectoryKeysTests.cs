using R2Meta.Domain.Keys;

namespace R2Meta.Unit.Tests.Keys;

public sealed class DirectoryKeysTests
{
    [Fact]
    public void AncestorsOf_EveryPrefixEndingInSlash_ShallowestFirst()
    {
        Assert.Equal(["a/", "a/b/", "a/b//"], DirectoryKeys.AncestorsOf("a/b//c"));
        Assert.Equal(["x/"], DirectoryKeys.AncestorsOf("x/"));
        Assert.Empty(DirectoryKeys.AncestorsOf("top"));
    }

    [Theory]
    [InlineData("a/b/c", "a/b/", 2)]
    [InlineData("a/", "a/", 1)]
    [InlineData("top", "", 0)]
    public void DirectoryOf_AndLevel_OfAKey(string key, string directory, int level)
    {
        Assert.Equal(directory, DirectoryKeys.DirectoryOf(key));
        Assert.Equal(level, DirectoryKeys.LevelOf(key));
        Assert.Equal(level, DirectoryKeys.LevelOf(directory));
    }

    [Theory]
    [InlineData("a/b/", "a/")]
    [InlineData("a/", "")]
    [InlineData("a//", "a/")]
    [InlineData("/", "")]
    [InlineData("//", "/")]
    public void ParentOf_Directory(string directory, string parent) => Assert.Equal(parent, DirectoryKeys.ParentOf(directory));

    [Fact]
    public void EnsureDirectory_RejectsANameNotEndingInSlash()
    {
        DirectoryKeys.EnsureDirectory(string.Empty);
        DirectoryKeys.EnsureDirectory("a/");
        Assert.Throws<ArgumentException>(() => DirectoryKeys.EnsureDirectory("a"));
    }

    [Fact]
    public void EntriesRange_IsNarrowedToTheDirectory_AndNullWhenEmpty()
    {
        var (dirFrom, dirTo) = SortKeyCodec.PrefixRange("d/");
        Assert.Equal((dirFrom, dirTo), DirectoryKeys.EntriesRange("d/", string.Empty, null));
        Assert.Equal((string.Empty, (string?)null), DirectoryKeys.EntriesRange(string.Empty, string.Empty, null));

        var after = SortKeyCodec.StartAfter("d/k");
        Assert.Equal((after, dirTo), DirectoryKeys.EntriesRange("d/", after, null));
        Assert.Null(DirectoryKeys.EntriesRange("d/", SortKeyCodec.Encode("e"), null));
        Assert.Null(DirectoryKeys.EntriesRange("d/", string.Empty, SortKeyCodec.Encode("c")));
    }
}

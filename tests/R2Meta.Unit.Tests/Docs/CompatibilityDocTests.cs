using R2Meta.S3.Handlers;
using System.Text.RegularExpressions;
using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Docs;

/// <summary>
/// docs/compatibility.md against the route table: the operation rows (tables whose first column is
/// "Operation") name every routed S3Operation, and claim ✔ or partial only for routed ones. Operations
/// are read from the enum at run time, so an operation added later fails here until the page lists it.
/// </summary>
public sealed partial class CompatibilityDocTests
{
    private static readonly string[] Statuses = ["✔", "partial", "✖"];

    [Fact]
    public void CompatibilityDoc_EveryRoutedOperation_IsListed()
    {
        var rows = OperationRows();
        var missing = Routed().Where(op => !rows.ContainsKey(op.ToString())).ToList();
        Assert.True(missing.Count == 0, "docs/compatibility.md does not list: " + string.Join(", ", missing));
    }

    [Fact]
    public void CompatibilityDoc_SupportedClaims_AreRouted()
    {
        var routed = Routed().Select(op => op.ToString()).ToHashSet(StringComparer.Ordinal);
        var unrouted = OperationRows().Where(r => r.Value != "✖" && !routed.Contains(r.Key)).Select(r => r.Key).ToList();
        Assert.True(unrouted.Count == 0, "docs/compatibility.md claims support for unrouted operations: " + string.Join(", ", unrouted));
    }

    [Fact]
    public void CompatibilityDoc_RoutedOperations_AreNotClaimedMissing()
    {
        var rows = OperationRows();
        var stale = Routed().Where(op => rows.TryGetValue(op.ToString(), out var status) && status == "✖").ToList();
        Assert.True(stale.Count == 0, "docs/compatibility.md marks routed operations ✖: " + string.Join(", ", stale));
    }

    [Fact]
    public void CompatibilityDoc_Rows_HaveAKnownStatusAndAreListedOnce()
    {
        var names = new List<string>();
        foreach (var (name, status) in ParseOperationRows(File.ReadAllLines(DocPath())))
        {
            Assert.Contains(status, Statuses);
            names.Add(name);
        }

        Assert.True(names.Count > 50, "the parser found too few operation rows");
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ParseOperationRows_OnlyOperationTables_AreRead()
    {
        string[] lines =
        [
            "| Operation | Status | Notes |", "| --- | --- | --- |", "| PutObject | ✔ | x |", "| RestoreObject | ✖ | |", "",
            "| Header | Status | Notes |", "| --- | --- | --- |", "| `x-amz-acl` | ✖ | |",
        ];
        Assert.Equal([("PutObject", "✔"), ("RestoreObject", "✖")], ParseOperationRows(lines));
    }

    private static IEnumerable<S3Operation> Routed() => S3Operations.All.Select(o => o.Operation);

    private static Dictionary<string, string> OperationRows() =>
        ParseOperationRows(File.ReadAllLines(DocPath())).ToDictionary(r => r.Name, r => r.Status, StringComparer.Ordinal);

    /// <summary>Rows of every markdown table whose header's first cell is "Operation": (first cell, second cell).</summary>
    internal static List<(string Name, string Status)> ParseOperationRows(IEnumerable<string> lines)
    {
        var rows = new List<(string, string)>();
        var inOperations = false;
        foreach (var line in lines)
        {
            if (!line.StartsWith('|'))
            {
                inOperations = false;
                continue;
            }

            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells[0] == "Operation")
            {
                inOperations = true;
            }
            else if (inOperations && !Separator().IsMatch(cells[0]) && cells.Length > 1)
            {
                rows.Add((cells[0], cells[1]));
            }
        }

        return rows;
    }

    private static string DocPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "R2Meta.Functions.sln")))
            {
                return Path.Combine(dir.FullName, "docs", "compatibility.md");
            }
        }

        throw new InvalidOperationException("Repository root (R2Meta.Functions.sln) not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("^-+$")]
    private static partial Regex Separator();
}

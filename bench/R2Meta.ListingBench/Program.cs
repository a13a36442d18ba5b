using System.Diagnostics;
using System.Globalization;
using R2Meta.Core.Listing;
using R2Meta.Core.Storage;
using R2Meta.Storage.Tables;

// Listing benchmark on Table Storage (Azurite locally): fills a two-level tree d0000/k0000000 ...
// directly through the metadata store, then pages through it with and without a delimiter and prints
// pages per second and store round trips per page. Usage:
//   dotnet run -c Release --project bench/R2Meta.ListingBench -- [keys=1000000] [pages=200]
// Reads R2META_STORAGE_CONNECTION (default: UseDevelopmentStorage=true). Deletes nothing: the tables
// are named r2bench<random> so runs never collide; drop them with the emulator's data directory.
var keys = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var maxPages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var connection = Environment.GetEnvironmentVariable("R2META_STORAGE_CONNECTION") is { Length: > 0 } c ? c : "UseDevelopmentStorage=true";
const int KeysPerDirectory = 1000;
const string Bucket = "bench";

var store = new TableMetadataStore(new TableMetadataOptions { ConnectionString = connection, TablePrefix = "r2bench" + Guid.NewGuid().ToString("N")[..8] });
await store.InitializeAsync();
await store.CreateBucketAsync(new BucketRecord { Name = Bucket, OwnerId = "bench", CreatedAt = DateTimeOffset.UtcNow });

var fill = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, keys), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, cancellationToken) =>
{
    var record = new ObjectRecord
    {
        Bucket = Bucket,
        Key = string.Create(CultureInfo.InvariantCulture, $"d{i / KeysPerDirectory:D4}/k{i:D7}"),
        BlobName = "bench",
        Size = 0,
        ETag = "\"d41d8cd98f00b204e9800998ecf8427e\"",
        LastModified = DateTimeOffset.UtcNow,
    };
    var result = await store.PutObjectAsync(record, WriteCondition.IfAbsent, cancellationToken);
    if (!result.IsOk)
    {
        throw new InvalidOperationException($"put {record.Key}: {result.Status}");
    }
});
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled {keys:N0} keys in {fill.Elapsed.TotalSeconds:F1} s ({keys / fill.Elapsed.TotalSeconds:F0} keys/s)"));

var engine = new ListingEngine(store);
await RunAsync("no delimiter, max-keys 1000", new ListQuery());
await RunAsync("delimiter '/', top level, max-keys 1000", new ListQuery { Delimiter = "/" });
await RunAsync("delimiter '/', top level, max-keys 100", new ListQuery { Delimiter = "/", MaxKeys = 100 });
await RunAsync("prefix 'd0001/', delimiter '/'", new ListQuery { Prefix = "d0001/", Delimiter = "/" });

async Task RunAsync(string name, ListQuery query)
{
    var watch = Stopwatch.StartNew();
    var pages = 0;
    var entries = 0L;
    var roundTrips = 0L;
    string? after = null;
    while (pages < maxPages)
    {
        var page = await engine.ListAsync(Bucket, query with { After = after });
        pages++;
        entries += page.Entries.Count;
        roundTrips += page.StoreRoundTrips;
        if (!page.IsTruncated)
        {
            break;
        }

        after = page.Last;
    }

    var seconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: {pages} pages, {entries:N0} entries in {seconds:F2} s = {pages / seconds:F1} pages/s, {(double)roundTrips / pages:F1} round trips/page, {entries / seconds:F0} entries/s"));
}

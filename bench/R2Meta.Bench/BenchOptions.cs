using System.Globalization;

namespace R2Meta.Bench;

/// <summary>Everything one bench run needs; parsed once from the command line (environment for defaults).</summary>
public sealed record BenchOptions
{
    public static readonly string[] AllWorkloads = ["small", "list", "large", "mixed"];

    public string Endpoint { get; init; } = "http://127.0.0.1:9000";
    public string AccessKey { get; init; } = "r2meta-dev";
    public string SecretKey { get; init; } = "r2meta-dev-secret-key";
    public string Region { get; init; } = "us-east-1";
    public string Bucket { get; init; } = "r2bench-" + Guid.NewGuid().ToString("N")[..8];
    public IReadOnlyList<string> Workloads { get; init; } = AllWorkloads;
    public bool Raw { get; init; }
    /// <summary>Phase length when <see cref="Ops"/> is not set.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Operations per phase instead of a duration.</summary>
    public long? Ops { get; init; }
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 8, 32, 64];
    public int ObjectSize { get; init; } = 4 * 1024;
    public int ListKeys { get; init; } = 100_000;
    public int ListFanout { get; init; } = 100;
    public int ListMaxKeys { get; init; } = 1000;
    public bool FillDirect { get; init; }
    /// <summary>Each size is uploaded with one PUT and as a multipart upload, and read back; --raw adds Blob Storage's own upload and download.</summary>
    public IReadOnlyList<long> LargeSizes { get; init; } = [256L * 1024 * 1024, 1024L * 1024 * 1024];
    public long PartSize { get; init; } = 16L * 1024 * 1024;
    public int MixedKeys { get; init; } = 1000;
    public int MixedConcurrency { get; init; } = 32;
    public int Seed { get; init; } = 42;
    public string Metadata { get; init; } = "tables";
    public string? StorageConnection { get; init; }
    public string TablePrefix { get; init; } = "r2meta";
    public string? CosmosEndpoint { get; init; }
    public string? CosmosKey { get; init; }
    public string CosmosDatabase { get; init; } = "r2meta";
    public bool CosmosAcceptAnyCertificate { get; init; }
    public int? ServerPid { get; init; }
    public int? StorePid { get; init; }
    /// <summary>The floor server (bench/R2Meta.Floor): the small workload runs against it too, as target "floor".</summary>
    public string? FloorEndpoint { get; init; }
    public int? FloorPid { get; init; }
    /// <summary>With --fill-direct: the list workload's records are multipart objects of this many parts (0: plain objects).</summary>
    public int ListParts { get; init; }
    public string? Out { get; init; }

    public bool Runs(string workload) => Workloads.Contains(workload, StringComparer.Ordinal);

    /// <summary>Raw stores: listed as a workload, or --raw next to the small workload.</summary>
    public bool RunsRaw => Runs("raw") || (Raw && Runs("small"));

    /// <summary>--raw next to the large workload: Blob Storage upload and download of the same sizes.</summary>
    public bool RunsRawLarge => Raw && Runs("large");

    public const string Usage = """
        R2Meta.Bench: S3 load generator for R2Meta or any S3 endpoint.

          --endpoint URL           S3 endpoint (default $R2META_ENDPOINT or http://127.0.0.1:9000)
          --access-key K --secret-key S   (default: first account of $R2META_CREDENTIALS, else r2meta-dev)
          --bucket NAME            created if missing (default r2bench-<random>)
          --region R               signing region (default us-east-1)
          --workloads LIST         small,list,large,mixed (default all); raw = the small workload on the stores only
          --raw                    with small: also run it straight against the stores and compare;
                                   with large: also upload and download the same sizes straight to Blob Storage
          --duration SECONDS       length of each phase (default 10)
          --ops N                  operations per phase instead of a duration
          --concurrency LIST       small workload concurrencies (default 1,8,32,64)
          --object-size SIZE       small object size (default 4KiB)
          --list-keys N --list-fanout N --list-max-keys N   (default 100000, 100 keys per directory, 1000)
          --fill-direct            fill the listing keys through the metadata store (local R2Meta only)
          --list-parts N           with --fill-direct: each listing key is an N-part multipart object (default 0)
          --large-size LIST        sizes of the large workload, each a single PUT/GET and a TransferUtility
                                   multipart upload and its GET (default 256MiB,1GiB)
          --part-size SIZE         multipart part size (default 16MiB)
          --mixed-keys N --mixed-concurrency N     (default 1000, 32)
          --metadata tables|cosmos   store of --raw and --fill-direct (default $R2META_METADATA or tables)
          --storage-connection CS  default $R2META_STORAGE_CONNECTION
          --table-prefix P         default $R2META_TABLE_PREFIX or r2meta
          --cosmos-endpoint URL --cosmos-key K --cosmos-database D   default $R2META_COSMOS_*
          --server-pid PID         report the server's peak working set (VmHWM) and CPU ms per operation
          --store-pid PID          report the store emulator's CPU ms per operation
          --floor-endpoint URL     also run the small workload against the floor server (bench/R2Meta.Floor:
                                   the same store round trips, no S3 work) and print R2Meta against it
          --floor-pid PID          the floor server's process, for its CPU ms per operation
          --seed N                 payload seed (default 42)
          --quick                  smoke sizes: 1 s phases, concurrency 1,32, 200 list keys, 24MiB large (3 parts of 8MiB)
          --out FILE               write the results as JSON
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = FromEnvironment();
        var workloads = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--endpoint" => options with { Endpoint = Value() },
                "--access-key" => options with { AccessKey = Value() },
                "--secret-key" => options with { SecretKey = Value() },
                "--region" => options with { Region = Value() },
                "--bucket" => options with { Bucket = Value() },
                "--workloads" => AddWorkloads(options, workloads, Value()),
                "--raw" => options with { Raw = true },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--ops" => options with { Ops = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = [.. Value().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] },
                "--object-size" => options with { ObjectSize = checked((int)ParseSize(Value())) },
                "--list-keys" => options with { ListKeys = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--list-fanout" => options with { ListFanout = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--list-parts" => options with { ListParts = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--list-max-keys" => options with { ListMaxKeys = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--fill-direct" => options with { FillDirect = true },
                "--large-size" => options with { LargeSizes = [.. Value().Split(',').Select(ParseSize)] },
                "--part-size" => options with { PartSize = ParseSize(Value()) },
                "--mixed-keys" => options with { MixedKeys = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--mixed-concurrency" => options with { MixedConcurrency = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--metadata" => options with { Metadata = Value().ToLowerInvariant() },
                "--storage-connection" => options with { StorageConnection = Value() },
                "--table-prefix" => options with { TablePrefix = Value() },
                "--cosmos-endpoint" => options with { CosmosEndpoint = Value() },
                "--cosmos-key" => options with { CosmosKey = Value() },
                "--cosmos-database" => options with { CosmosDatabase = Value() },
                "--server-pid" => options with { ServerPid = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--store-pid" => options with { StorePid = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--floor-endpoint" => options with { FloorEndpoint = Value() },
                "--floor-pid" => options with { FloorPid = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--quick" => Quick(options),
                "--out" => options with { Out = Value() },
                _ => throw new ArgumentException($"unknown option '{name}'."),
            };
        }

        if (workloads.Count > 0)
        {
            options = options with { Workloads = [.. workloads.Distinct()] };
        }

        return Validate(options);
    }

    /// <summary>Sizes such as 4096, 4KiB, 256MiB, 1GiB (binary units; KB/MB/GB mean the same here).</summary>
    public static long ParseSize(string text)
    {
        var units = new (string Suffix, long Factor)[] { ("kib", 1L << 10), ("mib", 1L << 20), ("gib", 1L << 30), ("kb", 1L << 10), ("mb", 1L << 20), ("gb", 1L << 30), ("k", 1L << 10), ("m", 1L << 20), ("g", 1L << 30) };
        var lower = text.Trim().ToLowerInvariant();
        foreach (var (suffix, factor) in units)
        {
            if (lower.EndsWith(suffix, StringComparison.Ordinal))
            {
                return checked((long)(double.Parse(lower[..^suffix.Length], CultureInfo.InvariantCulture) * factor));
            }
        }

        return long.Parse(lower, CultureInfo.InvariantCulture);
    }

    private static BenchOptions AddWorkloads(BenchOptions options, List<string> workloads, string list)
    {
        foreach (var w in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!AllWorkloads.Contains(w) && w != "raw")
            {
                throw new ArgumentException($"unknown workload '{w}' (small, list, large, mixed, raw).");
            }

            workloads.Add(w);
        }

        return options;
    }

    private static BenchOptions Quick(BenchOptions options) => options with
    {
        Duration = TimeSpan.FromSeconds(1),
        Concurrency = [1, 32],
        ListKeys = 200,
        ListFanout = 20,
        LargeSizes = [24L * 1024 * 1024],
        PartSize = 8L * 1024 * 1024,
        MixedKeys = 100,
    };

    private static BenchOptions FromEnvironment()
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v.Trim() : null;
        var options = new BenchOptions
        {
            Endpoint = Env("R2META_ENDPOINT") ?? "http://127.0.0.1:9000",
            Metadata = Env("R2META_METADATA")?.ToLowerInvariant() ?? "tables",
            StorageConnection = Env("R2META_STORAGE_CONNECTION"),
            TablePrefix = Env("R2META_TABLE_PREFIX") ?? "r2meta",
            CosmosEndpoint = Env("R2META_COSMOS_ENDPOINT"),
            CosmosKey = Env("R2META_COSMOS_KEY"),
            CosmosDatabase = Env("R2META_COSMOS_DATABASE") ?? "r2meta",
            CosmosAcceptAnyCertificate = string.Equals(Env("R2META_COSMOS_ACCEPT_ANY_CERTIFICATE"), "true", StringComparison.OrdinalIgnoreCase),
        };

        // R2META_CREDENTIALS: comma-separated accessKeyId:secret[:...]; the first account drives the bench.
        if (Env("R2META_CREDENTIALS")?.Split(',')[0].Split(':') is [var key, var secret, ..])
        {
            options = options with { AccessKey = key.Trim(), SecretKey = secret.Trim() };
        }

        return options;
    }

    private static BenchOptions Validate(BenchOptions options)
    {
        if (options.Metadata is not ("tables" or "cosmos"))
        {
            throw new ArgumentException($"--metadata must be tables or cosmos, not '{options.Metadata}'.");
        }

        if (options.Concurrency.Count == 0 || options.Concurrency.Any(c => c < 1) || options.MixedConcurrency < 1)
        {
            throw new ArgumentException("concurrency values must be at least 1.");
        }

        if (options.ListKeys < 1 || options.ListFanout < 1 || options.ListMaxKeys is < 1 or > 1000 || options.MixedKeys < 1)
        {
            throw new ArgumentException("--list-keys, --list-fanout, --mixed-keys must be positive; --list-max-keys 1..1000.");
        }

        if (options.ListParts is < 0 or > 10_000 || (options.ListParts > 0 && !options.FillDirect))
        {
            throw new ArgumentException("--list-parts is 0..10000 and needs --fill-direct (S3 cannot make multipart objects that cheaply).");
        }

        if (options.LargeSizes.Count == 0 || options.LargeSizes.Any(s => s < 1) || options.PartSize < 5L * 1024 * 1024)
        {
            throw new ArgumentException("--large-size needs positive sizes; --part-size at least 5MiB.");
        }

        if (options.StorageConnection is null && (options.RunsRaw || options.RunsRawLarge || (options.FillDirect && options.Metadata == "tables")))
        {
            throw new ArgumentException("--raw and --fill-direct need --storage-connection or R2META_STORAGE_CONNECTION.");
        }

        if (options.Metadata == "cosmos" && (options.RunsRaw || options.FillDirect) && options.CosmosEndpoint is null)
        {
            throw new ArgumentException("--metadata cosmos needs --cosmos-endpoint or R2META_COSMOS_ENDPOINT.");
        }

        return options;
    }
}

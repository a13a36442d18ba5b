using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.Bench.Measurement;
using R2Meta.Bench.Targets;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Cosmos;
using R2Meta.Storage.Tables;

namespace R2Meta.Bench.Workloads;

/// <summary>
/// Listing: N keys in a two-level tree <c>list/dNNNNN/kNNNNNNN</c> (fanout keys per directory), filled
/// through S3 PUT or, for a local R2Meta, straight through its metadata store. Then pages through it
/// with ListObjectsV2 (one page at a time, restarting at the end): flat, with delimiter at the top
/// level, and with delimiter inside one directory, each after an untimed round of the same. Pages/s is the ops/s column; round trips per page
/// come from the server's x-r2meta-store-round-trips header.
/// </summary>
public static class ListWorkload
{
    private const string Root = "list/";
    private const int FillConcurrency = 32;

    /// <summary>The kinds of page measured: flat, "/"-delimited at the top level, "/"-delimited inside one directory.</summary>
    private static readonly (string Name, ListObjectsV2Request Request)[] Pages =
    [
        ("flat", new ListObjectsV2Request { Prefix = Root }),
        ("delimiter", new ListObjectsV2Request { Prefix = Root, Delimiter = "/" }),
        ("delimiter-in-dir", new ListObjectsV2Request { Prefix = Root + "d00000/", Delimiter = "/" }),
    ];

    public static async Task<List<WorkloadResult>> RunAsync(S3Endpoint s3, BenchOptions options, CancellationToken cancellationToken = default)
    {
        var results = new List<WorkloadResult>();
        string KeyOf(long i) => string.Create(CultureInfo.InvariantCulture, $"{Root}d{i / options.ListFanout:D5}/k{i:D7}");

        if (await ExistsAsync(s3, KeyOf(options.ListKeys - 1), cancellationToken).ConfigureAwait(false))
        {
            Console.Error.WriteLine($"list: {s3.Bucket} already holds {KeyOf(options.ListKeys - 1)}; not filling again");
        }
        else if (options.FillDirect)
        {
            var store = CreateStore(options);
            var multipart = MultipartShape(options.ListParts);
            try
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                results.Add(await PhaseRunner.RunAsync("list", "direct", "fill", FillConcurrency * 2, TimeSpan.MaxValue, options.ListKeys, async (slot, ct) =>
                {
                    var record = new ObjectRecord
                    {
                        Bucket = s3.Bucket,
                        Key = KeyOf(slot.Index),
                        BlobName = "r2bench-listing-has-no-blob",
                        Size = 0,
                        ETag = "\"d41d8cd98f00b204e9800998ecf8427e\"",
                        LastModified = DateTimeOffset.UtcNow,
                    };
                    if (multipart is not null)
                    {
                        record = multipart(record);
                    }

                    var result = await store.PutObjectAsync(record, WriteCondition.IfAbsent, ct).ConfigureAwait(false);
                    return result.IsOk || result.Status == StoreStatus.AlreadyExists ? 0 : throw new InvalidOperationException($"store put: {result.Status}");
                }, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
        }
        else
        {
            results.Add(await PhaseRunner.RunAsync("list", "r2meta", "fill", FillConcurrency, TimeSpan.MaxValue, options.ListKeys, async (slot, ct) =>
            {
                await s3.PutAsync(KeyOf(slot.Index), [], ct).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false));
        }

        // Untimed first, as SmallWorkload does: one full-length round of each kind of page, so the JIT's
        // background recompilation (tier 0, instrumented, tier 1) of each listing path lands outside the measured phases.
        foreach (var (name, request) in Pages)
        {
            await PagesAsync(s3, options, "warmup-" + name, request, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, request) in Pages)
        {
            results.Add(await PagesAsync(s3, options, name, request, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private static async Task<WorkloadResult> PagesAsync(S3Endpoint s3, BenchOptions options, string name, ListObjectsV2Request template, CancellationToken cancellationToken)
    {
        string? continuation = null;
        long entries = 0, roundTrips = 0, pagesWithHeader = 0;
        var result = await PhaseRunner.RunAsync("list", "r2meta", name, 1, options.Duration, options.Ops, async (_, ct) =>
        {
            var request = new ListObjectsV2Request
            {
                BucketName = s3.Bucket,
                Prefix = template.Prefix,
                Delimiter = template.Delimiter,
                MaxKeys = options.ListMaxKeys,
                ContinuationToken = continuation,
            };
            var (page, trips) = await s3.ListAsync(request, ct).ConfigureAwait(false);
            var count = (page.S3Objects?.Count ?? 0) + (page.CommonPrefixes?.Count ?? 0);
            if (count == 0)
            {
                throw new InvalidOperationException($"empty page listing {template.Prefix}");
            }

            entries += count;
            if (trips is { } t)
            {
                roundTrips += t;
                pagesWithHeader++;
            }

            // At the end of the listing, start over: the phase measures steady paging, not one pass.
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
            return 0;
        }, cancellationToken).ConfigureAwait(false);

        return result with
        {
            EntriesPerSecond = result.Seconds > 0 ? entries / result.Seconds : 0,
            RoundTripsPerPage = pagesWithHeader > 0 ? (double)roundTrips / pagesWithHeader : null,
        };
    }

    private static async Task<bool> ExistsAsync(S3Endpoint s3, string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.HeadAsync(key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// With <c>--list-parts N</c>: each filled record is an N-part multipart object (5 MiB parts, a SHA-256 per part),
    /// what a bucket of large uploads holds, whose rows carry part data a listing never shows.
    /// </summary>
    private static Func<ObjectRecord, ObjectRecord>? MultipartShape(int parts)
    {
        if (parts <= 0)
        {
            return null;
        }

        var sizes = Enumerable.Repeat(5L << 20, parts).ToArray();
        var checksums = Enumerable.Range(0, parts).Select(i => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)))).ToArray();
        return record => record with
        {
            Size = sizes.Sum(),
            ETag = $"\"d41d8cd98f00b204e9800998ecf8427e-{parts}\"",
            Checksums = new Dictionary<string, string> { ["SHA256"] = $"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=-{parts}" },
            ChecksumType = "COMPOSITE",
            PartsCount = parts,
            PartSizes = sizes,
            PartChecksums = checksums,
        };
    }

    private static IMetadataStore CreateStore(BenchOptions options) => options.Metadata == "cosmos"
        ? new CosmosMetadataStore(new CosmosMetadataOptions
        {
            Endpoint = options.CosmosEndpoint!,
            Key = options.CosmosKey ?? "",
            Database = options.CosmosDatabase,
            AcceptAnyServerCertificate = options.CosmosAcceptAnyCertificate,
            LimitToEndpoint = true,
        })
        : new TableMetadataStore(new TableMetadataOptions { ConnectionString = options.StorageConnection!, TablePrefix = options.TablePrefix });
}

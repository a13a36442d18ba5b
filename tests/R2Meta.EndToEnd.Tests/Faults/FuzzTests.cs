using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>
/// Seeded hostile requests over raw HTTP, signed and unsigned. Every answer is a success, or a 4xx, 501 or
/// 503 with an S3 error body — never another 5xx, a dropped connection or a stack trace — and a canary
/// object in the fuzzed bucket stays byte-identical.
/// </summary>
public abstract partial class FuzzTests(R2MetaHost host, ITestOutputHelper output)
{
    private static int Count => FaultClients.LongMode ? 12_000 : 1_400;

    [Fact]
    public async Task Fuzz_HostileRequests_AnswerWithS3ErrorsAndLeaveStoredObjectsAlone()
    {
        var bucket = Names.Bucket("fuzz");
        using var s3 = S3Clients.PathStyle(host);
        await s3.PutBucketAsync(bucket);
        var canary = RandomNumberGenerator.GetBytes(70_000);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = FuzzGenerator.CanaryKey, InputStream = new MemoryStream(canary) });
        var upload = await s3.InitiateMultipartUploadAsync(bucket, "fuzz/upload");
        await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "fuzz/upload", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[100]) });

        var seed = Environment.GetEnvironmentVariable("R2META_FAULTS_SEED") is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 1515;
        var cases = new FuzzGenerator(seed, bucket, "fuzz/upload", upload.UploadId).Generate(Count).ToList();
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var fiveHundreds = 0;
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (fuzz, token) =>
        {
            var answer = await FuzzSender.SendAsync(host.Endpoint, fuzz);
            statuses.AddOrUpdate(answer.Status ?? 0, 1, (status, n) => n + 1);
            if (answer.Status is >= 500 and not 501 and not 503)
            {
                Interlocked.Increment(ref fiveHundreds);
            }

            if (Judge(fuzz, answer) is { } problem)
            {
                failures.Enqueue($"{problem}: {fuzz} -> {answer.Head.Split("\r\n")[0]} {answer.Body[..Math.Min(300, answer.Body.Length)]} ({answer.Elapsed.TotalSeconds:F1} s)");
            }
        });

        using var get = await s3.GetObjectAsync(bucket, FuzzGenerator.CanaryKey);
        var after = await FaultClients.ReadAllAsync(get.ResponseStream);
        output.WriteLine($"{host.Backend}: {cases.Count} requests (seed {seed}) in {started.Elapsed.TotalSeconds:F1} s; 5xx other than 501/503: {fiveHundreds}; failures: {failures.Count}; statuses: {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))}");
        foreach (var failure in failures.Take(30))
        {
            output.WriteLine(failure);
        }

        Assert.Equal(put.ETag, get.ETag);
        Assert.Equal(canary, after);
        Assert.Equal(0, fiveHundreds);
        Assert.Empty(failures);
    }

    /// <summary>Null when the answer is acceptable, else what is wrong with it.</summary>
    private static string? Judge(FuzzCase fuzz, FuzzAnswer answer)
    {
        if (answer.Status is not { } status)
        {
            return fuzz.EndsEarly ? null : "no answer";
        }

        if (status >= 500 && status is not (501 or 503))
        {
            return "server error";
        }

        if (StackTrace().IsMatch(answer.Body))
        {
            return "stack trace";
        }

        if (status >= 400 && fuzz.Method != "HEAD" && !IsHttpLevelRejection(answer) && !ErrorBody().IsMatch(answer.Body))
        {
            return "no S3 error body";
        }

        return null;
    }

    /// <summary>
    /// Kestrel's own bare 400 (no x-amz-request-id, so the pipeline never ran) for what is not valid HTTP/1.1:
    /// a raw space or NUL in the target, a non-token header name, an unparseable Content-Length.
    /// </summary>
    private static bool IsHttpLevelRejection(FuzzAnswer answer) =>
        answer.Status == 400 && answer.Body.Length == 0 && !answer.Head.Contains("x-amz-request-id", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^\s*(<\?xml[^>]*>\s*)?<Error>.*<Code>[A-Za-z]+</Code>.*</Error>\s*$", RegexOptions.Singleline)]
    private static partial Regex ErrorBody();

    [GeneratedRegex(@"\bat [A-Z][\w.]+\(|Exception\b|\.cs:line", RegexOptions.None)]
    private static partial Regex StackTrace();
}

public sealed class TablesFuzzTests(TablesHost host, ITestOutputHelper output) : FuzzTests(host, output), IClassFixture<TablesHost>;

public sealed class CosmosFuzzTests(CosmosHost host, ITestOutputHelper output) : FuzzTests(host, output), IClassFixture<CosmosHost>;

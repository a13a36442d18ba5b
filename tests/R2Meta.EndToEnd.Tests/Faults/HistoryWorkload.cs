using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>What a history run recorded, and what it saw directly (bytes that did not match their ETag).</summary>
public sealed record HistoryRun(History History, IReadOnlyList<Violation> Corruptions, int Requests, int Errors);

/// <summary>
/// Jepsen-style clients: each runs put/get/head/delete/list on a small key set of one bucket, recording
/// invocation and completion times. Every put writes a unique body, so its ETag names the write.
/// </summary>
public static class HistoryWorkload
{
    public static async Task<HistoryRun> RunAsync(Uri endpoint, string bucket, int clients, int keys, TimeSpan duration, int seed)
    {
        var history = new History();
        var corruptions = new List<Violation>();
        var requests = 0;
        var errors = 0;
        using var stop = new CancellationTokenSource(duration);
        var keyNames = Enumerable.Range(0, keys).Select(i => $"reg/{i}").ToArray();

        async Task ClientAsync(int client)
        {
            var random = new Random(seed * 1000 + client);
            using var s3 = FaultClients.Create(endpoint, TimeSpan.FromSeconds(20));
            for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                var key = keyNames[random.Next(keyNames.Length)];
                var roll = random.Next(100);
                Interlocked.Increment(ref requests);
                var invoked = Stopwatch.GetTimestamp();
                try
                {
                    if (roll < 35)
                    {
                        var body = FaultClients.Bytes($"client {client} write {sequence} {Guid.NewGuid():N}");
                        var etag = FaultClients.ETagOf(body);
                        try
                        {
                            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(body) });
                            history.Add(new Op(client, OpKind.Put, key, etag, invoked, Stopwatch.GetTimestamp()));
                        }
                        catch (Exception e) when (!FaultClients.IsDefiniteRejection(e))
                        {
                            history.Add(new Op(client, OpKind.Put, key, etag, invoked, long.MaxValue));
                            throw;
                        }
                    }
                    else if (roll < 47)
                    {
                        try
                        {
                            await s3.DeleteObjectAsync(bucket, key);
                            history.Add(new Op(client, OpKind.Delete, key, null, invoked, Stopwatch.GetTimestamp()));
                        }
                        catch (Exception e) when (!FaultClients.IsDefiniteRejection(e))
                        {
                            history.Add(new Op(client, OpKind.Delete, key, null, invoked, long.MaxValue));
                            throw;
                        }
                    }
                    else if (roll < 65)
                    {
                        var value = await GetAsync(s3, bucket, key, corruptions);
                        history.Add(new Op(client, OpKind.Get, key, value, invoked, Stopwatch.GetTimestamp()));
                    }
                    else if (roll < 82)
                    {
                        string? value;
                        try
                        {
                            value = (await s3.GetObjectMetadataAsync(bucket, key)).ETag;
                        }
                        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
                        {
                            value = null;
                        }

                        history.Add(new Op(client, OpKind.Get, key, value, invoked, Stopwatch.GetTimestamp()));
                    }
                    else
                    {
                        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "reg/" });
                        history.Add(new ListOp(client, (listed.S3Objects ?? []).Select(o => o.Key).ToHashSet(), invoked, Stopwatch.GetTimestamp()));
                    }
                }
                catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or TimeoutException or TaskCanceledException or IOException or Amazon.Runtime.AmazonClientException)
                {
                    // Reads that failed tell nothing; writes that failed were recorded above as indeterminate.
                    Interlocked.Increment(ref errors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c))));
        lock (corruptions)
        {
            return new HistoryRun(history, [.. corruptions], requests, errors);
        }
    }

    private static async Task<string?> GetAsync(AmazonS3Client s3, string bucket, string key, List<Violation> corruptions)
    {
        try
        {
            using var get = await s3.GetObjectAsync(bucket, key);
            var bytes = await FaultClients.ReadAllAsync(get.ResponseStream);
            if (FaultClients.ETagOf(bytes) != get.ETag)
            {
                lock (corruptions)
                {
                    corruptions.Add(new Violation(key, $"GET returned {bytes.Length} bytes whose MD5 is not its ETag {get.ETag}"));
                }
            }

            return get.ETag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

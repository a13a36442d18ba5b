using System.Globalization;
using System.Xml.Linq;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Listing;

/// <summary>Fills buckets straight through the host's metadata store (many keys, fast) and reads raw list responses.</summary>
internal static class ListingSeed
{
    public static async Task PutKeysAsync(R2MetaHost host, string bucket, IEnumerable<string> keys, int parallelism = 16)
    {
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (key, cancellationToken) =>
        {
            var record = new ObjectRecord
            {
                Bucket = bucket,
                Key = key,
                BlobName = "listing-seed-no-blob",
                Size = key.Length,
                ETag = "\"d41d8cd98f00b204e9800998ecf8427e\"",
                LastModified = DateTimeOffset.UtcNow,
            };
            var result = await host.Metadata.PutObjectAsync(record, WriteCondition.IfAbsent, cancellationToken);
            if (!result.IsOk)
            {
                throw new InvalidOperationException($"Seeding {key} answered {result.Status}.");
            }
        });
    }

    public static async Task<(XElement Root, int RoundTrips)> GetAsync(R2MetaHost host, string pathAndQuery)
    {
        using var response = await RawRequests.SendSignedAsync(host, HttpMethod.Get, pathAndQuery);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {pathAndQuery} answered {(int)response.StatusCode}: {text}");
        }

        var roundTrips = int.Parse(response.Headers.GetValues("x-r2meta-store-round-trips").Single(), CultureInfo.InvariantCulture);
        // S3 writes control characters in names as character references (&#x1;), which XML 1.0 readers must be told to accept.
        using var reader = System.Xml.XmlReader.Create(new StringReader(text), new System.Xml.XmlReaderSettings { CheckCharacters = false });
        return (XDocument.Load(reader).Root!, roundTrips);
    }

    public static IEnumerable<string> Values(XElement root, string path)
    {
        XNamespace ns = "http://s3.amazonaws.com/doc/2006-03-01/";
        var steps = path.Split('/');
        IEnumerable<XElement> current = [root];
        foreach (var step in steps)
        {
            current = current.Elements(ns + step);
        }

        return current.Select(e => e.Value);
    }

    public static string? Value(XElement root, string path) => Values(root, path).SingleOrDefault();
}

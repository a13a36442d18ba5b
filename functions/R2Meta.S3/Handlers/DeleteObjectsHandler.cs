using System.Xml.Linq;
using R2Meta.Domain.Services;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>DeleteObjects: up to 1,000 keys in one request, each deleted on its own commit.</summary>
public sealed class DeleteObjectsHandler
{
    private const int MaxKeys = 1000;
    private const long MaxBodyBytes = 2 * 1024 * 1024;
    private const int Parallelism = 8;
    private readonly ObjectService _objects;
    private readonly BucketService _buckets;

    public DeleteObjectsHandler(ObjectService objects, BucketService buckets)
    {
        _objects = objects;
        _buckets = buckets;
    }

    public async Task DeleteObjectsAsync(S3RequestContext context)
    {
        var request = context.Request;
        var hasChecksum = request.Headers.ContainsKey("Content-MD5")
            || request.Headers.Keys.Any(h => h.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase) && !h.Equals("x-amz-checksum-algorithm", StringComparison.OrdinalIgnoreCase))
            || request.Headers["x-amz-trailer"].ToString().StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase);
        if (!hasChecksum)
        {
            throw S3Errors.InvalidRequest.With("Missing required header for this request: Content-MD5").ToException();
        }

        (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        await using var body = ObjectBodyStream.Create(request, context.Auth);
        var document = await S3Xml.ReadAsync(body, MaxBodyBytes, context.Aborted).ConfigureAwait(false);
        var root = document.Root;
        if (root is null || root.Name.LocalName != "Delete")
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var quiet = string.Equals(S3Xml.Child(root, "Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        // An <ETag> makes that key's delete conditional (If-Match), as on DeleteObject.
        // <LastModifiedTime> and <Size> are conditions for directory buckets only: refused per key, never ignored.
        var objects = S3Xml.Children(root, "Object")
            .Select(o => (Key: S3Xml.Child(o, "Key"), VersionId: S3Xml.Child(o, "VersionId"), Conditions: WriteConditions.IfMatchOf(S3Xml.Child(o, "ETag")), Unsupported: S3Xml.Child(o, "LastModifiedTime") is not null || S3Xml.Child(o, "Size") is not null))
            .ToList();
        if (objects.Count is 0 or > MaxKeys || objects.Any(o => string.IsNullOrEmpty(o.Key)))
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var results = new XElement?[objects.Count];
        // Different keys in parallel; the entries of one key in the order sent, as separate requests would be: the
        // versions of one key (a listing's worth, as clients empty a versioned bucket) must not race each other's
        // promotion of the next-newest version.
        var byKey = Enumerable.Range(0, objects.Count).GroupBy(i => objects[i].Key, StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();
        await Parallel.ForEachAsync(byKey, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = context.Aborted }, async (entries, ct) =>
        {
            foreach (var i in entries)
            {
                var (key, versionId, conditions, unsupported) = objects[i];
                if (unsupported)
                {
                    results[i] = Failed(key!, S3Errors.NotImplemented.With("Delete conditions on LastModifiedTime and Size are supported for directory buckets only."), versionId);
                    continue;
                }

                // Each key answers for itself: its failure is an Error element, not the request's status.
                var deleted = await _objects.DeleteAsync(context.Account, context.Bucket, key!, versionId, conditions, cancellationToken: ct).ConfigureAwait(false);
                results[i] = !deleted.IsOk ? Failed(key!, OutcomeErrors.ToS3Error(deleted.Error), versionId)
                    : quiet ? null
                    : Deleted(key!, versionId, deleted.Value);
            }
        }).ConfigureAwait(false);

        await S3Xml.WriteAsync(context.Response, S3Xml.E("DeleteResult", results.Where(r => r is not null)), cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    private static XElement Failed(string key, S3Error error, string? versionId) =>
        S3Xml.E("Error", S3Xml.E("Key", key), versionId is null ? null : S3Xml.E("VersionId", versionId), S3Xml.E("Code", error.Code), S3Xml.E("Message", error.Message));

    /// <summary>
    /// S3's Deleted element: the VersionId asked for; a delete marker it wrote, or removed by id, answers
    /// DeleteMarker and that marker's id as DeleteMarkerVersionId.
    /// </summary>
    private static XElement Deleted(string key, string? versionId, ObjectCommitter.DeleteOutcome outcome) =>
        S3Xml.E("Deleted",
            S3Xml.E("Key", key),
            versionId is null ? null : S3Xml.E("VersionId", versionId),
            outcome.DeleteMarker ? S3Xml.E("DeleteMarker", "true") : null,
            outcome.DeleteMarker ? S3Xml.E("DeleteMarkerVersionId", outcome.VersionId) : null);
}

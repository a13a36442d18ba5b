using System.Globalization;
using System.Xml.Linq;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Auth;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>
/// ListObjectsV2, ListObjects (V1) and ListObjectVersions. Parse and validate the query, check ownership, run one
/// page of the <see cref="ListingEngine"/> (or, for versions, the <see cref="VersionListingEngine"/>), write the
/// result document.
/// </summary>
public sealed class ListingHandlers
{
    private readonly BucketService _buckets;
    private readonly ListingEngine _engine;
    private readonly VersionListingEngine _versions;
    private readonly AccountDirectory _accounts;

    public ListingHandlers(BucketService buckets, ListingEngine engine, VersionListingEngine versions, AccountDirectory accounts)
    {
        _buckets = buckets;
        _engine = engine;
        _versions = versions;
        _accounts = accounts;
    }

    public async Task ListObjectsV2Async(S3RequestContext context)
    {
        if (context.Query("list-type") != "2")
        {
            throw S3Errors.InvalidArgument.With("Invalid List Type specified in Request").WithDetail("ArgumentName", "list-type").ToException();
        }

        var common = CommonParameters.Parse(context);
        var startAfter = context.Query("start-after");
        var token = context.Query("continuation-token");
        var fetchOwner = string.Equals(context.Query("fetch-owner"), "true", StringComparison.OrdinalIgnoreCase);
        var tokens = ContinuationToken.For(context.Account.SecretAccessKey, context.Bucket);
        var after = startAfter;
        // An empty token is no token (S3 echoes it back).
        if (!string.IsNullOrEmpty(token))
        {
            after = tokens.TryRead(token) ?? throw S3Errors.InvalidContinuationToken.WithDetail("ArgumentName", "continuation-token").ToException();
        }

        var (bucket, page) = await ListAsync(context, common, after).ConfigureAwait(false);
        var owner = fetchOwner ? Owner(bucket) : null;
        var encode = common.Encoder;
        var root = S3Xml.E("ListBucketResult",
            S3Xml.E("Name", bucket.Name),
            S3Xml.E("Prefix", encode(common.Prefix)),
            common.EchoedDelimiter is { } delimiter ? S3Xml.E("Delimiter", encode(delimiter)) : null,
            S3Xml.E("MaxKeys", common.MaxKeys),
            S3Xml.E("KeyCount", page.Entries.Count),
            common.EncodingType is { } encodingType ? S3Xml.E("EncodingType", encodingType) : null,
            S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"),
            token is not null ? S3Xml.E("ContinuationToken", token) : null,
            page.IsTruncated ? S3Xml.E("NextContinuationToken", tokens.Create(page.Last!)) : null,
            startAfter is not null ? S3Xml.E("StartAfter", encode(startAfter)) : null);
        await S3Xml.WriteAsync(context.Response, root, writer => ListingEntryXml.Write(writer, page, encode, owner), cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task ListObjectsAsync(S3RequestContext context)
    {
        var common = CommonParameters.Parse(context);
        var marker = context.Query("marker");
        var (bucket, page) = await ListAsync(context, common, marker).ConfigureAwait(false);
        var owner = Owner(bucket);
        var encode = common.Encoder;
        var root = S3Xml.E("ListBucketResult",
            S3Xml.E("Name", bucket.Name),
            // V1 returns Prefix as sent, even with encoding-type=url (SDKs decode only the other names).
            S3Xml.E("Prefix", common.Prefix),
            S3Xml.E("Marker", encode(marker ?? string.Empty)),
            // S3 returns NextMarker only to delimiter listings; others resume from the last Key.
            page.IsTruncated && common.Query.Delimiter is { Length: > 0 } ? S3Xml.E("NextMarker", encode(page.Last!)) : null,
            S3Xml.E("MaxKeys", common.MaxKeys),
            common.EchoedDelimiter is { } delimiter ? S3Xml.E("Delimiter", encode(delimiter)) : null,
            S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"),
            common.EncodingType is { } encodingType ? S3Xml.E("EncodingType", encodingType) : null);
        await S3Xml.WriteAsync(context.Response, root, writer => ListingEntryXml.Write(writer, page, encode, owner), cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task ListObjectVersionsAsync(S3RequestContext context)
    {
        var common = CommonParameters.Parse(context);
        var keyMarker = context.Query("key-marker");
        var versionIdMarker = context.Query("version-id-marker");
        if (!string.IsNullOrEmpty(versionIdMarker))
        {
            if (string.IsNullOrEmpty(keyMarker))
            {
                throw S3Errors.VersionIdMarkerWithoutKeyMarker.WithDetail("ArgumentName", "version-id-marker").ToException();
            }

            if (versionIdMarker != VersionIds.Null && !VersionIds.IsWellFormed(versionIdMarker))
            {
                throw S3Errors.InvalidVersionIdMarker.WithDetail("ArgumentName", "version-id-marker").WithDetail("ArgumentValue", versionIdMarker).ToException();
            }
        }

        var bucket = (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        var query = new VersionQuery
        {
            Prefix = common.Prefix,
            Delimiter = common.Query.Delimiter,
            MaxKeys = common.MaxKeys,
            KeyMarker = string.IsNullOrEmpty(keyMarker) ? null : keyMarker,
            VersionIdMarker = string.IsNullOrEmpty(versionIdMarker) ? null : versionIdMarker,
        };
        var page = bucket.Versioning == BucketVersioning.Unversioned
            ? await ListUnversionedAsync(bucket, common, query.KeyMarker, context.Aborted).ConfigureAwait(false)
            : await _versions.ListAsync(bucket.Name, query, context.Aborted).ConfigureAwait(false);
        ListingMetrics.Record(context.Operation.ToString(), page.StoreRoundTrips);
        context.Response.Headers[ListingMetrics.RoundTripsHeader] = page.StoreRoundTrips.ToString(CultureInfo.InvariantCulture);

        var owner = Owner(bucket);
        var encode = common.Encoder;
        var root = S3Xml.E("ListVersionsResult",
            S3Xml.E("Name", bucket.Name),
            S3Xml.E("Prefix", encode(common.Prefix)),
            S3Xml.E("KeyMarker", encode(keyMarker ?? string.Empty)),
            S3Xml.E("VersionIdMarker", versionIdMarker ?? string.Empty),
            page.NextKeyMarker is { } nextKey ? S3Xml.E("NextKeyMarker", encode(nextKey)) : null,
            page.NextVersionIdMarker is { } nextVersion ? S3Xml.E("NextVersionIdMarker", nextVersion) : null,
            S3Xml.E("MaxKeys", common.MaxKeys),
            common.EchoedDelimiter is { } delimiter ? S3Xml.E("Delimiter", encode(delimiter)) : null,
            S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"),
            common.EncodingType is { } encodingType ? S3Xml.E("EncodingType", encodingType) : null,
            // S3 interleaves Version and DeleteMarker elements in listing order.
            page.Entries.Where(e => !e.IsCommonPrefix).Select(e => e.Version!.IsDeleteMarker
                ? S3Xml.E("DeleteMarker",
                    S3Xml.E("Key", encode(e.Name)),
                    S3Xml.E("VersionId", e.Version.S3VersionId),
                    S3Xml.E("IsLatest", e.IsLatest ? "true" : "false"),
                    S3Xml.E("LastModified", S3Xml.Timestamp(e.Version.LastModified)),
                    new XElement(owner))
                : S3Xml.E("Version",
                    S3Xml.E("Key", encode(e.Name)),
                    S3Xml.E("VersionId", e.Version.S3VersionId),
                    S3Xml.E("IsLatest", e.IsLatest ? "true" : "false"),
                    S3Xml.E("LastModified", S3Xml.Timestamp(e.Version.LastModified)),
                    S3Xml.E("ETag", e.Version.ETag),
                    ChecksumElements(e.Version),
                    S3Xml.E("Size", e.Version.Size),
                    S3Xml.E("StorageClass", e.Version.StorageClass),
                    new XElement(owner))),
            page.Entries.Where(e => e.IsCommonPrefix).Select(e => S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", encode(e.Name)))));
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// A bucket never versioned has one version per key, "null", which is its object: the object listing answers, at
    /// its cost (the directory index for "/"), exactly as before versioning existed. (key-marker, version-id-marker)
    /// resumes after key-marker, whose only version was listed.
    /// </summary>
    private async Task<VersionPage> ListUnversionedAsync(BucketRecord bucket, CommonParameters common, string? keyMarker, CancellationToken cancellationToken)
    {
        var page = await _engine.ListAsync(bucket, common.Query with { After = keyMarker }, cancellationToken).ConfigureAwait(false);
        return new VersionPage([.. page.Entries.Select(e => new VersionEntry(e.Name, e.Object, IsLatest: true))], page.IsTruncated, page.StoreRoundTrips);
    }

    private async Task<(BucketRecord Bucket, ListPage Page)> ListAsync(S3RequestContext context, CommonParameters common, string? after)
    {
        var bucket = (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        var page = await _engine.ListAsync(bucket, common.Query with { After = after }, context.Aborted).ConfigureAwait(false);
        ListingMetrics.Record(context.Operation.ToString(), page.StoreRoundTrips);
        context.Response.Headers[ListingMetrics.RoundTripsHeader] = page.StoreRoundTrips.ToString(CultureInfo.InvariantCulture);
        return (bucket, page);
    }

    /// <summary>The bucket owner's Owner element; the display name comes from the account directory.</summary>
    private XElement Owner(BucketRecord bucket)
    {
        var account = _accounts.Accounts.FirstOrDefault(a => a.CanonicalUserId == bucket.OwnerId);
        return OwnerXml.Owner(bucket.OwnerId, account?.DisplayName ?? bucket.OwnerId);
    }

    private static IEnumerable<XElement> ChecksumElements(ObjectRecord o)
    {
        foreach (var algorithm in ListingEntryXml.ChecksumAlgorithms(o))
        {
            yield return S3Xml.E("ChecksumAlgorithm", algorithm);
        }

        if (o.Checksums.Count > 0 && o.ChecksumType is { } type)
        {
            yield return S3Xml.E("ChecksumType", type);
        }
    }

    /// <summary>prefix, delimiter, max-keys and encoding-type, which the three operations share.</summary>
    private sealed record CommonParameters(ListQuery Query, int MaxKeys, string? EchoedDelimiter, string? EncodingType)
    {
        public string Prefix => Query.Prefix;

        public Func<string, string> Encoder => EncodingType is null ? static s => s : S3UrlEncoding.Encode;

        public static CommonParameters Parse(S3RequestContext context)
        {
            var encodingType = context.Query("encoding-type");
            if (encodingType is not null && encodingType != S3UrlEncoding.EncodingType)
            {
                throw S3Errors.InvalidEncodingType.WithDetail("ArgumentName", "encoding-type").WithDetail("ArgumentValue", encodingType).ToException();
            }

            var maxKeys = ParseMaxKeys(context.Query("max-keys"));
            var delimiter = context.Query("delimiter");
            var query = new ListQuery
            {
                Prefix = context.Query("prefix") ?? string.Empty,
                Delimiter = delimiter,
                MaxKeys = maxKeys,
            };
            return new CommonParameters(query, maxKeys, string.IsNullOrEmpty(delimiter) ? null : delimiter, encodingType);
        }

        /// <summary>Absent: 1000. Not an integer or negative: InvalidArgument. Above 1000: 1000, as S3 caps it.</summary>
        private static int ParseMaxKeys(string? value)
        {
            if (value is null)
            {
                return ListQuery.MaxPageSize;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                var error = value.StartsWith('-') && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                    ? S3Errors.InvalidMaxKeys.With("Argument maxKeys must be an integer between 0 and 2147483647")
                    : S3Errors.InvalidMaxKeys;
                throw error.WithDetail("ArgumentName", "max-keys").WithDetail("ArgumentValue", value).ToException();
            }

            return Math.Min(parsed, ListQuery.MaxPageSize);
        }
    }
}

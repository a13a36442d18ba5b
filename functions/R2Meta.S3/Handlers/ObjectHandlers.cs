using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3;
using R2Meta.S3.Lifecycle;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Requests;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>PutObject, GetObject, HeadObject, GetObjectAttributes, DeleteObject, CopyObject.</summary>
public sealed class ObjectHandlers
{
    private const int CopyBufferBytes = 64 * 1024;
    private static readonly string[] DirectoryBucketOnlyDeleteConditions = ["x-amz-if-match-last-modified-time", "x-amz-if-match-size"];
    private readonly ObjectService _objects;
    private readonly ObjectReader _reader;
    private readonly S3Options _options;
    private readonly BucketService _buckets;

    public ObjectHandlers(ObjectService objects, ObjectReader reader, S3Options options, BucketService buckets)
    {
        _buckets = buckets;
        _objects = objects;
        _reader = reader;
        _options = options;
    }

    public async Task PutObjectAsync(S3RequestContext context)
    {
        RequireContentLength(context);
        AclHandlers.CheckObjectWriteAcl(context);
        var headers = RequestHeaders.ContentHeaders(context.Request);
        var storageClass = RequestHeaders.StorageClass(context.Request.Headers) ?? StorageClasses.Standard;
        var tags = TagSets.ParseHeader(context.Header(TagSets.Header));
        var conditions = RequestHeaders.WriteConditions(context.Request);
        await using var body = ObjectBodyStream.Create(context.Request, context.Auth);
        using var roundTrips = StoreRoundTrips.Begin();
        var record = (await _objects.PutAsync(context.Account, context.Bucket, context.Key, body, headers, tags, storageClass, conditions, cancellationToken: context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers[ListingMetrics.RoundTripsHeader] = roundTrips.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.ETag = record.ETag;
        VersionHeaders.WriteCreated(context.Response.Headers, record);
        ObjectResponse.WriteChecksumHeaders(context.Response.Headers, record);
        await WriteExpirationAsync(context, record).ConfigureAwait(false);
    }

    /// <summary>x-amz-expiration of a current version, from the bucket's rules as the bucket cache holds them (no extra read).</summary>
    private async Task WriteExpirationAsync(S3RequestContext context, ObjectRecord current) =>
        ExpirationHeader.Write(context.Response.Headers, await _buckets.FindAnyAsync(context.Bucket, context.Aborted).ConfigureAwait(false), current);

    public Task GetObjectAsync(S3RequestContext context) => ReadAsync(context, includeBody: true);

    public Task HeadObjectAsync(S3RequestContext context) => ReadAsync(context, includeBody: false);

    /// <summary>GetObjectAttributes: the chosen attributes of the current object, after GET's read conditions.</summary>
    public async Task GetObjectAttributesAsync(S3RequestContext context)
    {
        var wanted = ObjectAttributes.Parse(context.Request.Headers["x-amz-object-attributes"]);
        var maxParts = ObjectAttributes.ParseMaxParts(context.Header(ObjectAttributes.MaxPartsHeader));
        var marker = ObjectAttributes.ParsePartNumberMarker(context.Header(ObjectAttributes.PartNumberMarkerHeader));
        var versionId = context.Query("versionId");
        var record = (await _reader.GetRecordAsync(context.Account, context.Bucket, context.Key, versionId, context.Aborted).ConfigureAwait(false)).OrThrow();
        if (AnsweredNotModified(context, record))
        {
            return;
        }

        context.Response.Headers.LastModified = HttpDates.Format(record.LastModified);
        VersionHeaders.WriteRead(context.Response.Headers, record, versionId is not null);
        var root = S3Xml.E("GetObjectAttributesResponse",
            wanted.HasFlag(ObjectAttribute.ETag) ? S3Xml.E("ETag", ETags.Unquote(record.ETag)) : null,
            wanted.HasFlag(ObjectAttribute.Checksum) && record.Checksums.Count > 0
                ? S3Xml.E("Checksum",
                    record.Checksums.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => S3Xml.E("Checksum" + c.Key, ObjectAttributes.WithoutPartCount(c.Value))),
                    record.ChecksumType is { } type ? S3Xml.E("ChecksumType", type) : null)
                : null,
            wanted.HasFlag(ObjectAttribute.ObjectParts) ? ObjectPartsXml(record, marker, maxParts) : null,
            wanted.HasFlag(ObjectAttribute.StorageClass) ? S3Xml.E("StorageClass", record.StorageClass) : null,
            wanted.HasFlag(ObjectAttribute.ObjectSize) ? S3Xml.E("ObjectSize", record.Size) : null);
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task DeleteObjectAsync(S3RequestContext context)
    {
        foreach (var header in DirectoryBucketOnlyDeleteConditions)
        {
            if (context.Request.Headers.ContainsKey(header))
            {
                // A condition not evaluated must not be ignored: the delete would be unconditional.
                throw S3Errors.NotImplemented.With("This conditional delete header is supported for directory buckets only.").WithDetail("Header", header).ToException();
            }
        }

        var conditions = WriteConditions.IfMatchOf(context.Request.Headers.IfMatch.ToString());
        using var roundTrips = StoreRoundTrips.Begin();
        var deleted = (await _objects.DeleteAsync(context.Account, context.Bucket, context.Key, context.Query("versionId"), conditions, cancellationToken: context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.Headers[ListingMetrics.RoundTripsHeader] = roundTrips.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (deleted.VersionId is { } versionId)
        {
            context.Response.Headers[VersionHeaders.VersionId] = versionId;
        }

        if (deleted.DeleteMarker)
        {
            context.Response.Headers[VersionHeaders.DeleteMarker] = "true";
        }
    }

    public async Task CopyObjectAsync(S3RequestContext context)
    {
        AclHandlers.CheckObjectWriteAcl(context);
        var source = RequestHeaders.CopySource(context.Header("x-amz-copy-source")!);
        var directive = context.Header("x-amz-metadata-directive") ?? "COPY";
        if (directive is not ("COPY" or "REPLACE"))
        {
            throw S3Errors.InvalidArgument.With("Unknown metadata directive.").WithDetail("ArgumentName", "x-amz-metadata-directive").ToException();
        }

        var replace = directive == "REPLACE" ? RequestHeaders.ContentHeaders(context.Request) : null;
        var storageClass = RequestHeaders.StorageClass(context.Request.Headers);
        var tagging = context.Header(TagSets.DirectiveHeader) ?? "COPY";
        if (tagging is not ("COPY" or "REPLACE"))
        {
            throw S3Errors.InvalidArgument.With("Unknown tagging directive.").WithDetail("ArgumentName", TagSets.DirectiveHeader).ToException();
        }

        // COPY keeps the source's tags (an x-amz-tagging beside it is ignored, as S3 does); REPLACE takes x-amz-tagging or none.
        var replaceTags = tagging == "REPLACE" ? TagSets.ParseHeader(context.Header(TagSets.Header)) ?? [] : null;
        var record = (await _objects.CopyAsync(
            context.Account,
            source,
            context.Bucket,
            context.Key,
            replace,
            replaceTags,
            storageClass,
            RequestHeaders.CopySourceConditions(context.Request),
            RequestHeaders.WriteConditions(context.Request),
            context.Aborted).ConfigureAwait(false)).OrThrow();

        VersionHeaders.WriteCreated(context.Response.Headers, record);
        if (source.VersionId is { } sourceVersionId)
        {
            context.Response.Headers[VersionHeaders.CopySourceVersionId] = sourceVersionId;
        }

        var root = S3Xml.E("CopyObjectResult",
            S3Xml.E("LastModified", S3Xml.Timestamp(record.LastModified)),
            S3Xml.E("ETag", record.ETag),
            record.Checksums.Select(c => S3Xml.E("Checksum" + c.Key, c.Value)));
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    private async Task ReadAsync(S3RequestContext context, bool includeBody)
    {
        var versionId = context.Query("versionId");
        var record = (await _reader.GetRecordAsync(context.Account, context.Bucket, context.Key, versionId, context.Aborted).ConfigureAwait(false)).OrThrow();
        if (AnsweredNotModified(context, record))
        {
            return;
        }

        var rangeHeader = context.Request.Headers.Range.ToString();
        var selection = new ReadSelection(rangeHeader, null);
        if (context.Query("partNumber") is { } partNumberText)
        {
            var partNumber = MultipartHandlers.ParsePartNumber(partNumberText);
            if (rangeHeader.Length > 0)
            {
                throw S3Errors.InvalidRequest.With("Cannot specify both Range header and partNumber query parameter").ToException();
            }

            selection = new ReadSelection(null, partNumber);
        }

        if (!includeBody)
        {
            var range = selection.For(record).OrThrow();
            ObjectResponse.WriteHeaders(context.Http, context.Target.Parameters, record, range, wholeObject: range is null);
            VersionHeaders.WriteRead(context.Response.Headers, record, versionId is not null);
            if (versionId is null)
            {
                await WriteExpirationAsync(context, record).ConfigureAwait(false);
            }

            return;
        }

        var (current, body, chosen) = (await _reader.OpenAsync(context.Bucket, context.Key, versionId, record, selection, context.Aborted).ConfigureAwait(false)).OrThrow();
        await using (body.ConfigureAwait(false))
        {
            ObjectResponse.WriteHeaders(context.Http, context.Target.Parameters, current, chosen, wholeObject: chosen is null);
            VersionHeaders.WriteRead(context.Response.Headers, current, versionId is not null);
            if (versionId is null)
            {
                await WriteExpirationAsync(context, current).ConfigureAwait(false);
            }

            await body.CopyToAsync(context.Response.Body, CopyBufferBytes, context.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>GET's conditional headers: PreconditionFailed thrown, or true when 304 Not Modified has been answered.</summary>
    private static bool AnsweredNotModified(S3RequestContext context, ObjectRecord record)
    {
        switch (RequestHeaders.EvaluateReadConditions(record, context.Request))
        {
            case ConditionOutcome.PreconditionFailed:
                throw S3Errors.PreconditionFailed.ToException();
            case ConditionOutcome.NotModified:
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                context.Response.Headers.ETag = record.ETag;
                context.Response.Headers.LastModified = HttpDates.Format(record.LastModified);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// ObjectParts of a multipart object (none for a single PUT), paged as ListParts is. S3 lists the Part
    /// elements only for a COMPOSITE checksum, made of the parts' checksums; otherwise it answers the paging
    /// fields and the count without them.
    /// </summary>
    private static System.Xml.Linq.XElement? ObjectPartsXml(ObjectRecord record, int marker, int maxParts)
    {
        if (record.PartsCount is not { } total)
        {
            return null;
        }

        if (record.PartChecksums is null || record.Checksums.Count != 1 || record.ChecksumType != MultipartChecksums.Composite)
        {
            var first = Math.Clamp(marker, 0, total);
            var count = Math.Min(maxParts, total - first);
            return S3Xml.E("ObjectParts",
                S3Xml.E("IsTruncated", first + count < total ? "true" : "false"),
                S3Xml.E("MaxParts", maxParts),
                S3Xml.E("NextPartNumberMarker", count > 0 ? first + count : marker),
                S3Xml.E("PartNumberMarker", marker),
                S3Xml.E("PartsCount", total));
        }

        var algorithm = record.Checksums.Keys.Single();
        var (parts, truncated) = ObjectAttributes.PageOfParts(record, marker, maxParts);
        return S3Xml.E("ObjectParts",
            S3Xml.E("IsTruncated", truncated ? "true" : "false"),
            S3Xml.E("MaxParts", maxParts),
            S3Xml.E("NextPartNumberMarker", parts.Count > 0 ? parts[^1].Number : marker),
            S3Xml.E("PartNumberMarker", marker),
            parts.Select(p => S3Xml.E("Part",
                S3Xml.E("Checksum" + algorithm, p.Checksum),
                S3Xml.E("PartNumber", p.Number),
                S3Xml.E("Size", p.Size))),
            S3Xml.E("PartsCount", total));
    }

    private void RequireContentLength(S3RequestContext context)
    {
        var request = context.Request;
        var declared = context.Auth.DecodedContentLength ?? request.ContentLength;
        if (declared is null && !request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            throw S3Errors.MissingContentLength.ToException();
        }

        if (declared > _options.MaxObjectSize)
        {
            throw S3Errors.EntityTooLarge.ToException();
        }
    }
}

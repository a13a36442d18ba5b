using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Auth;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Requests;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>
/// CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload,
/// ListParts, ListMultipartUploads: parse and validate, call <see cref="MultipartService"/>, write S3's answer.
/// </summary>
public sealed class MultipartHandlers
{
    private const int MaxPageSize = 1000;
    /// <summary>10,000 Part elements with every checksum stay well below this.</summary>
    private const long MaxCompleteBodyBytes = 8 * 1024 * 1024;

    private readonly MultipartService _multipart;
    private readonly AccountDirectory _accounts;

    public MultipartHandlers(MultipartService multipart, AccountDirectory accounts)
    {
        _multipart = multipart;
        _accounts = accounts;
    }

    public async Task CreateMultipartUploadAsync(S3RequestContext context)
    {
        AclHandlers.CheckObjectWriteAcl(context);
        var headers = RequestHeaders.ContentHeaders(context.Request);
        var storageClass = RequestHeaders.StorageClass(context.Request.Headers) ?? StorageClasses.Standard;
        var algorithmHeader = context.Header("x-amz-checksum-algorithm");
        string? algorithm = null;
        if (!string.IsNullOrEmpty(algorithmHeader))
        {
            algorithm = Checksums.Normalize(algorithmHeader)
                ?? throw S3Errors.InvalidRequest.With("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]").ToException();
        }

        var typeHeader = context.Header("x-amz-checksum-type");
        string? type = null;
        if (!string.IsNullOrEmpty(typeHeader))
        {
            type = typeHeader.Trim().ToUpperInvariant();
            if (type is not (MultipartChecksums.Composite or MultipartChecksums.FullObject) || algorithm is null)
            {
                throw S3Errors.InvalidRequest.With("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header, and must be COMPOSITE or FULL_OBJECT.").ToException();
            }

            if (type == MultipartChecksums.FullObject && algorithm is Checksums.Sha1 or Checksums.Sha256)
            {
                throw S3Errors.InvalidRequest.With($"The {algorithm} checksum algorithm does not support the FULL_OBJECT checksum type.").ToException();
            }
        }

        if (algorithm == Checksums.Crc64Nvme)
        {
            type ??= MultipartChecksums.FullObject;
            if (type == MultipartChecksums.Composite)
            {
                throw S3Errors.InvalidRequest.With("The CRC64NVME checksum algorithm does not support the COMPOSITE checksum type.").ToException();
            }
        }

        var upload = (await _multipart.CreateAsync(context.Account, context.Bucket, context.Key, headers, TagSets.ParseHeader(context.Header(TagSets.Header)), storageClass, algorithm, type, context.Aborted).ConfigureAwait(false)).OrThrow();
        if (upload.ChecksumAlgorithm is { } chosen)
        {
            context.Response.Headers["x-amz-checksum-algorithm"] = chosen;
            context.Response.Headers["x-amz-checksum-type"] = upload.ChecksumType;
        }

        var root = S3Xml.E("InitiateMultipartUploadResult",
            S3Xml.E("Bucket", upload.Bucket),
            S3Xml.E("Key", upload.Key),
            S3Xml.E("UploadId", upload.UploadId));
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task UploadPartAsync(S3RequestContext context)
    {
        var partNumber = ParsePartNumber(context.Query("partNumber"));
        var uploadId = context.Query("uploadId") ?? string.Empty;
        var length = context.Auth.DecodedContentLength ?? context.Request.ContentLength
            ?? throw S3Errors.MissingContentLength.ToException();
        if (length > MultipartService.MaxPartSize)
        {
            throw S3Errors.EntityTooLarge
                .WithDetail("ProposedSize", length.ToString(CultureInfo.InvariantCulture))
                .WithDetail("MaxSizeAllowed", MultipartService.MaxPartSize.ToString(CultureInfo.InvariantCulture))
                .ToException();
        }

        await using var body = ObjectBodyStream.Create(context.Request, context.Auth);
        var part = (await _multipart.UploadPartAsync(context.Account, context.Bucket, context.Key, uploadId, partNumber, body, length, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.ETag = part.ETag;
        if (body.ChecksumAlgorithm is { } algorithm && body.ChecksumBase64 is { } value)
        {
            context.Response.Headers[Checksums.HeaderName(algorithm)] = value;
        }
    }

    public async Task UploadPartCopyAsync(S3RequestContext context)
    {
        var partNumber = ParsePartNumber(context.Query("partNumber"));
        var uploadId = context.Query("uploadId") ?? string.Empty;
        var source = RequestHeaders.CopySource(context.Header("x-amz-copy-source")!);
        var (part, algorithm) = (await _multipart.UploadPartCopyAsync(
            context.Account,
            context.Bucket,
            context.Key,
            uploadId,
            partNumber,
            source,
            context.Header("x-amz-copy-source-range"),
            RequestHeaders.CopySourceConditions(context.Request),
            context.Aborted).ConfigureAwait(false)).OrThrow();

        if (source.VersionId is { } sourceVersionId)
        {
            context.Response.Headers[VersionHeaders.CopySourceVersionId] = sourceVersionId;
        }

        var root = S3Xml.E("CopyPartResult",
            S3Xml.E("LastModified", S3Xml.Timestamp(part.LastModified)),
            S3Xml.E("ETag", part.ETag),
            part.Checksum is null || algorithm is null ? null : S3Xml.E("Checksum" + algorithm, part.Checksum));
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task CompleteMultipartUploadAsync(S3RequestContext context)
    {
        var uploadId = context.Query("uploadId") ?? string.Empty;
        var conditions = RequestHeaders.WriteConditions(context.Request);
        // Here x-amz-checksum-* headers describe the object being completed, not this XML body, so the
        // body is read as decoded (and signature-checked) by authentication, without ObjectBodyStream.
        var document = await S3Xml.ReadAsync(context.Auth.Body, MaxCompleteBodyBytes, context.Aborted).ConfigureAwait(false);
        var parts = ParseCompleteRequest(document);
        var stated = ParseStatedChecksum(context.Header);

        var record = (await _multipart.CompleteAsync(context.Account, context.Bucket, context.Key, uploadId, parts, conditions, stated, context.Aborted).ConfigureAwait(false)).OrThrow();
        var location = $"{context.Request.Scheme}://{context.Request.Host}/{Uri.EscapeDataString(context.Bucket)}/{string.Join('/', context.Key.Split('/').Select(Uri.EscapeDataString))}";
        var root = S3Xml.E("CompleteMultipartUploadResult",
            S3Xml.E("Location", location),
            S3Xml.E("Bucket", context.Bucket),
            S3Xml.E("Key", context.Key),
            S3Xml.E("ETag", record.ETag),
            record.Checksums.Select(c => S3Xml.E("Checksum" + c.Key, c.Value)),
            record.Checksums.Count > 0 && record.ChecksumType is { } type ? S3Xml.E("ChecksumType", type) : null);
        ObjectResponse.WriteChecksumHeaders(context.Response.Headers, record);
        VersionHeaders.WriteCreated(context.Response.Headers, record);
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task AbortMultipartUploadAsync(S3RequestContext context)
    {
        (await _multipart.AbortAsync(context.Account, context.Bucket, context.Key, context.Query("uploadId") ?? string.Empty, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task ListPartsAsync(S3RequestContext context)
    {
        var uploadId = context.Query("uploadId") ?? string.Empty;
        var maxParts = ParseCount(context.Query("max-parts"), "max-parts");
        var markerText = context.Query("part-number-marker");
        var marker = 0;
        if (!string.IsNullOrEmpty(markerText) && (!int.TryParse(markerText, NumberStyles.None, CultureInfo.InvariantCulture, out marker) || marker > MultipartIds.MaxPartNumber))
        {
            throw S3Errors.InvalidArgument.With("Provided part-number-marker not an integer or within integer range")
                .WithDetail("ArgumentName", "part-number-marker").WithDetail("ArgumentValue", markerText).ToException();
        }

        var (upload, parts, truncated) = (await _multipart.ListPartsAsync(context.Account, context.Bucket, context.Key, uploadId, marker, maxParts, context.Aborted).ConfigureAwait(false)).OrThrow();
        var encoder = EncoderFor(context);
        var root = S3Xml.E("ListPartsResult",
            S3Xml.E("Bucket", upload.Bucket),
            S3Xml.E("Key", encoder(upload.Key)),
            S3Xml.E("UploadId", upload.UploadId),
            S3Xml.E("PartNumberMarker", marker),
            parts.Count > 0 ? S3Xml.E("NextPartNumberMarker", parts[^1].PartNumber) : null,
            S3Xml.E("MaxParts", maxParts),
            S3Xml.E("IsTruncated", truncated ? "true" : "false"),
            parts.Select(p => S3Xml.E("Part",
                S3Xml.E("PartNumber", p.PartNumber),
                S3Xml.E("LastModified", S3Xml.Timestamp(p.LastModified)),
                S3Xml.E("ETag", p.ETag),
                S3Xml.E("Size", p.Size),
                p.Checksum is null || upload.ChecksumAlgorithm is null ? null : S3Xml.E("Checksum" + upload.ChecksumAlgorithm, p.Checksum))),
            Owner(upload.OwnerId, "Initiator"),
            Owner(upload.OwnerId, "Owner"),
            S3Xml.E("StorageClass", upload.StorageClass),
            upload.ChecksumAlgorithm is { } algorithm ? S3Xml.E("ChecksumAlgorithm", algorithm) : null,
            upload.ChecksumType is { } type ? S3Xml.E("ChecksumType", type) : null,
            context.Query("encoding-type") is { } encodingType ? S3Xml.E("EncodingType", encodingType) : null);
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task ListMultipartUploadsAsync(S3RequestContext context)
    {
        var query = new UploadListQuery
        {
            Prefix = context.Query("prefix") ?? string.Empty,
            Delimiter = NullIfEmpty(context.Query("delimiter")),
            KeyMarker = NullIfEmpty(context.Query("key-marker")),
            UploadIdMarker = NullIfEmpty(context.Query("upload-id-marker")),
            MaxUploads = ParseCount(context.Query("max-uploads"), "max-uploads"),
        };
        var page = (await _multipart.ListUploadsAsync(context.Account, context.Bucket, query, context.Aborted).ConfigureAwait(false)).OrThrow();
        var encode = EncoderFor(context);
        var root = S3Xml.E("ListMultipartUploadsResult",
            S3Xml.E("Bucket", context.Bucket),
            S3Xml.E("KeyMarker", encode(query.KeyMarker ?? string.Empty)),
            S3Xml.E("UploadIdMarker", query.UploadIdMarker ?? string.Empty),
            page.IsTruncated ? S3Xml.E("NextKeyMarker", encode(page.NextKeyMarker ?? string.Empty)) : null,
            page.IsTruncated ? S3Xml.E("NextUploadIdMarker", page.NextUploadIdMarker ?? string.Empty) : null,
            query.Delimiter is { } delimiter ? S3Xml.E("Delimiter", encode(delimiter)) : null,
            S3Xml.E("Prefix", encode(query.Prefix)),
            S3Xml.E("MaxUploads", query.MaxUploads),
            S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"),
            page.Uploads.Select(u => S3Xml.E("Upload",
                S3Xml.E("Key", encode(u.Key)),
                S3Xml.E("UploadId", u.UploadId),
                Owner(u.OwnerId, "Initiator"),
                Owner(u.OwnerId, "Owner"),
                S3Xml.E("StorageClass", u.StorageClass),
                S3Xml.E("Initiated", S3Xml.Timestamp(u.Initiated)),
                u.ChecksumAlgorithm is { } algorithm ? S3Xml.E("ChecksumAlgorithm", algorithm) : null,
                u.ChecksumType is { } type ? S3Xml.E("ChecksumType", type) : null)),
            page.CommonPrefixes.Select(p => S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", encode(p)))),
            context.Query("encoding-type") is { } encodingType ? S3Xml.E("EncodingType", encodingType) : null);
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    /// <summary>partNumber of UploadPart(Copy) and GET/HEAD: an integer 1–10,000.</summary>
    public static int ParsePartNumber(string? value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < MultipartIds.MinPartNumber or > MultipartIds.MaxPartNumber)
        {
            throw S3Errors.InvalidArgument.With("Part number must be an integer between 1 and 10000, inclusive")
                .WithDetail("ArgumentName", "partNumber").WithDetail("ArgumentValue", value ?? string.Empty).ToException();
        }

        return number;
    }

    /// <summary>The Part elements, in request order; ordering and existence are the service's to check.</summary>
    internal static List<CompletedPart> ParseCompleteRequest(XDocument document)
    {
        var root = document.Root;
        if (root is null || root.Name.LocalName != "CompleteMultipartUpload")
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var parts = new List<CompletedPart>();
        foreach (var element in S3Xml.Children(root, "Part"))
        {
            var numberText = S3Xml.Child(element, "PartNumber");
            var etag = S3Xml.Child(element, "ETag");
            if (!int.TryParse(numberText?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || string.IsNullOrWhiteSpace(etag))
            {
                throw S3Errors.MalformedXML.ToException();
            }

            var checksum = Checksums.Algorithms
                .Select(a => (Algorithm: a, Value: S3Xml.Child(element, "Checksum" + a)))
                .FirstOrDefault(c => !string.IsNullOrEmpty(c.Value));
            parts.Add(new CompletedPart(number, etag.Trim(), checksum.Value?.Trim(), checksum.Algorithm));
        }

        if (parts.Count == 0)
        {
            throw S3Errors.MalformedXML.ToException();
        }

        return parts;
    }

    /// <summary>
    /// x-amz-checksum-* and x-amz-checksum-type of a Complete: the whole object's checksum, full-object
    /// (<c>base64</c>) or composite (<c>base64-N</c>). A value that is not a digest of its algorithm, or two
    /// algorithms, is InvalidRequest as S3 answers it; null when the request states nothing.
    /// </summary>
    internal static StatedChecksum? ParseStatedChecksum(Func<string, string?> header)
    {
        var sent = Checksums.Algorithms
            .Select(a => (Algorithm: a, Value: header(Checksums.HeaderName(a))?.Trim()))
            .Where(c => !string.IsNullOrEmpty(c.Value))
            .ToList();
        if (sent.Count > 1)
        {
            throw S3Errors.InvalidRequest.With("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.").ToException();
        }

        string? algorithm = null, value = null;
        if (sent.Count == 1)
        {
            (algorithm, value) = (sent[0].Algorithm, sent[0].Value!);
            var dash = value.LastIndexOf('-');
            var digest = dash < 0 ? value : value[..dash];
            if (!Checksums.IsValidBase64(algorithm, digest)
                || (dash >= 0 && (!int.TryParse(value.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < MultipartIds.MinPartNumber or > MultipartIds.MaxPartNumber)))
            {
                throw S3Errors.InvalidRequest.With($"Value for {Checksums.HeaderName(algorithm)} header is invalid.").ToException();
            }
        }

        string? type = null;
        if (header("x-amz-checksum-type") is { Length: > 0 } typeHeader)
        {
            type = typeHeader.Trim().ToUpperInvariant();
            if (type is not (MultipartChecksums.Composite or MultipartChecksums.FullObject))
            {
                throw S3Errors.InvalidRequest.With("Value for x-amz-checksum-type header is invalid.").ToException();
            }
        }

        return algorithm is null && type is null ? null : new StatedChecksum(algorithm, value, type);
    }

    /// <summary>max-parts / max-uploads: absent 1000; above 1000 capped; not a non-negative integer → InvalidArgument.</summary>
    private static int ParseCount(string? value, string name)
    {
        if (value is null)
        {
            return MaxPageSize;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            throw S3Errors.InvalidArgument.With($"Provided {name} not an integer or within integer range")
                .WithDetail("ArgumentName", name).WithDetail("ArgumentValue", value).ToException();
        }

        return Math.Min(parsed, MaxPageSize);
    }

    private static Func<string, string> EncoderFor(S3RequestContext context)
    {
        var encodingType = context.Query("encoding-type");
        if (encodingType is null)
        {
            return static s => s;
        }

        return encodingType == S3UrlEncoding.EncodingType
            ? S3UrlEncoding.Encode
            : throw S3Errors.InvalidEncodingType.WithDetail("ArgumentName", "encoding-type").WithDetail("ArgumentValue", encodingType).ToException();
    }

    private XElement Owner(string ownerId, string elementName)
    {
        var account = _accounts.Accounts.FirstOrDefault(a => a.CanonicalUserId == ownerId);
        return OwnerXml.Owner(ownerId, account?.DisplayName ?? ownerId, elementName);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

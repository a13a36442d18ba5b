using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Cors;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>
/// Bucket settings that describe how the service stores every object rather than change it:
/// Get/Put/DeleteBucketEncryption (SSE-S3 only: Blob Storage encrypts every byte with AES-256) and
/// Get/Put/DeleteBucketOwnershipControls (BucketOwnerEnforced only: the bucket owner owns every object; the
/// only ACLs are private and a bucket's public-read, see <see cref="AclHandlers"/>) and Get/Put/DeleteBucketCors.
/// </summary>
public sealed class BucketSettingsHandlers
{
    /// <summary>The one object ownership this service has: ACLs disabled, every object owned by the bucket owner.</summary>
    public const string BucketOwnerEnforced = "BucketOwnerEnforced";

    private const long MaxConfigurationBytes = CorsConfigurationXml.MaxBytes;
    private static readonly string[] OtherOwnerships = ["BucketOwnerPreferred", "ObjectWriter"];
    private readonly BucketService _buckets;

    public BucketSettingsHandlers(BucketService buckets) => _buckets = buckets;

    public async Task GetBucketEncryptionAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedCurrentAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        var encryption = bucket.Encryption ?? BucketEncryption.Default;
        var root = S3Xml.E("ServerSideEncryptionConfiguration",
            S3Xml.E("Rule",
                S3Xml.E("ApplyServerSideEncryptionByDefault", S3Xml.E("SSEAlgorithm", encryption.Algorithm)),
                S3Xml.E("BucketKeyEnabled", encryption.BucketKeyEnabled ? "true" : "false")));
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task PutBucketEncryptionAsync(S3RequestContext context)
    {
        var root = await ReadConfigurationAsync(context, "ServerSideEncryptionConfiguration").ConfigureAwait(false);
        var encryption = ParseEncryption(root);
        (await _buckets.SetEncryptionAsync(context.Account, context.Bucket, encryption, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>As in S3, deleting resets the default to SSE-S3: GetBucketEncryption then answers AES256 again.</summary>
    public async Task DeleteBucketEncryptionAsync(S3RequestContext context)
    {
        (await _buckets.SetEncryptionAsync(context.Account, context.Bucket, null, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task GetBucketOwnershipControlsAsync(S3RequestContext context)
    {
        (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        var root = S3Xml.E("OwnershipControls", S3Xml.E("Rule", S3Xml.E("ObjectOwnership", BucketOwnerEnforced)));
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    /// <summary>Accepts BucketOwnerEnforced, which is already the case, and stores nothing.</summary>
    public async Task PutBucketOwnershipControlsAsync(S3RequestContext context)
    {
        var root = await ReadConfigurationAsync(context, "OwnershipControls").ConfigureAwait(false);
        var rules = S3Xml.Children(root, "Rule").ToList();
        if (rules.Count != 1 || S3Xml.Child(rules[0], "ObjectOwnership") is not { } ownership)
        {
            throw S3Errors.MalformedXML.ToException();
        }

        CheckOwnership(ownership, S3Errors.MalformedXML);
        (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// Accepted and a no-op: on S3 deleting the controls turns ACLs back on (ObjectWriter); here there are no
    /// ACLs to turn on, so ownership stays enforced and GetBucketOwnershipControls keeps answering so.
    /// </summary>
    public async Task DeleteBucketOwnershipControlsAsync(S3RequestContext context)
    {
        (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task GetBucketCorsAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedCurrentAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        var rules = bucket.Cors ?? throw S3Errors.NoSuchCORSConfiguration.WithDetail("BucketName", context.Bucket).ToException();
        await S3Xml.WriteAsync(context.Response, CorsConfigurationXml.Write(rules), cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task PutBucketCorsAsync(S3RequestContext context)
    {
        var rules = CorsConfigurationXml.Parse(await ReadConfigurationAsync(context, "CORSConfiguration").ConfigureAwait(false));
        (await _buckets.SetCorsAsync(context.Account, context.Bucket, rules, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async Task DeleteBucketCorsAsync(S3RequestContext context)
    {
        (await _buckets.SetCorsAsync(context.Account, context.Bucket, null, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// The x-amz-object-ownership of CreateBucket or the ObjectOwnership of PutBucketOwnershipControls:
    /// BucketOwnerEnforced passes; S3's other two settings need ACLs (501); anything else is not S3's (<paramref name="invalid"/>).
    /// </summary>
    public static void CheckOwnership(string ownership, S3Error invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        if (ownership == BucketOwnerEnforced)
        {
            return;
        }

        if (OtherOwnerships.Contains(ownership, StringComparer.Ordinal))
        {
            throw S3Errors.NotImplemented
                .With($"Object ownership {ownership} needs ACLs, which this service does not have: only BucketOwnerEnforced is supported.")
                .ToException();
        }

        throw invalid.ToException();
    }

    private static BucketEncryption ParseEncryption(XElement root)
    {
        var rules = S3Xml.Children(root, "Rule").ToList();
        if (rules.Count != 1 || S3Xml.Children(rules[0], "ApplyServerSideEncryptionByDefault").FirstOrDefault() is not { } byDefault)
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var algorithm = S3Xml.Child(byDefault, "SSEAlgorithm");
        ServerSideEncryption.CheckAlgorithm(algorithm, "SSEAlgorithm", S3Errors.MalformedXML);
        if (S3Xml.Child(byDefault, "KMSMasterKeyID") is not null)
        {
            throw S3Errors.InvalidArgument.With("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
                .WithDetail("ArgumentName", "ApplyServerSideEncryptionByDefault").ToException();
        }

        var bucketKey = S3Xml.Child(rules[0], "BucketKeyEnabled");
        if (bucketKey is not (null or "true" or "false"))
        {
            throw S3Errors.MalformedXML.ToException();
        }

        return new BucketEncryption { BucketKeyEnabled = bucketKey == "true" };
    }

    private static async Task<XElement> ReadConfigurationAsync(S3RequestContext context, string rootName)
    {
        await using var body = ObjectBodyStream.Create(context.Request, context.Auth);
        var document = await S3Xml.ReadAsync(body, MaxConfigurationBytes, context.Aborted).ConfigureAwait(false);
        return document.Root is { } root && root.Name.LocalName == rootName ? root : throw S3Errors.MalformedXML.ToException();
    }
}

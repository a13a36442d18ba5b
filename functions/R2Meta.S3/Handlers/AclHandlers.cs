using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>
/// Get/PutBucketAcl and Get/PutObjectAcl, for the two ACLs this service has: private (the owner's FULL_CONTROL)
/// and, on a bucket, public-read (plus AllUsers READ: anyone may GET and HEAD its objects). An object's ACL is
/// its bucket's. Any other grant answers 501 NotImplemented rather than being stored and ignored.
/// </summary>
public sealed class AclHandlers
{
    public const string Private = "private";
    public const string PublicRead = "public-read";
    private const string BucketOwnerFullControl = "bucket-owner-full-control";

    private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    private const long MaxPolicyBytes = 64 * 1024;
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly string[] GrantHeaders = ["x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"];

    private readonly BucketService _buckets;
    private readonly ObjectReader _objects;

    public AclHandlers(BucketService buckets, ObjectReader objects)
    {
        _buckets = buckets;
        _objects = objects;
    }

    public async Task GetBucketAclAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedCurrentAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        await WritePolicyAsync(context, bucket).ConfigureAwait(false);
    }

    public async Task PutBucketAclAsync(S3RequestContext context)
    {
        var publicRead = await ReadAclAsync(context, allowPublicRead: true).ConfigureAwait(false);
        (await _buckets.SetPublicReadAsync(context.Account, context.Bucket, publicRead, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async Task GetObjectAclAsync(S3RequestContext context)
    {
        (await _objects.GetRecordAsync(context.Account, context.Bucket, context.Key, context.Aborted).ConfigureAwait(false)).OrThrow();
        var bucket = (await _buckets.GetOwnedCurrentAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        await WritePolicyAsync(context, bucket).ConfigureAwait(false);
    }

    /// <summary>Accepts private, which every object already is; an object of its own cannot be made public here.</summary>
    public async Task PutObjectAclAsync(S3RequestContext context)
    {
        await ReadAclAsync(context, allowPublicRead: false).ConfigureAwait(false);
        (await _objects.GetRecordAsync(context.Account, context.Bucket, context.Key, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// CreateBucket's x-amz-acl: true for public-read, false for private or none; 501 for another canned ACL
    /// or a grant header.
    /// </summary>
    public static bool CannedPublicRead(S3RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RefuseGrantHeaders(context);
        return context.Header("x-amz-acl") switch
        {
            null or Private => false,
            PublicRead => true,
            var other => throw Unsupported($"The canned ACL {other} is not supported: only private and public-read (on a bucket) are."),
        };
    }

    /// <summary>
    /// The x-amz-acl of an object write (PutObject, CopyObject, CreateMultipartUpload): none, private and
    /// bucket-owner-full-control (which S3 accepts with ACLs disabled) state what every object already is; any
    /// other ACL or grant header 501, never stored and ignored.
    /// </summary>
    public static void CheckObjectWriteAcl(S3RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RefuseGrantHeaders(context);
        if (context.Header("x-amz-acl") is { } canned && canned is not (Private or BucketOwnerFullControl))
        {
            throw Unsupported($"The canned ACL {canned} is not supported on an object: objects are readable as their bucket is (PutBucketAcl public-read).");
        }
    }

    /// <summary>The ACL a Put*Acl request sets, from x-amz-acl or an AccessControlPolicy body: true for public-read.</summary>
    private static async Task<bool> ReadAclAsync(S3RequestContext context, bool allowPublicRead)
    {
        RefuseGrantHeaders(context);
        if (context.Header("x-amz-acl") is { } canned)
        {
            return canned switch
            {
                Private => false,
                PublicRead when allowPublicRead => true,
                _ => throw Unsupported($"The canned ACL {canned} is not supported here: only private{(allowPublicRead ? " and public-read" : string.Empty)}."),
            };
        }

        await using var body = ObjectBodyStream.Create(context.Request, context.Auth);
        var document = await S3Xml.ReadAsync(body, MaxPolicyBytes, context.Aborted).ConfigureAwait(false);
        if (document.Root is not { Name.LocalName: "AccessControlPolicy" } root
            || S3Xml.Children(root, "AccessControlList").FirstOrDefault() is not { } list)
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var ownerGrant = false;
        var allUsersRead = false;
        foreach (var grant in S3Xml.Children(list, "Grant"))
        {
            var permission = S3Xml.Child(grant, "Permission");
            var grantee = S3Xml.Children(grant, "Grantee").FirstOrDefault() ?? throw S3Errors.MalformedXML.ToException();
            if (S3Xml.Child(grantee, "ID") == context.Account.CanonicalUserId && permission == "FULL_CONTROL")
            {
                ownerGrant = true;
            }
            else if (allowPublicRead && S3Xml.Child(grantee, "URI") == AllUsers && permission == "READ")
            {
                allUsersRead = true;
            }
            else
            {
                throw Unsupported("Only the owner's FULL_CONTROL and, on a bucket, AllUsers READ can be granted here.");
            }
        }

        return ownerGrant ? allUsersRead : throw Unsupported("The owner's FULL_CONTROL cannot be taken away here.");
    }

    private static void RefuseGrantHeaders(S3RequestContext context)
    {
        if (GrantHeaders.FirstOrDefault(context.Request.Headers.ContainsKey) is { } header)
        {
            throw Unsupported($"ACL grants ({header}) are not supported: only the canned ACLs private and public-read (on a bucket) are.");
        }
    }

    private static S3Exception Unsupported(string message) => S3Errors.NotImplemented.With(message).ToException();

    private static async Task WritePolicyAsync(S3RequestContext context, BucketRecord bucket)
    {
        var owner = context.Account;
        var root = S3Xml.E("AccessControlPolicy",
            OwnerXml.Owner(owner),
            S3Xml.E("AccessControlList",
                S3Xml.E("Grant",
                    S3Xml.E("Grantee", new XAttribute(XNamespace.Xmlns + "xsi", Xsi), new XAttribute(Xsi + "type", "CanonicalUser"),
                        S3Xml.E("ID", owner.CanonicalUserId), S3Xml.E("DisplayName", owner.DisplayName)),
                    S3Xml.E("Permission", "FULL_CONTROL")),
                bucket.PublicRead
                    ? S3Xml.E("Grant",
                        S3Xml.E("Grantee", new XAttribute(XNamespace.Xmlns + "xsi", Xsi), new XAttribute(Xsi + "type", "Group"), S3Xml.E("URI", AllUsers)),
                        S3Xml.E("Permission", "READ"))
                    : null));
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }
}

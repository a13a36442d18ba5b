using System.Globalization;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Auth;
using R2Meta.S3.Forms;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Requests;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>
/// PostObject: a browser form upload. The request is signed in its form (a SigV4 POST policy), not in headers;
/// the fields before the file are read and checked against the policy, then the file streams into the same write
/// path as PutObject (blob first, then the one metadata commit), never held whole.
/// </summary>
public sealed class PostObjectHandler
{
    private const string FileNamePlaceholder = "${filename}";

    /// <summary>Fields asking for what this service does not do: refused rather than ignored.</summary>
    private static readonly string[] NotImplementedFields =
        ["x-amz-website-redirect-location", "x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold"];

    private readonly ObjectService _objects;
    private readonly PostFormAuthenticator _authenticator;
    private readonly AnonymousRequests _anonymous;
    private readonly S3Options _options;
    private readonly TimeProvider _time;

    public PostObjectHandler(ObjectService objects, PostFormAuthenticator authenticator, AnonymousRequests anonymous, S3Options options, TimeProvider time)
    {
        _objects = objects;
        _authenticator = authenticator;
        _anonymous = anonymous;
        _options = options;
        _time = time;
    }

    public async Task PostObjectAsync(S3RequestContext context)
    {
        var boundary = PostFormReader.Boundary(context.Request.ContentType)
            ?? throw S3Errors.PreconditionFailed.WithDetail("Condition", "Bucket POST must be of the enclosure-type multipart/form-data").ToException();
        var form = await PostFormReader.ReadAsync(context.Request.Body, boundary, context.Aborted).ConfigureAwait(false);
        if (await _authenticator.AuthenticateAsync(form, context.Aborted).ConfigureAwait(false) is not { } signed)
        {
            // Nothing is publicly writable: an unsigned form is refused as any anonymous write is (404 NoSuchBucket
            // for a missing bucket, else 403); AdmitAsync lets in public reads only, so it never returns here.
            await _anonymous.AdmitAsync(context.Operation, context.Address, context.Request, context.Aborted).ConfigureAwait(false);
            throw S3Errors.AccessDenied.ToException();
        }

        // The form's key must be allowed to write here, as the pipeline checks every header-signed request.
        AccessCheck.Demand(signed.Account.Grant, context.Operation, context.Address, context.Request);
        EventOrigin.Set(new EventOrigin(signed.Account.CanonicalUserId, context.Http.Connection.RemoteIpAddress, context.RequestId));

        var keyField = form["key"] ?? throw S3Errors.InvalidArgument
            .With("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
            .WithDetail("ArgumentName", "key").WithDetail("ArgumentValue", string.Empty).ToException();
        var key = keyField.Replace(FileNamePlaceholder, form.FileName ?? string.Empty, StringComparison.Ordinal);
        if (key.Length == 0)
        {
            throw S3Errors.InvalidArgument.With("User key must have a length greater than 0.").WithDetail("ArgumentName", "key").WithDetail("ArgumentValue", string.Empty).ToException();
        }

        var (min, max) = signed.Policy.Evaluate(
            form.Fields.Select(f => f.Name),
            name => name switch { "bucket" => context.Bucket, "key" => key, _ => form[name] },
            _time.GetUtcNow());

        var fields = AsHeaders(form);
        CheckSupported(form);
        ServerSideEncryption.Apply(context.Operation, fields, context.Response.Headers);
        var headers = RequestHeaders.ContentHeaders(fields);
        var storageClass = RequestHeaders.StorageClass(fields) ?? StorageClasses.Standard;
        var tags = await TaggingOf(form, context.Aborted).ConfigureAwait(false);
        var file = form.File;
        file.Limit = (min, Math.Min(max ?? long.MaxValue, _options.MaxObjectSize));
        await using var body = ObjectBodyStream.Create(fields, file);
        var record = (await _objects.PutAsync(signed.Account, context.Bucket, key, body, headers, tags, storageClass, WriteConditions.None, S3EventNames.ObjectCreatedPost, context.Aborted).ConfigureAwait(false)).OrThrow();

        var location = ObjectLocation(context, key);
        context.Response.Headers.ETag = record.ETag;
        context.Response.Headers.Location = location;
        ObjectResponse.WriteChecksumHeaders(context.Response.Headers, record);
        VersionHeaders.WriteCreated(context.Response.Headers, record);
        if (Redirect(form) is { } redirect)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = redirect + (redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?")
                + $"bucket={Uri.EscapeDataString(context.Bucket)}&key={Uri.EscapeDataString(key)}&etag={Uri.EscapeDataString(record.ETag)}";
            return;
        }

        switch (form["success_action_status"])
        {
            case "200":
                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
            case "201":
                var root = S3Xml.Plain("PostResponse",
                    S3Xml.Plain("Location", location),
                    S3Xml.Plain("Bucket", context.Bucket),
                    S3Xml.Plain("Key", key),
                    S3Xml.Plain("ETag", record.ETag));
                await S3Xml.WriteAsync(context.Response, root, StatusCodes.Status201Created, context.Aborted).ConfigureAwait(false);
                break;
            default:
                // S3's default, and its answer to any other value.
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
        }
    }

    /// <summary>The form's fields as a header dictionary, so the header parsers of PutObject read them unchanged.</summary>
    private static HeaderDictionary AsHeaders(PostForm form)
    {
        var fields = new HeaderDictionary();
        foreach (var field in form.Fields)
        {
            fields.Append(field.Name, field.Value);
        }

        return fields;
    }

    private static void CheckSupported(PostForm form)
    {
        if (form["acl"] is { } acl && acl != "private")
        {
            throw S3Errors.NotImplemented.With("Only the canned ACL private is supported.").WithDetail("Header", "acl").ToException();
        }

        if (NotImplementedFields.FirstOrDefault(form.Has) is { } field)
        {
            throw S3Errors.NotImplemented.WithDetail("Header", field).ToException();
        }
    }

    /// <summary>The tagging field: a Tagging XML document (not the x-amz-tagging query string of PutObject).</summary>
    private static async Task<IReadOnlyList<Domain.Storage.Tag>?> TaggingOf(PostForm form, CancellationToken cancellationToken)
    {
        if (form["tagging"] is not { } tagging)
        {
            return null;
        }

        using var document = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(tagging));
        return await TagSets.ReadXmlAsync(document, TagSets.MaxObjectTags, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>success_action_redirect (or the older redirect); S3 ignores one that is not an absolute URL.</summary>
    private static string? Redirect(PostForm form)
    {
        var value = form["success_action_redirect"] ?? form["redirect"];
        return value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? value
            : null;
    }

    /// <summary>The new object's URL, addressed as the request addressed the bucket (path-style or virtual-hosted).</summary>
    private static string ObjectLocation(S3RequestContext context, string key)
    {
        var request = context.Request;
        var path = context.Target.Path.TrimEnd('/');
        return string.Create(CultureInfo.InvariantCulture, $"{request.Scheme}://{request.Host}{path}/{SigV4Signer.UriEncode(key).Replace("%2F", "/", StringComparison.Ordinal)}");
    }
}

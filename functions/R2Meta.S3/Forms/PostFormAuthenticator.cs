using R2Meta.Domain.Accounts;
using R2Meta.S3.Auth;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Forms;

/// <summary>A form whose SigV4 POST signature verified: who signed it and the policy they signed.</summary>
public sealed record SignedPostForm(Account Account, PostPolicy Policy);

/// <summary>
/// Authenticates a PostObject form from its fields, not from headers: SigV4 signs the base64 policy itself
/// (<c>x-amz-signature</c> = hex HMAC-SHA256 of the <c>policy</c> field under the signing key that
/// <c>x-amz-credential</c> scopes). A form with neither policy nor signature is anonymous. SigV2 fields
/// (<c>AWSAccessKeyId</c>, <c>signature</c>) get the answer SigV2 gets in a header here and in every S3 region
/// opened since 2014: InvalidRequest, use AWS4-HMAC-SHA256.
/// </summary>
public sealed class PostFormAuthenticator
{
    private const string Service = "s3";
    private static readonly string[] SigV4Fields = ["x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"];
    private readonly AccessKeyResolver _keys;

    public PostFormAuthenticator(AccessKeyResolver keys) => _keys = keys;

    /// <summary>The signer and policy of <paramref name="form"/>; null when the form is anonymous.</summary>
    public async ValueTask<SignedPostForm?> AuthenticateAsync(PostForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!form.Has("x-amz-signature") && (form.Has("AWSAccessKeyId") || form.Has("signature")))
        {
            throw S3Errors.InvalidRequest.With("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.").ToException();
        }

        var policyField = form["policy"];
        if (policyField is null)
        {
            return SigV4Fields.Any(form.Has) ? throw MissingField("policy") : null;
        }

        foreach (var name in SigV4Fields)
        {
            if (!form.Has(name))
            {
                throw MissingField(name);
            }
        }

        var algorithm = form["x-amz-algorithm"]!;
        if (algorithm != SigV4Signer.Algorithm)
        {
            throw S3Errors.InvalidArgument.With("Only AWS4-HMAC-SHA256 is supported as x-amz-algorithm.")
                .WithDetail("ArgumentName", "x-amz-algorithm").WithDetail("ArgumentValue", algorithm).ToException();
        }

        var credential = AuthorizationParser.ParseCredential(form["x-amz-credential"]!, reason =>
            S3Errors.InvalidArgument.With("Invalid x-amz-credential: " + reason).WithDetail("ArgumentName", "x-amz-credential").ToException());
        var amzDate = form["x-amz-date"]!;
        if (AuthorizationParser.ParseAmzDate(amzDate) is null || credential.Date != amzDate[..8])
        {
            throw S3Errors.InvalidArgument.With("x-amz-date must be yyyyMMdd'T'HHmmss'Z' on the day of the credential's date.")
                .WithDetail("ArgumentName", "x-amz-date").WithDetail("ArgumentValue", amzDate).ToException();
        }

        var account = await _keys.FindAsync(credential.AccessKeyId, cancellationToken).ConfigureAwait(false)
            ?? throw S3Errors.InvalidAccessKeyId.WithDetail("AWSAccessKeyId", credential.AccessKeyId).ToException();
        var key = SigV4Signer.SigningKey(account.SecretAccessKey, credential.Date, credential.Region, Service);
        var signature = form["x-amz-signature"]!;
        if (!SigV4Signer.SignaturesEqual(SigV4Signer.Sign(key, policyField), signature))
        {
            // What S3 signs for a form is the policy field itself, so that is the string to sign it hands back.
            throw S3Errors.SignatureDoesNotMatch
                .WithDetail("AWSAccessKeyId", account.AccessKeyId)
                .WithDetail("StringToSign", policyField)
                .WithDetail("SignatureProvided", signature)
                .ToException();
        }

        return new SignedPostForm(account, PostPolicy.Parse(policyField));
    }

    private static S3Exception MissingField(string name) =>
        S3Errors.InvalidArgument.With($"Bucket POST must contain a field named '{name}'.  If it is specified, please check the order of the fields.")
            .WithDetail("ArgumentName", name).WithDetail("ArgumentValue", string.Empty).ToException();
}

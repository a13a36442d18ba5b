using System.Globalization;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Accounts;
using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;
using R2Meta.S3.Streaming;

namespace R2Meta.S3.Auth;

/// <summary>
/// Authenticates an S3 request signed with AWS Signature Version 4, in the Authorization header or in the
/// presigned query, and wraps its body in the decoder its payload mode needs. Body checks (payload hash,
/// chunk and trailer signatures) run while the body is read, so the body is never buffered.
/// </summary>
public sealed class SigV4Authenticator
{
    private const string Service = "s3";
    private const string ContentSha256Header = "x-amz-content-sha256";
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    private readonly AccessKeyResolver _keys;
    private readonly TimeProvider _time;

    public SigV4Authenticator(AccessKeyResolver keys, TimeProvider time)
    {
        _keys = keys;
        _time = time;
    }

    /// <summary>An authenticator of the bootstrap keys only.</summary>
    public SigV4Authenticator(AccountDirectory accounts, TimeProvider time)
        : this(AccessKeyResolver.Bootstrap(accounts, time), time)
    {
    }

    /// <summary>Verifies the request's signature; throws <see cref="S3Exception"/> on any failure.</summary>
    public ValueTask<AuthResult> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken = default) =>
        AuthenticateAsync(request, RequestTarget.Of(request), cancellationToken);

    /// <summary>Verifies the request's signature over the target the pipeline parsed; throws <see cref="S3Exception"/> on any failure.</summary>
    public async ValueTask<AuthResult> AuthenticateAsync(HttpRequest request, RequestTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (rawPath, rawQuery) = target;
        var query = target.Parameters;
        var authorization = request.Headers.Authorization;
        var presigned = query.Contains("X-Amz-Algorithm");
        if (authorization.Count == 0 && !presigned)
        {
            throw S3Errors.AccessDenied.ToException();
        }

        if (authorization.Count > 0 && presigned)
        {
            throw S3Errors.InvalidArgument
                .With("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
                .WithDetail("ArgumentName", "Authorization")
                .ToException();
        }

        if (authorization.Count > 1)
        {
            throw S3Errors.AuthorizationHeaderMalformed.With("The authorization header is malformed; it was sent more than once.").ToException();
        }

        var signed = presigned
            ? await VerifyQueryAsync(request, rawPath, rawQuery, query, cancellationToken).ConfigureAwait(false)
            : await VerifyHeaderAsync(request, rawPath, rawQuery, authorization.ToString(), cancellationToken).ConfigureAwait(false);
        return DecodeBody(request, signed);
    }

    private async ValueTask<Signed> VerifyHeaderAsync(HttpRequest request, string rawPath, string rawQuery, string authorization, CancellationToken cancellationToken)
    {
        var claim = AuthorizationParser.ParseHeader(authorization);
        var (amzDate, requestTime) = RequestTime(request);
        if (!amzDate.AsSpan(0, 8).SequenceEqual(claim.Credential.Date))
        {
            throw S3Errors.AuthorizationHeaderMalformed
                .With("The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.").ToException();
        }

        var account = await FindAccountAsync(claim, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if ((now - requestTime).Duration() > MaxSkew)
        {
            throw S3Errors.RequestTimeTooSkewed
                .WithDetail("RequestTime", amzDate)
                .WithDetail("ServerTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .WithDetail("MaxAllowedSkewMilliseconds", "900000")
                .ToException();
        }

        var payloadHash = request.Headers[ContentSha256Header].ToString();
        PayloadMode mode;
        if (payloadHash.Length == 0)
        {
            // AWS requires the header; a bodiless request without it is accepted as signing the empty payload.
            if (HasBody(request))
            {
                throw S3Errors.InvalidRequest.With("Missing required header for this request: x-amz-content-sha256").ToException();
            }

            (payloadHash, mode) = (SigV4Signer.EmptySha256, PayloadMode.Empty);
        }
        else
        {
            mode = ParseMode(payloadHash);
        }

        return await VerifySignatureAsync(request, claim, account, amzDate, rawPath, rawQuery, presigned: false, payloadHash, mode, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Signed> VerifyQueryAsync(HttpRequest request, string rawPath, string rawQuery, QueryParameters query, CancellationToken cancellationToken)
    {
        var (claim, amzDate, expiresSeconds) = AuthorizationParser.ParseQuery(query);
        if (!amzDate.AsSpan(0, 8).SequenceEqual(claim.Credential.Date))
        {
            throw S3Errors.AuthorizationQueryParametersError.With("Invalid credential date. Date is not the same as X-Amz-Date.").ToException();
        }

        var account = await FindAccountAsync(claim, cancellationToken).ConfigureAwait(false);
        var signedAt = AuthorizationParser.ParseAmzDate(amzDate)!.Value;
        var now = _time.GetUtcNow();
        if (signedAt - now > MaxSkew)
        {
            throw S3Errors.AccessDenied.With("Request is not valid yet").ToException();
        }

        var expires = signedAt.AddSeconds(expiresSeconds);
        if (now > expires)
        {
            throw S3Errors.AccessDenied.With("Request has expired")
                .WithDetail("X-Amz-Expires", expiresSeconds.ToString(CultureInfo.InvariantCulture))
                .WithDetail("Expires", expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .WithDetail("ServerTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .ToException();
        }

        // Presigned URLs cannot know the body, so the payload is unsigned unless the client says otherwise.
        var payloadHash = request.Headers[ContentSha256Header].ToString();
        if (payloadHash.Length == 0)
        {
            payloadHash = "UNSIGNED-PAYLOAD";
        }

        var mode = ParseMode(payloadHash);
        return await VerifySignatureAsync(request, claim, account, amzDate, rawPath, rawQuery, presigned: true, payloadHash, mode, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Account> FindAccountAsync(SignatureClaim claim, CancellationToken cancellationToken) =>
        await _keys.FindAsync(claim.Credential.AccessKeyId, cancellationToken).ConfigureAwait(false)
        ?? throw S3Errors.InvalidAccessKeyId.WithDetail("AWSAccessKeyId", claim.Credential.AccessKeyId).ToException();

    /// <summary>
    /// Verifies against the secret the resolver gave; on a mismatch, once more against the key read fresh from the
    /// store, so a rotated key's new secret works at once on an instance that still caches the old one.
    /// </summary>
    private async ValueTask<Signed> VerifySignatureAsync(
        HttpRequest request, SignatureClaim claim, Account account, string amzDate, string rawPath, string rawQuery, bool presigned, string payloadHash, PayloadMode mode, CancellationToken cancellationToken)
    {
        try
        {
            return VerifySignature(request, claim, account, amzDate, rawPath, rawQuery, presigned, payloadHash, mode);
        }
        catch (S3Exception e) when (e.Error.Code == S3Errors.SignatureDoesNotMatch.Code)
        {
            if (await _keys.RefreshAsync(claim.Credential.AccessKeyId, cancellationToken).ConfigureAwait(false) is { } fresh
                && !string.Equals(fresh.SecretAccessKey, account.SecretAccessKey, StringComparison.Ordinal))
            {
                return VerifySignature(request, claim, fresh, amzDate, rawPath, rawQuery, presigned, payloadHash, mode);
            }

            throw;
        }
    }

    private static Signed VerifySignature(
        HttpRequest request, SignatureClaim claim, Account account, string amzDate, string rawPath, string rawQuery, bool presigned, string payloadHash, PayloadMode mode)
    {
        var key = SigV4Signer.SigningKey(account.SecretAccessKey, claim.Credential.Date, claim.Credential.Region, Service);
        var method = request.Method.ToUpperInvariant();
        var canonicalUri = SigV4Signer.CanonicalUri(rawPath);
        Span<char> expected = stackalloc char[64];
        RequestSignature.Compute(request, claim, key, amzDate, method, canonicalUri, rawQuery, presigned, payloadHash, expected);
        if (!SigV4Signer.SignaturesEqual(expected, claim.Signature))
        {
            // Like S3, hand back what was signed so a client can find its canonicalization difference.
            var headers = claim.SignedHeaders.Split(';').Select(name => (name, HeaderValue(request, name)));
            var canonicalQuery = SigV4Signer.CanonicalQuery(rawQuery, excludeSignature: presigned);
            var canonicalRequest = SigV4Signer.CanonicalRequest(method, canonicalUri, canonicalQuery, SigV4Signer.CanonicalHeaders(headers), claim.SignedHeaders, payloadHash);
            throw S3Errors.SignatureDoesNotMatch
                .WithDetail("AWSAccessKeyId", account.AccessKeyId)
                .WithDetail("StringToSign", SigV4Signer.StringToSign(amzDate, claim.Credential.Scope, canonicalRequest))
                .WithDetail("SignatureProvided", claim.Signature)
                .WithDetail("CanonicalRequest", canonicalRequest)
                .ToException();
        }

        // The provided signature equals the expected one but for the case of its hex letters, which the chunk verifier folds.
        return new Signed(account, mode, key, amzDate, claim.Credential, claim.Signature);
    }

    private static AuthResult DecodeBody(HttpRequest request, Signed signed)
    {
        var body = request.Body;
        switch (signed.Mode)
        {
            case PayloadMode.Unsigned:
                return new AuthResult(signed.Account, signed.Mode, body, request.ContentLength, null);
            case PayloadMode.Empty:
                return new AuthResult(signed.Account, signed.Mode, body, request.ContentLength ?? 0, null);
            case PayloadMode.SignedSha256:
                var payloadHash = request.Headers[ContentSha256Header].ToString();
                return new AuthResult(signed.Account, signed.Mode, new Sha256VerifyingStream(body, payloadHash), request.ContentLength, null);
            default:
                var verifier = signed.Mode == PayloadMode.StreamingUnsignedTrailer
                    ? null
                    : new ChunkSignatureVerifier(signed.SigningKey, signed.AmzDate, signed.Credential.Scope, signed.Signature);
                var withTrailer = signed.Mode != PayloadMode.StreamingSigned;
                var chunked = new AwsChunkedStream(body, verifier, withTrailer, request.ContentLength);
                return new AuthResult(signed.Account, signed.Mode, chunked, DecodedContentLength(request), withTrailer ? chunked : null);
        }
    }

    private static PayloadMode ParseMode(string payloadHash) => payloadHash switch
    {
        "UNSIGNED-PAYLOAD" => PayloadMode.Unsigned,
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" => PayloadMode.StreamingSigned,
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" => PayloadMode.StreamingSignedTrailer,
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER" => PayloadMode.StreamingUnsignedTrailer,
        _ when SigV4Signer.IsSha256Hex(payloadHash) => PayloadMode.SignedSha256,
        _ => throw S3Errors.InvalidArgument
            .With("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
            .WithDetail("ArgumentName", ContentSha256Header)
            .ToException(),
    };

    private static long? DecodedContentLength(HttpRequest request)
    {
        var value = request.Headers["x-amz-decoded-content-length"].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : throw S3Errors.InvalidArgument.With("x-amz-decoded-content-length must be a non-negative integer.")
                .WithDetail("ArgumentName", "x-amz-decoded-content-length").ToException();
    }

    /// <summary>The signing timestamp from x-amz-date, else Date; both missing or malformed is AccessDenied, as in S3.</summary>
    private static (string AmzDate, DateTimeOffset Time) RequestTime(HttpRequest request)
    {
        var amzDate = request.Headers["x-amz-date"].ToString();
        if (amzDate.Length > 0)
        {
            var parsed = AuthorizationParser.ParseAmzDate(amzDate);
            if (parsed is not null)
            {
                return (amzDate, parsed.Value);
            }
        }
        else if (AuthorizationParser.ParseHttpDate(request.Headers.Date.ToString()) is { } date)
        {
            return (date.UtcDateTime.ToString(AuthorizationParser.AmzDateFormat, CultureInfo.InvariantCulture), date);
        }

        throw S3Errors.AccessDenied.With("AWS authentication requires a valid Date or x-amz-date header").ToException();
    }

    /// <summary>
    /// A header's values as signed: each trimmed and collapsed, joined with ','; a missing header signs as empty.
    /// Only for the mismatch report; <see cref="RequestSignature"/> writes the same as UTF-8 when verifying.
    /// </summary>
    private static string HeaderValue(HttpRequest request, string name)
    {
        if (!request.Headers.TryGetValue(name, out var values))
        {
            return string.Empty;
        }

        if (values.Count == 1)
        {
            return SigV4Signer.CanonicalHeaderValue(values[0] ?? string.Empty);
        }

        return string.Join(',', values.Select(static v => SigV4Signer.CanonicalHeaderValue(v ?? string.Empty)));
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    /// <summary>A verified signature and what decoding the body needs from it.</summary>
    private readonly record struct Signed(Account Account, PayloadMode Mode, byte[] SigningKey, string AmzDate, Credential Credential, string Signature);
}

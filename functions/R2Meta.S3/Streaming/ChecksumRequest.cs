using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Hashing;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Streaming;

/// <summary>
/// Which checksum an upload asks for and where its expected value comes from: an x-amz-checksum-* header,
/// a trailer named by x-amz-trailer, or nowhere (x-amz-sdk-checksum-algorithm alone: compute only).
/// </summary>
internal sealed record ChecksumRequest(string? Algorithm, string? HeaderValue, string? TrailerName)
{
    private static readonly string[] AlgorithmHeaders = ["x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"];

    public static ChecksumRequest Parse(IHeaderDictionary headers, bool hasTrailers)
    {
        string? algorithm = null, headerValue = null, trailerName = null;
        foreach (var candidate in Checksums.Algorithms)
        {
            var name = Checksums.HeaderName(candidate);
            var value = headers[name].ToString();
            if (value.Length == 0)
            {
                continue;
            }

            if (!Checksums.IsValidBase64(candidate, value.Trim()))
            {
                throw S3Errors.InvalidRequest.With($"Value for {name} header is invalid.").ToException();
            }

            Claim(ref algorithm, candidate);
            headerValue = value.Trim();
        }

        foreach (var declared in headers["x-amz-trailer"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var name = declared.ToLowerInvariant();
            if (!name.StartsWith("x-amz-checksum-", StringComparison.Ordinal))
            {
                continue;
            }

            var candidate = Checksums.Normalize(name["x-amz-checksum-".Length..])
                ?? throw S3Errors.InvalidRequest.With($"The value specified in the x-amz-trailer header is not supported: {declared}").ToException();
            if (!hasTrailers)
            {
                throw S3Errors.InvalidRequest.With("x-amz-trailer needs an aws-chunked body with trailers (x-amz-content-sha256: STREAMING-...-TRAILER).").ToException();
            }

            Claim(ref algorithm, candidate);
            trailerName = name;
        }

        foreach (var header in AlgorithmHeaders)
        {
            var value = headers[header].ToString();
            if (value.Length == 0)
            {
                continue;
            }

            var named = Checksums.Normalize(value)
                ?? throw S3Errors.InvalidRequest.With($"Value for {header} header is invalid.").ToException();
            if (algorithm is not null && algorithm != named)
            {
                throw S3Errors.InvalidRequest.With($"Value for {header} header is invalid.").ToException();
            }

            algorithm = named;
        }

        return new ChecksumRequest(algorithm, headerValue, trailerName);
    }

    private static void Claim(ref string? algorithm, string candidate)
    {
        if (algorithm is not null)
        {
            throw S3Errors.InvalidRequest.With("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.").ToException();
        }

        algorithm = candidate;
    }
}

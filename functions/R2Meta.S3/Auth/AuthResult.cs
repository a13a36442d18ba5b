using R2Meta.Domain.Accounts;

namespace R2Meta.S3.Auth;

/// <summary>
/// An authenticated request: who sent it and its decoded body. Body failures (bad chunk signature,
/// payload hash mismatch, truncation) surface as <see cref="Protocol.S3Exception"/> while reading <see cref="Body"/>.
/// </summary>
/// <param name="DecodedContentLength">The length the decoded body must have, when the request declares it.</param>
/// <param name="Trailers">Set for the trailer payload modes; filled once <see cref="Body"/> reached its end.</param>
public sealed record AuthResult(Account Account, PayloadMode Mode, Stream Body, long? DecodedContentLength, ITrailerSource? Trailers);

/// <summary>The trailing headers of an aws-chunked body.</summary>
public interface ITrailerSource
{
    /// <summary>Trailer values by lower-case name; empty until the body stream hit its end.</summary>
    IReadOnlyDictionary<string, string> Trailers { get; }
}

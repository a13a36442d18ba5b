namespace R2Meta.S3.Auth;

/// <summary>How the request body is protected, as declared by <c>x-amz-content-sha256</c>.</summary>
public enum PayloadMode
{
    /// <summary><c>UNSIGNED-PAYLOAD</c> (also every presigned request without the header).</summary>
    Unsigned,

    /// <summary>A hex SHA-256 of the body, verified when the body stream reaches its end.</summary>
    SignedSha256,

    /// <summary><c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD</c>: aws-chunked, every chunk signed.</summary>
    StreamingSigned,

    /// <summary><c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER</c>: signed chunks plus a signed trailer.</summary>
    StreamingSignedTrailer,

    /// <summary><c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>: aws-chunked without signatures, checksum in a trailer.</summary>
    StreamingUnsignedTrailer,

    /// <summary>No <c>x-amz-content-sha256</c> header on a request that carries no body.</summary>
    Empty,
}

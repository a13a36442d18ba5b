using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// ASP.NET Core servers refuse bodies over 30,000,000 bytes unless told otherwise, and the Functions worker's
/// server is not ours to configure for that; so every request gets S3's own limit here, whichever host runs
/// the pipeline. The handlers check the declared (decoded) size against <see cref="S3Options.MaxObjectSize"/>
/// and answer EntityTooLarge; this is the backstop on the bytes on the wire.
/// </summary>
internal static class RequestBodyLimit
{
    /// <summary>aws-chunked framing adds about 90 bytes per chunk of at least 8 KiB: well under 1/64 of the body.</summary>
    private const int FramingAllowanceDivisor = 64;

    public static void Lift(HttpContext http, S3Options options)
    {
        // Read-only once the body has been read (never, this early) or on servers without a limit.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = WireLimit(options);
        }
    }

    public static long WireLimit(S3Options options) => options.MaxObjectSize + (options.MaxObjectSize / FramingAllowanceDivisor);
}

using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace R2Meta.Hosting;

/// <summary>
/// What every Kestrel that serves the S3 pipeline needs: the Kestrel host's own server and the Functions
/// worker's (its ASP.NET Core integration runs a Kestrel the Functions host forwards requests to).
/// The body size limit is lifted per request by the pipeline, not here, so both hosts behave the same.
/// </summary>
public static class R2MetaKestrel
{
    public static void Configure(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        // S3 enforces its own header limit (8 KiB) and answers it with an S3 error;
        // Kestrel's lower defaults would answer first with bare status codes.
        kestrel.Limits.MaxRequestHeadersTotalSize = 1024 * 1024;
        kestrel.Limits.MaxRequestLineSize = 64 * 1024;
        kestrel.Limits.MaxRequestHeaderCount = 500;
        kestrel.AddServerHeader = false;
        // Clients send non-ASCII metadata as UTF-8 and sign it so; it goes back as the same bytes.
        // Not Content-Length: Kestrel decodes it with a custom encoding into a buffer sized for a valid
        // number, so an absurdly long value killed the connection without an answer (found by the fuzz tests);
        // the default decoding answers it 400.
        kestrel.RequestHeaderEncodingSelector = static name =>
            string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase) ? null : Encoding.UTF8;
        kestrel.ResponseHeaderEncodingSelector = _ => Encoding.UTF8;
    }
}

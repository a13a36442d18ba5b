using Microsoft.AspNetCore.Http;
using R2Meta.S3.Cors;
using R2Meta.S3.Protocol;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Pipeline;

/// <summary>Writes S3 error responses: the error XML (Code, Message, Resource, RequestId) with its status.</summary>
public static class ErrorWriter
{
    /// <param name="retryAfter">Sent as a Retry-After header (whole seconds), e.g. with a 503 while the store is unavailable.</param>
    public static async Task WriteAsync(HttpContext http, S3Error error, string resource, string requestId, TimeSpan? retryAfter = null)
    {
        RequestTelemetry.Failed(http, error);
        var response = http.Response;
        if (response.HasStarted)
        {
            // Headers are gone; the only honest signal left is to break the connection.
            http.Abort();
            return;
        }

        response.Clear();
        response.Headers["x-amz-request-id"] = requestId;
        CorsHeaders.Reapply(http);
        response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (MayWithholdBody(http.Request))
        {
            // A client that sent Expect: 100-continue and gets a final status instead of 100 keeps its
            // body (botocore, the AWS CLI). Kestrel would still wait for that body on this connection
            // and read the client's next request as its bytes, so this connection ends here.
            response.Headers.Connection = "close";
        }

        // HEAD and 304 carry no body: the status says it all.
        if (HttpMethods.IsHead(http.Request.Method) || error.Status == StatusCodes.Status304NotModified)
        {
            return;
        }

        var root = S3Xml.Plain("Error",
            S3Xml.Plain("Code", error.Code),
            S3Xml.Plain("Message", error.Message),
            error.Details?.Select(d => S3Xml.Plain(d.Key, d.Value)),
            S3Xml.Plain("Resource", resource),
            S3Xml.Plain("RequestId", requestId));
        await S3Xml.WriteAsync(response, root, error.Status, CancellationToken.None).ConfigureAwait(false);
    }

    private static bool MayWithholdBody(HttpRequest request) =>
        request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase)
        && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0);
}

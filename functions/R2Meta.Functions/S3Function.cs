using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using R2Meta.S3.Pipeline;

namespace R2Meta.Functions;

/// <summary>The catch-all HTTP trigger: every S3 request goes to the same pipeline the Kestrel host runs.</summary>
public sealed class S3Function
{
    public const string Name = "s3";
    public const string Route = "{*path}";

    private readonly S3Pipeline _pipeline;

    public S3Function(S3Pipeline pipeline) => _pipeline = pipeline;

    /// <summary>OPTIONS too: CORS preflights must reach the pipeline, which answers them, instead of the host's 404.</summary>
    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "put", "post", "delete", "head", "options", Route = Route)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _pipeline.HandleAsync(request.HttpContext).ConfigureAwait(false);
        // The pipeline has written the whole response.
        return new EmptyResult();
    }
}

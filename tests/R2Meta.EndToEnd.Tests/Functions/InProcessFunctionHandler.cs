using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using R2Meta.Functions;

namespace R2Meta.EndToEnd.Tests.Functions;

/// <summary>
/// Turns an HttpClient request into an ASP.NET Core HttpContext and invokes the Functions trigger
/// method in-process, the way the isolated worker's ASP.NET Core integration hands it requests.
/// </summary>
public sealed class InProcessFunctionHandler(S3Function function, IServiceProvider services) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var context = new DefaultHttpContext { RequestServices = services };
        var http = context.Request;
        http.Method = request.Method.Method;
        http.Scheme = uri.Scheme;
        http.Host = new HostString(uri.Authority);
        http.Path = new PathString(Uri.UnescapeDataString(uri.AbsolutePath));
        http.QueryString = new QueryString(uri.Query);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = uri.PathAndQuery;
        foreach (var (name, values) in request.Headers)
        {
            http.Headers[name] = values.ToArray();
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                http.Headers[name] = values.ToArray();
            }

            http.Body = await request.Content.ReadAsStreamAsync(cancellationToken);
        }

        var body = new MemoryStream();
        context.Response.Body = body;
        var result = await function.RunAsync(http);
        Assert.IsType<EmptyResult>(result);

        body.Position = 0;
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)context.Response.StatusCode)
        {
            Content = new StreamContent(body),
            RequestMessage = request,
        };
        foreach (var (name, values) in context.Response.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                response.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        return response;
    }
}

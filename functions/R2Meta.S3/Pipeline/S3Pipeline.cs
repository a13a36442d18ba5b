using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;
using R2Meta.S3.Auth;
using R2Meta.S3.Cors;
using R2Meta.S3.Health;
using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// The S3 request pipeline shared by both hosts: request id, addressing, routing, authentication,
/// dispatch to one handler per operation, and S3 error responses. Nothing thrown inside ever
/// reaches the client as anything but an S3 error document.
/// </summary>
public sealed class S3Pipeline
{
    private readonly S3Options _options;
    private readonly SigV4Authenticator _authenticator;
    private readonly S3Dispatcher _dispatcher;
    private readonly HealthEndpoints _health;
    private readonly AnonymousRequests _anonymous;
    private readonly CorsResponder _cors;
    private readonly ILogger<S3Pipeline> _logger;

    public S3Pipeline(S3Options options, SigV4Authenticator authenticator, S3Dispatcher dispatcher, HealthEndpoints health, AnonymousRequests anonymous, CorsResponder cors, ILogger<S3Pipeline> logger)
    {
        _cors = cors;
        _anonymous = anonymous;
        _options = options;
        _authenticator = authenticator;
        _dispatcher = dispatcher;
        _health = health;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (_health.Matches(http.Request))
        {
            await _health.ServeAsync(http).ConfigureAwait(false);
            return;
        }

        RequestBodyLimit.Lift(http, _options);
        var requestId = NewRequestId();
        http.Response.Headers["x-amz-request-id"] = requestId;
        http.Response.Headers["x-amz-id-2"] = requestId;
        using var telemetry = RequestTelemetry.Start(http, requestId);
        var resource = "/";
        var operationName = "Unrouted";
        using var deadline = RequestDeadline.Start(http, _options.RequestTimeout);
        try
        {
            var request = http.Request;
            if (HeaderBytes(request) > _options.MaxHeaderBytes)
            {
                throw S3Errors.RequestHeaderSectionTooLarge.ToException();
            }

            var target = RequestTarget.Of(request);
            var rawPath = target.Path;
            var address = S3Address.Parse(request.Headers.Host.ToString(), rawPath, _options.BaseDomain);
            resource = address.Resource;

            if (HttpMethods.IsOptions(request.Method))
            {
                // A CORS preflight: unauthenticated, answered from the bucket's CORS rules alone.
                operationName = "Preflight";
                await _cors.PreflightAsync(http, address, deadline.Token).ConfigureAwait(false);
                return;
            }

            await _cors.ApplyAsync(http, address, deadline.Token).ConfigureAwait(false);

            var match = _dispatcher.Routes.Match(request.Method, address.Level, target.Parameters, request.Headers.ContainsKey);
            if (match.Operation is not { } operation)
            {
                throw (match.Failure == RouteFailure.MethodNotAllowed ? S3Errors.MethodNotAllowed : S3Errors.NotImplemented).ToException();
            }

            operationName = operation.Name;
            telemetry?.Routed(operationName, address.Bucket);
            Log.Routed(_logger, requestId, request.Method, rawPath, operationName);

            // PostObject signs in its form (its handler authenticates and checks access); every other request signs in
            // its headers or query, and its key's grant is checked once here. An admitted anonymous read (a public
            // bucket) has no key to check.
            AuthResult? auth = null;
            if (!operation.SignedInBody)
            {
                if (AnonymousRequests.IsAnonymous(request, target))
                {
                    auth = await _anonymous.AdmitAsync(operation, address, request, deadline.Token).ConfigureAwait(false);
                }
                else
                {
                    auth = await _authenticator.AuthenticateAsync(request, target, deadline.Token).ConfigureAwait(false);
                    AccessCheck.Demand(auth.Account.Grant, operation, address, request);
                }
            }

            var context = new S3RequestContext
            {
                Http = http,
                RequestId = requestId,
                Address = address,
                Target = target,
                Operation = operation,
                Auth = auth,
                Aborted = deadline.Token,
            };
            // Who caused the events a commit of this request records (read only when one is recorded); reads commit nothing.
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                EventOrigin.Set(new EventOrigin(auth?.Account.CanonicalUserId, http.Connection.RemoteIpAddress, requestId));
            }
            ServerSideEncryption.Apply(operation, request.Headers, http.Response.Headers);
            await _dispatcher.DispatchAsync(context).ConfigureAwait(false);
        }
        catch (S3Exception s3)
        {
            // Protocol errors, handlers' mapped outcomes (OutcomeErrors) and failures of the request body,
            // which the blob adapter rethrows as the body raised them (its one unwrapping), land here.
            Log.ClientError(_logger, requestId, operationName, s3.Error.Status, s3.Error.Code);
            await ErrorWriter.WriteAsync(http, s3.Error, resource, requestId).ConfigureAwait(false);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(_logger, requestId, operationName);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own framing errors: a body shorter than Content-Length, too slow, or over the size limit.
            var error = e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => S3Errors.EntityTooLarge,
                StatusCodes.Status408RequestTimeout => S3Errors.RequestTimeout,
                _ => S3Errors.IncompleteBody,
            };
            Log.ClientError(_logger, requestId, operationName, error.Status, error.Code);
            await ErrorWriter.WriteAsync(http, error, resource, requestId).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreTrouble.Of(e, deadline) is { } trouble)
        {
            Log.StoreUnavailable(_logger, e, requestId, operationName, trouble.Reason.ToString());
            await ErrorWriter.WriteAsync(http, trouble.Error, resource, requestId, trouble.RetryAfter).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Unhandled(_logger, e, requestId, operationName);
            await ErrorWriter.WriteAsync(http, S3Errors.InternalError, resource, requestId).ConfigureAwait(false);
        }
    }

    private static long HeaderBytes(HttpRequest request)
    {
        long total = 0;
        foreach (var header in request.Headers)
        {
            total += header.Key.Length + 4;
            foreach (var value in header.Value)
            {
                total += value?.Length ?? 0;
            }
        }

        return total;
    }

    private static string NewRequestId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Accounts;
using R2Meta.S3.Auth;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Pipeline;

/// <summary>Per-request state, built once by the pipeline and handed to the operation's handler.</summary>
public sealed class S3RequestContext
{
    public required HttpContext Http { get; init; }
    public required string RequestId { get; init; }
    public required S3Address Address { get; init; }
    /// <summary>The raw target as the client sent it, with its query parsed once.</summary>
    public required RequestTarget Target { get; init; }
    public required S3Operation Operation { get; init; }
    private readonly AuthResult? _auth;

    /// <summary>The request's signature and body; an operation signed in its body authenticates in its handler instead.</summary>
    [AllowNull]
    public required AuthResult Auth
    {
        get => _auth ?? throw new InvalidOperationException($"{Operation} is signed in its body; its handler authenticates it.");
        init => _auth = value;
    }

    public Account Account => Auth.Account;
    public HttpRequest Request => Http.Request;
    public HttpResponse Response => Http.Response;
    /// <summary>Cancelled when the client goes away or the request deadline passes (<see cref="RequestDeadline"/>).</summary>
    public required CancellationToken Aborted { get; init; }

    /// <summary>The bucket; routing guarantees it for bucket and object operations.</summary>
    public string Bucket => Address.Bucket ?? throw new InvalidOperationException("No bucket for a service-level operation.");

    /// <summary>The key; routing guarantees it for object operations.</summary>
    public string Key => Address.Key ?? throw new InvalidOperationException("No key for a bucket-level operation.");

    public string? Query(string name) => Target.Parameters.Get(name);

    public string? Header(string name) => Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;

    /// <summary>Resource path used in error documents, e.g. /bucket/key.</summary>
    public string Resource => Address.Resource;
}

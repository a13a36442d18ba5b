using Microsoft.AspNetCore.Http;
using R2Meta.S3.Auth;

namespace R2Meta.Unit.Tests.Auth;

/// <summary>
/// The authenticator is asynchronous because a key id may need a store read; these tests use bootstrap keys only,
/// whose lookup completes synchronously, so they can keep reading like the synchronous checks they are.
/// </summary>
internal static class AuthenticatorExtensions
{
    public static AuthResult Authenticate(this SigV4Authenticator authenticator, HttpRequest request)
    {
        var pending = authenticator.AuthenticateAsync(request);
        return pending.IsCompleted ? pending.GetAwaiter().GetResult() : throw new InvalidOperationException("A bootstrap key lookup went asynchronous.");
    }
}

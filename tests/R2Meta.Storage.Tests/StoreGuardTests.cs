using System.Net;
using System.Net.Sockets;
using Azure;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Blobs;
using R2Meta.Storage.Cosmos;
using R2Meta.Storage.Tables;

namespace R2Meta.Storage.Tests;

/// <summary>
/// Each adapter's guard: store-wide SDK failures become <see cref="StoreUnavailableException"/> with the
/// right reason; per-item answers, foreign exceptions and the caller's cancellation pass unchanged.
/// </summary>
public sealed class StoreGuardTests
{
    public delegate Task Guard(Func<Task> operation, CancellationToken cancellationToken);

    public static TheoryData<string> Guards => ["tables", "blobs", "cosmos"];

    private static Guard For(string adapter) => adapter switch
    {
        "tables" => TableGuard.RunAsync,
        "blobs" => BlobGuard.RunAsync,
        "cosmos" => CosmosGuard.RunAsync,
        _ => throw new ArgumentOutOfRangeException(nameof(adapter)),
    };

    /// <summary>What an Azure.Core client (Tables, Blobs) throws when a connection is refused and its retries ran out.</summary>
    private static Exception AzureConnectionRefused() => new AggregateException(
        "Retry failed after 3 tries.",
        Enumerable.Range(0, 3).Select(_ => new RequestFailedException(
            "Connection refused (127.0.0.1:10000)",
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)))));

    public static TheoryData<string, Exception, StoreUnavailableReason> StoreWideFailures => new()
    {
        { "tables", new RequestFailedException(429, "Too many requests", "TooManyRequests", null), StoreUnavailableReason.Throttled },
        { "tables", new RequestFailedException(503, "Server busy", "ServerBusy", null), StoreUnavailableReason.Throttled },
        { "tables", new RequestFailedException("Connection refused", new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused))), StoreUnavailableReason.Unreachable },
        { "tables", AzureConnectionRefused(), StoreUnavailableReason.Unreachable },
        { "tables", new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout.", new TimeoutException()), StoreUnavailableReason.Timeout },
        { "blobs", new RequestFailedException(503, "Server busy", "ServerBusy", null), StoreUnavailableReason.Throttled },
        { "blobs", new RequestFailedException(429, "Too many requests"), StoreUnavailableReason.Throttled },
        { "blobs", AzureConnectionRefused(), StoreUnavailableReason.Unreachable },
        { "blobs", new RequestFailedException("Connection reset", new HttpRequestException("Error", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)))), StoreUnavailableReason.Unreachable },
        { "blobs", new AggregateException(new TaskCanceledException("timeout", new TimeoutException())), StoreUnavailableReason.Timeout },
        { "cosmos", new CosmosException("Request rate is large", HttpStatusCode.TooManyRequests, 3200, "a", 1), StoreUnavailableReason.Throttled },
        { "cosmos", new CosmosException("Service unavailable", HttpStatusCode.ServiceUnavailable, 20003, "a", 0), StoreUnavailableReason.Unreachable },
        { "cosmos", new CosmosException("Request timeout", HttpStatusCode.RequestTimeout, 0, "a", 0), StoreUnavailableReason.Timeout },
        { "cosmos", new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), StoreUnavailableReason.Unreachable },
    };

    [Theory]
    [MemberData(nameof(StoreWideFailures))]
    public async Task RunAsync_StoreWideFailure_BecomesStoreUnavailableWithReason(string adapter, Exception failure, StoreUnavailableReason reason)
    {
        var thrown = await Assert.ThrowsAsync<StoreUnavailableException>(() => For(adapter)(() => throw failure, CancellationToken.None));

        Assert.Equal(reason, thrown.Reason);
        Assert.Same(failure, thrown.InnerException);
    }

    public static TheoryData<string, Exception> PassedThrough => new()
    {
        { "tables", new RequestFailedException(404, "Not found", "ResourceNotFound", null) },
        { "tables", new RequestFailedException(412, "Precondition failed", "UpdateConditionNotSatisfied", null) },
        { "blobs", new RequestFailedException(409, "Conflict", "BlobAlreadyExists", null) },
        { "cosmos", new CosmosException("Not found", HttpStatusCode.NotFound, 0, "a", 1) },
        // An upload's source failing (e.g. a checksum mismatch) while the SDK sends it is not the store's fault.
        { "blobs", new HttpRequestException("Error while copying content to a stream.", new InvalidDataException("checksum mismatch")) },
        { "tables", new InvalidOperationException("a bug") },
    };

    [Theory]
    [MemberData(nameof(PassedThrough))]
    public async Task RunAsync_PerItemOrForeignFailure_PassesUnchanged(string adapter, Exception failure)
    {
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => For(adapter)(() => throw failure, CancellationToken.None));

        Assert.Same(failure, thrown);
    }

    [Theory]
    [MemberData(nameof(Guards))]
    public async Task RunAsync_CallerCancelled_CancellationPassesUnchanged(string adapter)
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => For(adapter)(() => Task.FromCanceled(cancellation.Token), cancellation.Token));

        Assert.IsNotType<StoreUnavailableException>(thrown);
        Assert.Equal(cancellation.Token, thrown.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(Guards))]
    public async Task RunAsync_CallerCancelled_StoreFailureIsNotTranslated(string adapter)
    {
        // The client went away (or the request deadline passed) while the store failed: not the store's answer to give.
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var failure = AzureConnectionRefused();

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => For(adapter)(() => throw failure, cancellation.Token));

        Assert.Same(failure, thrown);
    }
}

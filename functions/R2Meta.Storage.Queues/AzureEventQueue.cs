using Azure;
using Azure.Core;
using Azure.Storage.Queues;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Queues;

/// <summary>Where the notification queues are: a connection string, or a queue service URI with a credential.</summary>
public sealed record EventQueueOptions
{
    public string? ConnectionString { get; init; }
    public Uri? ServiceUri { get; init; }
    public TokenCredential? Credential { get; init; }
    public StoreCallPolicy Calls { get; init; } = new();
}

/// <summary>
/// <see cref="IEventQueue"/> on Azure Storage queues: a QueueConfiguration's ARN names a queue of this account
/// (<see cref="QueueArns"/>). Messages go as given (the dispatcher base64-encodes the JSON itself), never created
/// here: a queue must exist when the configuration is put, as S3 checks its destinations.
/// </summary>
public sealed class AzureEventQueue : IEventQueue
{
    private readonly QueueServiceClient _service;

    public AzureEventQueue(EventQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new QueueClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.Calls.MaxRetries;
        clientOptions.Retry.Delay = options.Calls.RetryDelay;
        clientOptions.Retry.MaxDelay = options.Calls.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = options.Calls.AttemptTimeout;
        _service = options switch
        {
            { ServiceUri: { } uri, Credential: { } credential } => new QueueServiceClient(uri, credential, clientOptions),
            { ConnectionString: { Length: > 0 } connection } => new QueueServiceClient(connection, clientOptions),
            _ => throw new ArgumentException("A queue service URI with a credential, or a connection string, is required.", nameof(options)),
        };
    }

    public async Task<bool> ExistsAsync(string queue, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await _service.GetQueueClient(queue).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status is 400 or 403 or 404)
        {
            // A name the service refuses, or no access: either way no destination this service can deliver to.
            return false;
        }
    }

    public async Task SendAsync(string queue, string message, CancellationToken cancellationToken = default) =>
        await _service.GetQueueClient(queue).SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
}

using Azure.Core;
using Azure.Core.Pipeline;

namespace R2Meta.Storage.Blobs;

/// <summary>
/// Lifts the store-call timeout (<see cref="RetryOptions.NetworkTimeout"/>, which covers sending the
/// whole request) from requests whose body the S3 client feeds as it goes: they take as long as the
/// client does. A store that stops reading such a body stalls the client's upload instead, which the
/// request deadline of the S3 pipeline ends.
/// </summary>
internal sealed class ClientPacedTimeoutPolicy : HttpPipelineSynchronousPolicy
{
    private const string Property = "r2meta.client-paced";

    private static readonly Dictionary<string, object?> ClientPaced = new() { [Property] = true };

    /// <summary>Marks the requests the SDK sends until the scope is disposed (the mark flows with the async call).</summary>
    public static IDisposable Scope() => HttpPipeline.CreateHttpMessagePropertiesScope(ClientPaced);

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.TryGetProperty(Property, out _))
        {
            message.NetworkTimeout = Timeout.InfiniteTimeSpan;
        }
    }
}

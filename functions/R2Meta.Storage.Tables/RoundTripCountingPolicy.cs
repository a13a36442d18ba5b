using Azure.Core;
using Azure.Core.Pipeline;
using R2Meta.Domain.Diagnostics;

namespace R2Meta.Storage.Tables;

/// <summary>Reports every Table request to <see cref="StoreRoundTrips"/> (one per call, retries not counted).</summary>
internal sealed class RoundTripCountingPolicy : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) => StoreRoundTrips.Add();
}

using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Diagnostics;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// Sums the request units of every response the client receives (point operations, query pages,
/// failures included) and counts them, so the cost per operation can be measured from the outside;
/// each request also counts towards the current S3 request's <see cref="StoreRoundTrips"/>.
/// </summary>
internal sealed class RequestChargeMeter : RequestHandler
{
    private double _total;
    private double _last;
    private long _count;

    public double Total => Volatile.Read(ref _total);

    public double Last => Volatile.Read(ref _last);

    public long Count => Interlocked.Read(ref _count);

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        StoreRoundTrips.Add();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _count);
        var charge = response.Headers.RequestCharge;
        Volatile.Write(ref _last, charge);
        double seen, sum;
        do
        {
            seen = Volatile.Read(ref _total);
            sum = seen + charge;
        }
        while (Interlocked.CompareExchange(ref _total, sum, seen) != seen);

        return response;
    }
}

namespace R2Meta.Domain.Diagnostics;

/// <summary>
/// What one S3 request cost its stores: round trips and Cosmos request units. The pipeline begins one per request
/// (only when telemetry listens); each backend's seam adds to the one flowing with the current async context, so no
/// adapter method needs to know about requests. Store calls may run in parallel (multipart parts), hence Interlocked.
/// </summary>
public sealed class RequestCost
{
    private static readonly AsyncLocal<RequestCost?> Flowing = new();

    private int _roundTrips;
    private double _requestCharge;

    /// <summary>The cost of the request this code runs for; null outside a request or with telemetry off.</summary>
    public static RequestCost? Current => Flowing.Value;

    public int RoundTrips => Volatile.Read(ref _roundTrips);

    public double RequestCharge => Volatile.Read(ref _requestCharge);

    /// <summary>
    /// Starts counting for the calling request. Call from a synchronous method so the value stays set for the
    /// rest of the caller's async method (and everything it awaits), and is gone when that method returns.
    /// </summary>
    public static RequestCost Begin()
    {
        var cost = new RequestCost();
        Flowing.Value = cost;
        return cost;
    }

    /// <summary>Adds one store round trip (and its request units, for Cosmos) to the current request, if any.</summary>
    public static void AddRoundTrip(double requestCharge = 0)
    {
        if (Flowing.Value is not { } cost)
        {
            return;
        }

        Interlocked.Increment(ref cost._roundTrips);
        if (requestCharge > 0)
        {
            double seen, sum;
            do
            {
                seen = Volatile.Read(ref cost._requestCharge);
                sum = seen + requestCharge;
            }
            while (Interlocked.CompareExchange(ref cost._requestCharge, sum, seen) != seen);
        }
    }
}

using System.Diagnostics;

namespace R2Meta.Storage.Tables.Wire;

/// <summary>
/// The SDK's spans for the store's own Table requests (source <c>Azure.Data.Tables.TableClient</c>, named as the SDK
/// names the same call), so traces keep their shape: the store call, with the pipeline's HTTP span below it. Like the
/// SDK's, only under the Azure.Experimental.EnableActivitySource switch, and nothing is recorded unless listened to.
/// </summary>
internal static class TableSpans
{
    private static readonly ActivitySource Source = new("Azure.Data.Tables.TableClient");

    private static readonly bool Enabled = AppContext.TryGetSwitch("Azure.Experimental.EnableActivitySource", out var enabled) && enabled;

    /// <returns>The span, or null when the switch is off or nobody listens.</returns>
    public static Activity? Start(string name)
    {
        if (!Enabled)
        {
            return null;
        }

        var span = Source.StartActivity(name, ActivityKind.Internal);
        span?.SetTag("az.namespace", "Microsoft.Tables");
        return span;
    }

    /// <summary>Marks <paramref name="span"/> failed with <paramref name="error"/>, as the SDK's scope does.</summary>
    public static void Fail(Activity span, Exception error)
    {
        span.SetStatus(ActivityStatusCode.Error, error.Message);
        span.SetTag("error.type", error.GetType().FullName);
    }
}

using System.Collections.Frozen;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Pipeline;

/// <summary>Routes a request to one of the operations it was built with and runs that operation's handler.</summary>
public sealed class S3Dispatcher
{
    private readonly FrozenDictionary<S3Operation, Func<S3RequestContext, Task>> _handlers;

    public S3Dispatcher(IEnumerable<HandledOperation> operations, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var list = operations.ToList();
        Routes = new RouteTable(list.Select(o => o.Operation));
        _handlers = list.ToFrozenDictionary(o => o.Operation, o => o.Bind(services));
    }

    public RouteTable Routes { get; }

    public Task DispatchAsync(S3RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _handlers[context.Operation](context);
    }
}

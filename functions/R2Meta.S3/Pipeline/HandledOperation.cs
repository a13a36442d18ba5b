using Microsoft.Extensions.DependencyInjection;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// An operation paired with the handler that answers it. <see cref="Bind"/> resolves the handler once, when the
/// dispatcher is built, so a request pays no container lookup.
/// </summary>
public sealed record HandledOperation(S3Operation Operation, Func<IServiceProvider, Func<S3RequestContext, Task>> Bind)
{
    /// <summary>An operation answered by a method of the singleton handler <typeparamref name="THandler"/>.</summary>
    public static HandledOperation On<THandler>(S3Operation operation, Func<THandler, S3RequestContext, Task> handle)
        where THandler : notnull =>
        new(operation, services =>
        {
            var handler = services.GetRequiredService<THandler>();
            return context => handle(handler, context);
        });
}

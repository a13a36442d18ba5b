using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using R2Meta.Hosting;
using R2Meta.S3.Pipeline;

namespace R2Meta.Server;

/// <summary>The S3 pipeline on plain Kestrel, bound to loopback: local runs, tests and the benchmark.</summary>
public static class R2MetaServer
{
    /// <summary>
    /// Builds the app. <paramref name="overrides"/> (tests) win over environment variables; <paramref name="services"/>
    /// (tests) adds to the wiring, e.g. in-memory telemetry exporters.
    /// </summary>
    public static WebApplication Create(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        // Settings are read once at startup, so watching the content root for appsettings changes would only
        // cost CPU: the watch covers every directory below it, where the local emulators write on each request.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var settings = R2MetaSettings.From(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, settings.Port);
            R2MetaKestrel.Configure(kestrel);
        });
        // One log line per request would cost more CPU than the request; the pipeline logs what matters.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddR2Meta(builder.Configuration);
        builder.Services.AddR2MetaMaintenance();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        var pipeline = app.Services.GetRequiredService<S3Pipeline>();
        if (string.Equals(builder.Configuration[ProcessProbe.SettingName], "true", StringComparison.OrdinalIgnoreCase))
        {
            app.Run(http => ProcessProbe.Matches(http.Request) ? ProcessProbe.ServeAsync(http) : pipeline.HandleAsync(http));
        }
        else
        {
            app.Run(pipeline.HandleAsync);
        }

        return app;
    }
}

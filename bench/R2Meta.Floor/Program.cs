using R2Meta.Floor;

// The floor of the small-object bench (script/bench --floor): an HTTP server that makes, per S3 request, the
// store round trips a correct S3 layer on Table and Blob Storage cannot avoid, and nothing else. See FloorHandler.
var connection = Environment.GetEnvironmentVariable("R2META_STORAGE_CONNECTION");
var port = Environment.GetEnvironmentVariable("R2META_FLOOR_PORT") ?? "9300";
if (string.IsNullOrEmpty(connection))
{
    await Console.Error.WriteLineAsync("R2Meta.Floor needs R2META_STORAGE_CONNECTION (an Azure Storage connection string with an account key).");
    return 2;
}

var handler = await FloorHandler.CreateAsync(connection, "floor" + Environment.ProcessId).ConfigureAwait(false);
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = FloorHandler.MaxBody);
await using var app = builder.Build();
app.Run(handler.HandleAsync);
await app.RunAsync("http://127.0.0.1:" + port).ConfigureAwait(false);
return 0;

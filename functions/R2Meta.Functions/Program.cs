using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using R2Meta.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddR2Meta(builder.Configuration);
await builder.Build().RunAsync().ConfigureAwait(false);

using Microsoft.Extensions.Hosting;
using R2Meta.Functions;

await R2MetaFunctionsApp.CreateBuilder(args).Build().RunAsync().ConfigureAwait(false);

using R2Meta.Server;

var app = R2MetaServer.Create(args);
await app.RunAsync().ConfigureAwait(false);

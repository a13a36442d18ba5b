using R2Meta.Server;

if (args.Length > 0 && args[0] == KeysCommand.Name)
{
    return await KeysCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == BucketsCommand.Name)
{
    return await BucketsCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
}

var app = R2MetaServer.Create(args);
await app.RunAsync().ConfigureAwait(false);
return 0;

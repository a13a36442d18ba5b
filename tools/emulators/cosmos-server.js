#!/usr/bin/env node
// Starts the local Cosmos DB stand-in (@vercel/cosmosdb-server) over HTTPS with keep-alive connections.
// Usage: node cosmos-server.js --host 127.0.0.1 -p PORT
//
// The package's own cli.js cannot ask for keep-alive: its server then answers every request with
// "Connection: close", so each Cosmos request of the gateway paid a new TCP connection and a TLS handshake
// (with the client's certificate chain built from the system store): about 1.7 ms of gateway CPU per
// request, where Azure Cosmos DB keeps connections open. Idle connections are kept longer than the .NET
// client keeps them (SocketsHttpHandler: 1 minute), so the server never closes one a request is about to reuse.
"use strict";
const { createHttpsServer } = require("@vercel/cosmosdb-server");

const args = process.argv.slice(2);
let host;
let port = 8081;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--host") host = args[++i];
  else if (args[i] === "-p" || args[i] === "--port") port = parseInt(args[++i], 10);
}

const server = createHttpsServer({ keepAlive: true });
server.keepAliveTimeout = 120000;
server.headersTimeout = 125000;
server.listen(port, host, () => {
  const address = server.address();
  console.log(`Ready to accept HTTPS connections at ${host || address.address}:${address.port} (keep-alive)`);
});

#!/usr/bin/env node
// Smoke check for the local Cosmos DB stand-in (@vercel/cosmosdb-server).
// Usage: node check-cosmos.js <https-endpoint>   e.g. https://127.0.0.1:8081/
// Creates a scratch database + container (partition key /bucket), point-reads a
// document id that does not exist and expects 404 NotFound (unpatched 1.0.1 answers
// 500 "Cannot read properties of undefined"), then deletes the scratch database.
// Exit 0 on success, 1 with a message otherwise.
"use strict";
const https = require("https");
const http = require("http");

const endpoint = new URL(process.argv[2] || "https://127.0.0.1:8081/");
const client = endpoint.protocol === "https:" ? https : http;
const agent = new client.Agent({ rejectUnauthorized: false }); // self-signed, expired cert

function request(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = client.request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        method,
        path,
        agent,
        headers: {
          "content-type": "application/json",
          "x-ms-version": "2018-12-31",
          "x-ms-date": new Date().toUTCString(),
          authorization: "type%3Dmaster%26ver%3D1.0%26sig%3Dunused",
          ...(data ? { "content-length": Buffer.byteLength(data) } : {}),
          ...headers,
        },
        timeout: 10000,
      },
      res => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", c => (text += c));
        res.on("end", () => resolve({ status: res.statusCode, text }));
      }
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

(async () => {
  const db = `r2meta-check-${process.pid}-${Date.now()}`;
  const r1 = await request("POST", "/dbs", { id: db });
  if (r1.status !== 201) throw new Error(`create database: ${r1.status} ${r1.text}`);
  try {
    const r2 = await request("POST", `/dbs/${db}/colls`, {
      id: "objects",
      partitionKey: { paths: ["/bucket"], kind: "Hash" },
    });
    if (r2.status !== 201) throw new Error(`create container: ${r2.status} ${r2.text}`);
    const pk = { "x-ms-documentdb-partitionkey": JSON.stringify(["b1"]) };
    const r3 = await request("POST", `/dbs/${db}/colls/objects/docs`, { id: "present", bucket: "b1" }, pk);
    if (r3.status !== 201) throw new Error(`create document: ${r3.status} ${r3.text}`);
    const hit = await request("GET", `/dbs/${db}/colls/objects/docs/present`, undefined, pk);
    if (hit.status !== 200) throw new Error(`read present document: ${hit.status} ${hit.text}`);
    const miss = await request("GET", `/dbs/${db}/colls/objects/docs/missing`, undefined, pk);
    console.log(`point read of a missing id: ${miss.status} ${miss.text}`);
    if (miss.status !== 404) {
      throw new Error(`expected 404 for a missing id, got ${miss.status} (is patches/ applied? run npm ci in tools/emulators)`);
    }
    const wrongPk = await request("GET", `/dbs/${db}/colls/objects/docs/present`, undefined, {
      "x-ms-documentdb-partitionkey": JSON.stringify(["other"]),
    });
    if (wrongPk.status !== 404) throw new Error(`expected 404 for a wrong partition key, got ${wrongPk.status}`);
  } finally {
    await request("DELETE", `/dbs/${db}`).catch(() => {});
  }
  console.log("cosmosdb-server OK");
})().catch(err => {
  console.error(`cosmosdb-server check failed: ${err.message}`);
  process.exit(1);
});

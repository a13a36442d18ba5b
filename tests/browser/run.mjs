// Drives Debian's chromium (headless, through playwright-core; never a downloaded browser) through the test
// page, served here on its own localhost origin, against an R2Meta endpoint on another origin.
//
//   node run.mjs CONFIG.json     prints one JSON line: { "steps": { name: result, ... } }
//
// CONFIG (written by tests/R2Meta.EndToEnd.Tests/Browser/BrowserTests.cs): endpoint, accessKeyId,
// secretAccessKey, region, bucket (CORS rules allow this page), publicBucket (public-read), imageKey,
// artifacts (screenshot folder), chromium (executable).
import { createServer } from "node:http";
import { createHmac } from "node:crypto";
import { readFile, mkdir } from "node:fs/promises";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(await readFile(process.argv[2], "utf8"));
await mkdir(config.artifacts, { recursive: true });

const sdk = await esbuild.build({
  entryPoints: [join(here, "src", "sdk.js")],
  bundle: true,
  format: "iife",
  globalName: "R2MetaSdk",
  platform: "browser",
  target: "es2022",
  write: false,
  logLevel: "error",
});

const pages = {
  "/": ["text/html", await readFile(join(here, "page", "index.html"))],
  "/page.js": ["text/javascript", await readFile(join(here, "page", "page.js"))],
  "/sdk.js": ["text/javascript", sdk.outputFiles[0].contents],
};
const server = createServer((request, response) => {
  const url = new URL(request.url, "http://localhost");
  if (url.pathname === "/post-done") {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<!doctype html><h1>Redirected after the form POST</h1><pre>${[...url.searchParams].map(([k, v]) => `${k} = ${v}`).join("\n").replace(/</g, "&lt;")}</pre>`);
    return;
  }

  const [type, body] = pages[url.pathname] ?? [];
  response.writeHead(body ? 200 : 404, { "content-type": type ?? "text/plain" });
  response.end(body ?? "not found");
});
await new Promise(resolve => server.listen(0, "127.0.0.1", resolve));
// "localhost" here, "127.0.0.1" for the endpoint: another origin (host and port both differ).
const pageOrigin = `http://localhost:${server.address().port}`;

const browser = await chromium.launch({ executablePath: config.chromium, headless: true, args: ["--no-sandbox"] });
const steps = {};
const consoleLines = [];
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  page.on("console", m => consoleLines.push(`${m.type()}: ${m.text()}`));
  await page.goto(`${pageOrigin}/`);
  await page.evaluate(c => R2Page.init(c), config);

  const shot = name => page.screenshot({ path: join(config.artifacts, `${name}.png`), fullPage: true });
  const step = async (name, run) => {
    try {
      steps[name] = await run();
    } catch (e) {
      steps[name] = { ok: false, error: String(e?.stack ?? e) };
    }

    await shot(name).catch(() => {});
  };

  const file = { name: "hello.txt", mimeType: "text/plain", buffer: Buffer.from("hello from an <input type=file> " + new Date().toISOString()) };
  await step("1-presigned-put-get", async () => {
    await page.setInputFiles("#file", file);
    return page.evaluate(k => R2Page.presignedPutThenGet(k), "browser/presigned.txt");
  });

  await step("2-form-post", async () => {
    await page.setInputFiles("#file", file);
    const fields = postPolicyFields(`${pageOrigin}/post-done`);
    await Promise.all([page.waitForURL(/\/post-done/, { timeout: 60_000 }), page.evaluate(([f, n]) => R2Page.postForm(f, n), [fields, file.name])]);
    const landed = new URL(page.url());
    const result = { ok: landed.searchParams.get("key") === `post/${file.name}` && landed.searchParams.has("etag"), url: page.url() };
    await page.goto(`${pageOrigin}/`);
    await page.evaluate(c => R2Page.init(c), config);
    return result;
  });

  await step("3-sdk-multipart-list", () => page.evaluate(([k, n]) => R2Page.sdkMultipartAndList(k, n), ["browser/multipart.bin", 20 * 1024 * 1024]));
  await step("4-img-public-private", () => page.evaluate(
    ([a, b]) => R2Page.images(a, b),
    [`${config.endpoint}/${config.publicBucket}/${config.imageKey}`, `${config.endpoint}/${config.bucket}/${config.imageKey}`]));
  await step("5-refused-by-cors", () => page.evaluate(k => R2Page.refusedByCors(k), "browser/presigned.txt"));
} finally {
  await browser.close();
  server.close();
}

process.stdout.write(JSON.stringify({ pageOrigin, steps, console: consoleLines }) + "\n");

/** The fields of a browser form upload: a SigV4-signed POST policy (S3's "Browser-based uploads using POST"). */
function postPolicyFields(redirect) {
  const now = new Date();
  const date = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = date.slice(0, 8);
  const credential = `${config.accessKeyId}/${day}/${config.region}/s3/aws4_request`;
  const policy = Buffer.from(JSON.stringify({
    expiration: new Date(now.getTime() + 10 * 60_000).toISOString(),
    conditions: [
      { bucket: config.bucket },
      ["starts-with", "$key", "post/"],
      { success_action_redirect: redirect },
      ["content-length-range", 1, 1024 * 1024],
      { "x-amz-algorithm": "AWS4-HMAC-SHA256" },
      { "x-amz-credential": credential },
      { "x-amz-date": date },
    ],
  })).toString("base64");
  const hmac = (key, data) => createHmac("sha256", key).update(data).digest();
  let key = hmac(`AWS4${config.secretAccessKey}`, day);
  for (const part of [config.region, "s3", "aws4_request"]) {
    key = hmac(key, part);
  }

  return {
    key: "post/${filename}",
    success_action_redirect: redirect,
    "x-amz-algorithm": "AWS4-HMAC-SHA256",
    "x-amz-credential": credential,
    "x-amz-date": date,
    policy,
    "x-amz-signature": createHmac("sha256", key).update(policy).digest("hex"),
  };
}

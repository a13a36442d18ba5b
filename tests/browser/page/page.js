// The steps the browser test drives (tests/browser/run.mjs calls them through page.evaluate). Each resolves
// to a plain object of what the page could see, and reports itself in the page for the screenshot.
"use strict";

const R2Page = (() => {
  let config;
  let s3;

  function report(step, ok, detail) {
    const item = document.createElement("li");
    item.className = ok ? "ok" : "failed";
    item.textContent = `${step}: ${ok ? "ok" : "FAILED"} ${JSON.stringify(detail)}`;
    document.getElementById("steps").appendChild(item);
    return { ok, ...detail };
  }

  function init(c) {
    config = c;
    document.getElementById("origin").textContent = location.origin;
    document.getElementById("endpoint").textContent = config.endpoint;
    s3 = new R2MetaSdk.S3Client({
      endpoint: config.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    });
  }

  async function sha256Hex(buffer) {
    const digest = await crypto.subtle.digest("SHA-256", buffer);
    return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, "0")).join("");
  }

  // 1. The file chosen in <input type=file> goes up with a presigned PUT and comes back with a presigned GET.
  async function presignedPutThenGet(key) {
    const file = document.getElementById("file").files[0];
    const put = await R2MetaSdk.getSignedUrl(s3, new R2MetaSdk.PutObjectCommand({ Bucket: config.bucket, Key: key }), { expiresIn: 600 });
    const putResponse = await fetch(put, { method: "PUT", body: file });
    const get = await R2MetaSdk.getSignedUrl(s3, new R2MetaSdk.GetObjectCommand({ Bucket: config.bucket, Key: key }), { expiresIn: 600 });
    const getResponse = await fetch(get);
    const bytes = await getResponse.arrayBuffer();
    const sent = await file.arrayBuffer();
    const detail = {
      putStatus: putResponse.status,
      putETag: putResponse.headers.get("ETag"),
      getStatus: getResponse.status,
      etag: getResponse.headers.get("ETag"),
      length: bytes.byteLength,
      sameBytes: (await sha256Hex(bytes)) === (await sha256Hex(sent)),
    };
    return report("presigned PUT + GET", detail.sameBytes && detail.etag !== null, detail);
  }

  // 2. A form POST upload with a policy, following success_action_redirect (needs PostObject).
  function postForm(fields, fileName) {
    const form = document.getElementById("post-form");
    form.action = `${config.endpoint}/${config.bucket}`;
    form.replaceChildren();
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }

    // The file field must come last: S3 ignores fields after it.
    const file = document.getElementById("file");
    file.name = "file";
    form.appendChild(file);
    report("form POST", true, { submitting: fileName });
    form.submit();
  }

  // 3. The SDK itself: a 20 MB multipart upload with lib-storage, then ListObjectsV2.
  async function sdkMultipartAndList(key, size) {
    const body = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      body[i] = (i * 2654435761) >>> 13 & 0xff;
    }

    let parts = 0;
    const upload = new R2MetaSdk.Upload({ client: s3, params: { Bucket: config.bucket, Key: key, Body: body }, partSize: 5 * 1024 * 1024, queueSize: 2 });
    upload.on("httpUploadProgress", () => parts++);
    const done = await upload.done();
    const listed = await s3.send(new R2MetaSdk.ListObjectsV2Command({ Bucket: config.bucket, Prefix: key }));
    const entry = (listed.Contents ?? []).find(o => o.Key === key);
    const detail = { etag: done.ETag ?? null, progressEvents: parts, listedSize: entry?.Size ?? null, keyCount: listed.KeyCount };
    return report("SDK multipart + ListObjectsV2", entry?.Size === size && /-\d+"?$/.test(done.ETag ?? ""), detail);
  }

  function loadImage(src) {
    return new Promise(resolve => {
      const img = document.createElement("img");
      img.onload = () => resolve({ loaded: true, naturalWidth: img.naturalWidth });
      img.onerror = () => resolve({ loaded: false, naturalWidth: img.naturalWidth });
      img.alt = src;
      img.src = src;
      document.getElementById("images").appendChild(img);
    });
  }

  // 4. <img> from a public bucket renders; the same from a private bucket does not.
  async function images(publicSrc, privateSrc) {
    const publicImage = await loadImage(publicSrc);
    const privateImage = await loadImage(privateSrc);
    return report("img public / private", publicImage.naturalWidth > 0 && !privateImage.loaded, { publicImage, privateImage });
  }

  // 5. A request the bucket's CORS rules refuse (a method no rule allows) fails in the browser too.
  async function refusedByCors(key) {
    const url = await R2MetaSdk.getSignedUrl(s3, new R2MetaSdk.DeleteObjectCommand({ Bucket: config.bucket, Key: key }), { expiresIn: 600 });
    try {
      const response = await fetch(url, { method: "DELETE" });
      return report("refused by CORS", false, { refused: false, status: response.status });
    } catch (e) {
      return report("refused by CORS", true, { refused: true, error: String(e) });
    }
  }

  return { init, presignedPutThenGet, postForm, sdkMultipartAndList, images, refusedByCors };
})();

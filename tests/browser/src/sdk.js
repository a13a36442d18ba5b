// The AWS SDK for JavaScript v3 as a page would ship it: bundled for the browser by esbuild (run.mjs)
// into one script that sets window.R2MetaSdk.
export { S3Client, PutObjectCommand, GetObjectCommand, DeleteObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
export { Upload } from "@aws-sdk/lib-storage";
export { getSignedUrl } from "@aws-sdk/s3-request-presigner";

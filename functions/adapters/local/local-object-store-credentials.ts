/**
 * s3rver's one account: its access key id is required, the secret is not checked. s3rver signs bucket-level
 * paths without the trailing slash the AWS SDK for JavaScript v3 signs (`/bucket/?list-type=2`), so signature
 * checks are off (allowMismatchedSignatures); the store listens on 127.0.0.1 only (docs/api.md, "Local object store").
 *
 * A module of its own because the etl S3 client, which names it when pointed at the store, is bundled into the
 * task-runner Lambda: importing it from local-object-store.ts shipped s3rver, Koa and winston (740 KB) in a
 * chunk the Lambda never loads (test/lib/definitions/lambda-build.test.ts).
 */
export const LOCAL_OBJECT_STORE_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

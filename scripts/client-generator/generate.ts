/**
 * `npm run generate:client`: writes client/schema.ts, the TypeScript types of the OpenAPI document
 * (openapi-typescript), which client/index.ts hands to openapi-fetch. The document is built in
 * process from the route table and the zod schemas, exactly as the server serves it, so the client
 * can never describe another API than this code's. test/client/generated-client.test.ts fails when
 * the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from '../../functions/system/openapi.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../../client/schema.ts', import.meta.url));

const HEADER = `/**
 * The Stepwise API's types, generated from its OpenAPI document by \`npm run generate:client\`
 * (scripts/client-generator/generate.ts, openapi-typescript). Do not edit by hand.
 */
`;

export async function generateClientSchema(): Promise<string> {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const document = buildOpenApiDocument(version);
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    // Optional response fields stay optional; absent headers are allowed.
    alphabetize: false,
    exportType: false,
  });
  return `${HEADER}${astToString(ast)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, await generateClientSchema());
  console.info(`wrote ${SCHEMA_FILE}`);
}

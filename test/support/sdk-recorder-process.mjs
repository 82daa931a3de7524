/**
 * The local server's share of the SDK call recordings (test/support/sdk-recorder.ts): the e2e
 * global setup starts the server with `NODE_OPTIONS=--import <this file>`, so the DynamoDB calls the
 * adapters make while serving real requests are recorded too. Plain JavaScript: it loads before tsx.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'node_modules', '.cache', 'stepwise-sdk-calls');
const file = join(dir, `local-server-${process.pid}.json`);
const recorded = new Map();

function frame(stack) {
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:async )?(?:(.+?) \()?(?:file:\/\/)?([^()\s]+?):\d+:\d+\)?$/.exec(line);
    if (!m) continue;
    const path = relative(root, m[2].split('?')[0]);
    if (path.startsWith('functions/adapters/')) return { adapter: path, caller: m[1] ?? '<anonymous>' };
  }
  return undefined;
}

function flush() {
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify([...recorded.values()])}\n`);
}

const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
const original = DynamoDBDocumentClient.prototype.send;
DynamoDBDocumentClient.prototype.send = function send(command, ...rest) {
  const at = frame(new Error().stack ?? '');
  if (at) {
    const input = JSON.parse(JSON.stringify(command?.input ?? null, (_k, v) => (v instanceof Uint8Array ? { $bytes: v.length } : v instanceof Set ? [...v] : v)));
    const call = { testFile: 'test/support/global-setup.ts', ...at, client: 'DynamoDBDocumentClient', command: command?.constructor?.name ?? 'unknown', input };
    // One per adapter call site and command (and index): the shape is what IAM is asked about.
    const key = JSON.stringify([at.adapter, at.caller, call.command, input?.IndexName, command?.constructor?.name === 'TransactWriteCommand' ? input : null]);
    // Written as soon as something new is seen, so nothing depends on how the server is stopped.
    if (!recorded.has(key)) {
      recorded.set(key, call);
      flush();
    }
  }
  return original.call(this, command, ...rest);
};

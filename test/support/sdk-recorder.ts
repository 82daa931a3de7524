/**
 * Records every AWS SDK command an adapter sends while the tests run — through aws-sdk-client-mock
 * (adapter tests) or for real to DynamoDB Local (integration tests) — with the adapter function that
 * sent it. The deploy check (test/deploy/iam-simulation.test.ts) simulates each recorded command
 * against the synthesized policies of every function that uses that adapter, so a new command
 * without a grant fails there without anyone adding a row (docs/deploy.md#offline-deploy-check).
 *
 * Loaded as a setup file by the unit and e2e projects (vitest.config.ts); one file per test file
 * under node_modules/.cache/stepwise-sdk-calls/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, afterEach, expect, vi } from 'vitest';
import { RECORDINGS_DIR, REPO_ROOT, type RecordedCall } from './sdk-recordings.ts';

interface SinonCall {
  readonly args: unknown[];
  readonly stack: string;
}
interface RecordedStub {
  calls(): SinonCall[];
}

const stubs = new Map<RecordedStub, string>();
const recorded: RecordedCall[] = [];
let flushedCalls = new WeakSet<SinonCall>();

/** `at Class.method (/repo/functions/adapters/…/file.ts:1:2)` → the first frame inside functions/adapters. */
export function adapterFrame(stack: string): { adapter: string; caller: string } | undefined {
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:async )?(?:(.+?) \()?(?:file:\/\/)?([^()\s]+?):\d+:\d+\)?$/.exec(line);
    if (!m) continue;
    const file = relative(REPO_ROOT, m[2]!.split('?')[0]!);
    if (!file.startsWith('functions/adapters/')) continue;
    return { adapter: file, caller: (m[1] ?? '<anonymous>').replace(/^new /, 'new ') };
  }
  return undefined;
}

function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (v instanceof Uint8Array) return { $bytes: v.length };
      if (v instanceof Set) return [...(v as Set<unknown>)];
      if (typeof v === 'bigint') return String(v);
      return v;
    }) ?? 'null',
  ) as unknown;
}

function record(clientName: string, command: unknown, stack: string): void {
  const frame = adapterFrame(stack);
  if (!frame) return;
  const cmd = command as { constructor?: { name?: string }; input?: unknown };
  recorded.push({
    testFile: relative(REPO_ROOT, expect.getState().testPath ?? 'unknown'),
    ...frame,
    client: clientName,
    command: cmd.constructor?.name ?? 'unknown',
    input: plain(cmd.input),
  });
}

// aws-sdk-client-mock: every mock made is remembered, and its calls are read after each
// case, before the next case's reset() clears them.
vi.mock('aws-sdk-client-mock', async (importOriginal) => {
  const original = await importOriginal<typeof import('aws-sdk-client-mock')>();
  return {
    ...original,
    mockClient: ((client: unknown, options?: unknown) => {
      const stub = original.mockClient(client as never, options as never);
      const name = (typeof client === 'function' ? client.name : (client as { constructor: { name: string } }).constructor.name) || 'unknown';
      stubs.set(stub as unknown as RecordedStub, name);
      return stub;
    }) as typeof original.mockClient,
  };
});

// Real DynamoDB calls (DynamoDB Local in *.int.test.ts): wrap send on the clients' prototypes.
// A mock of the same client replaces the wrapper while it is active, so nothing is counted twice.
const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
for (const Client of [DynamoDBDocumentClient, DynamoDBClient] as { prototype: { send: (...args: unknown[]) => unknown }; name: string }[]) {
  const original = Client.prototype.send;
  if ((original as { stepwiseRecorded?: boolean }).stepwiseRecorded) continue;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    record(Client.name, args[0], new Error().stack ?? '');
    return original.apply(this, args);
  };
  (wrapped as { stepwiseRecorded?: boolean }).stepwiseRecorded = true;
  Client.prototype.send = wrapped;
}

afterEach(() => {
  for (const [stub, name] of stubs) {
    let calls: SinonCall[];
    try {
      calls = stub.calls();
    } catch {
      continue;
    }
    for (const call of calls) {
      if (flushedCalls.has(call)) continue;
      flushedCalls.add(call);
      record(name, call.args[0], call.stack);
    }
  }
});

afterAll(() => {
  flushedCalls = new WeakSet();
  const testFile = relative(REPO_ROOT, expect.getState().testPath ?? '');
  if (!testFile) return;
  mkdirSync(RECORDINGS_DIR, { recursive: true });
  const mine = recorded.filter((r) => r.testFile === testFile);
  writeFileSync(join(RECORDINGS_DIR, `${testFile.replace(/[^A-Za-z0-9.-]+/g, '_')}.json`), `${JSON.stringify(mine)}\n`);
});

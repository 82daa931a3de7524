/**
 * Capabilities as data, checked on the synthesized stacks (docs/architecture.md#where-each-fact-lives):
 * every deployed function's environment, as CloudFormation would resolve it, goes through the same
 * parser the function runs at cold start (functions/root/config.ts) with the function's declared
 * capabilities (lib/definitions/capabilities.ts). A capability whose setting CDK forgot, or a
 * malformed value, fails here instead of at the first invocation; a variable no capability names
 * is one nobody reads.
 */
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, type CapabilitySpec, FUNCTION_CAPABILITIES } from '../../lib/definitions/capabilities.ts';
import { parseConfig } from '../../functions/root/config.ts';
import { buildWorld, LONGEST_DEV_STAGE, LONGEST_PROD_STAGE } from './support/world.ts';

/** Set on every function by StepwiseFunction (lib/constructs/stepwise-function.ts), read by the root or Node itself. */
const PLATFORM_SETTINGS = new Set(['STEPWISE_MODE', 'STEPWISE_STAGE', 'APP_VERSION', 'LOG_LEVEL', 'AWS_NODEJS_CONNECTION_REUSE_ENABLED']);

const worlds = [
  buildWorld(LONGEST_DEV_STAGE),
  buildWorld(LONGEST_PROD_STAGE, { chatEngine: 'bedrock', bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0', corsOrigins: 'https://app.example.com' }),
];

describe.each(worlds.map((w) => [w.stage, w] as const))('every function of stage %s', (_stage, world) => {
  it('declares its capabilities', () => {
    expect(world.functions.map((f) => f.key).toSorted()).toEqual(Object.keys(FUNCTION_CAPABILITIES).toSorted());
  });

  it.each(world.functions.map((f) => [f.key, f] as const))('%s starts: its environment satisfies its capabilities', (key, fn) => {
    expect(() => parseConfig(fn.environment, FUNCTION_CAPABILITIES[key])).not.toThrow();
  });

  it.each(world.functions.map((f) => [f.key, f] as const))('%s gets only settings its capabilities name', (key, fn) => {
    const named = new Set((FUNCTION_CAPABILITIES[key] ?? []).flatMap((c) => {
      const spec: CapabilitySpec = CAPABILITIES[c];
      return [...(spec.requires ?? []), ...(spec.reads ?? [])];
    }));
    expect(Object.keys(fn.environment).filter((name) => !PLATFORM_SETTINGS.has(name) && !named.has(name as never))).toEqual([]);
  });

  it('and a function missing a required setting would not start', () => {
    const tasks = world.functions.find((f) => f.key === 'Api/TasksFunction')!;
    const { TABLE_NAME: _dropped, ...without } = tasks.environment;
    expect(() => parseConfig(without, FUNCTION_CAPABILITIES['Api/TasksFunction'])).toThrow(/TABLE_NAME: is required \(capability table:read-write\)/);
  });
});

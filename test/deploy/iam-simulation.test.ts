/**
 * The offline deploy check, part 1 (docs/deploy.md#offline-deploy-check): every SDK command the
 * adapters were recorded sending (test/support/sdk-recorder.ts, while the unit and e2e projects
 * ran) is simulated, as the IAM requests AWS would authorise (support/authorization.ts), against
 * the synthesized policies of every function whose capabilities use that adapter
 * (lib/definitions/capabilities.ts). Any denial fails. Runs at the longest stage names, dev-like and
 * prod-like, with the Bedrock engine on so its grant is checked too.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES, type AdapterUse, type Capability, FUNCTION_CAPABILITIES, OPERATOR_ADAPTERS } from '../../lib/definitions/capabilities.ts';
import type { RecordedCall } from '../support/sdk-recordings.ts';
import { type IamRequest, requestsFor } from './support/authorization.ts';
import { commandsInSource, LOCAL_ONLY, loadRecordings } from './support/recordings.ts';
import { ACCOUNT, buildWorld, type DeployedFunction, LONGEST_DEV_STAGE, LONGEST_PROD_STAGE, type World } from './support/world.ts';

const OPTIONAL_FEATURES = { chatEngine: 'bedrock', bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0', emailSender: 'noreply@example.com' } as const;

let recordings: RecordedCall[];
let worlds: World[];

beforeAll(() => {
  recordings = loadRecordings().filter((c) => !LOCAL_ONLY.test(c.adapter));
  worlds = [buildWorld(LONGEST_DEV_STAGE, OPTIONAL_FEATURES), buildWorld(LONGEST_PROD_STAGE, { ...OPTIONAL_FEATURES, corsOrigins: 'https://app.example.com' })];
});

function uses(fn: DeployedFunction): AdapterUse[] {
  return (FUNCTION_CAPABILITIES[fn.key] ?? []).flatMap((c: Capability): AdapterUse[] => [...CAPABILITIES[c].adapters]).filter((u) => !u.when || fn.environment[u.when] !== undefined);
}

function matches(use: AdapterUse, call: RecordedCall): boolean {
  const adapter = use.adapter.endsWith('*') ? call.adapter.startsWith(use.adapter.slice(0, -1)) : call.adapter === use.adapter;
  return adapter && !use.excluding?.includes(call.adapter) && (!use.callers || use.callers.includes(call.caller));
}

/** One recorded call per distinct (adapter, caller, command, input shape): inputs differing only in values ask IAM the same. */
function distinct(calls: RecordedCall[]): RecordedCall[] {
  const shape = (v: unknown): unknown => (Array.isArray(v) ? v.map(shape) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : typeof v);
  const seen = new Set<string>();
  return calls.filter((c) => {
    // Which secret, index or transaction items a call names changes what IAM is asked: keep those whole.
    const whole = c.client === 'SecretsManagerClient' || c.command.startsWith('Transact') || c.command === 'QueryCommand';
    const key = JSON.stringify([c.adapter, c.caller, c.client, c.command, whole ? c.input : shape(c.input)]);
    return !seen.has(key) && seen.add(key);
  });
}

/** The IAM requests a function's recorded calls make, each asked once (many calls ask IAM the same thing). */
function uniqueRequests(world: World, fn: DeployedFunction): { call: RecordedCall; request: IamRequest }[] {
  const out = new Map<string, { call: RecordedCall; request: IamRequest }>();
  for (const call of distinct(recordings.filter((c) => uses(fn).some((u) => matches(u, c))))) {
    for (const request of requestsFor(call, { world, fn, env: fn.environment })) {
      const key = JSON.stringify(request);
      if (!out.has(key)) out.set(key, { call, request });
    }
  }
  return [...out.values()];
}

interface Verdict {
  readonly fn: string;
  readonly call: string;
  readonly request: IamRequest;
  readonly result: string;
}

/**
 * The resource's own policy where the service has one Stepwise sets: a KMS key policy (KMS needs
 * the key policy to allow, here by delegating to the account's IAM) or an SQS queue policy
 * (TLS-only denies).
 */
function resourcePolicyFor(world: World, resource: string): unknown {
  if (resource.startsWith('arn:aws:kms:')) {
    const key = world.resourcesOf('AWS::KMS::Key').find(({ info, logicalId }) => world.evaluate({ 'Fn::GetAtt': [logicalId, 'Arn'] }, info) === resource);
    return key?.properties.KeyPolicy;
  }
  if (resource.startsWith('arn:aws:sqs:')) {
    const name = resource.slice(resource.lastIndexOf(':') + 1);
    const policies = world.resourcesOf('AWS::SQS::QueuePolicy').filter(({ properties }) => JSON.stringify(properties.Queues).includes(`/${name}"`));
    return policies[0]?.properties.PolicyDocument;
  }
  return undefined;
}

/**
 * The library accepts condition keys with a `/` variable (aws:RequestTag/…) but drops those with a
 * `:` variable, such as kms:EncryptionContext:SecretARN, from the request. Both the policies and the
 * request get such keys under one global-key stand-in, so the condition is still evaluated exactly
 * (same operator, same values), instead of failing as "missing".
 */
function stand(value: unknown): unknown {
  const rename = (k: string) => k.replace(/^kms:EncryptionContext:(.+)$/i, 'aws:RequestTag/stepwise-kms-context-$1');
  if (Array.isArray(value)) return value.map(stand);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), stand(v)]));
}

async function simulate(fn: DeployedFunction, request: IamRequest, world?: World): Promise<string> {
  const resourcePolicy = world ? resourcePolicyFor(world, request.resource) : undefined;
  const simulation: Simulation = {
      identityPolicies: fn.policies.map((p) => ({ name: p.name, policy: stand(p.document) as never })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy: stand(resourcePolicy) as never } : {}),
      request: {
        principal: fn.roleArn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resource === '*' ? ACCOUNT : request.resource.split(':')[4] || ACCOUNT },
        // The SDK always uses TLS; the caller is this function's role in this account.
        contextVariables: stand({ 'aws:SecureTransport': 'true', 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalArn': fn.roleArn, ...request.context }) as Record<string, string | string[]>,
      },
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors)}`;
  return result.overallResult;
}

describe('IAM simulation of every command the adapters send', () => {
  it('has a recording of every command the adapters’ source sends (run the unit and e2e projects first: npm test does)', () => {
    expect(recordings.length, 'no recordings: run `npm test` (or the unit project) before the deploy project').toBeGreaterThan(0);
    const recorded = new Set(recordings.map((c) => `${c.adapter} ${c.command}`));
    const missing = commandsInSource().filter((c) => !recorded.has(`${c.adapter} ${c.command}`)).map((c) => `${c.adapter}: ${c.command} is sent but no test made it send it`);
    expect(missing).toEqual([]);
  });

  it('declares the capabilities of exactly the deployed functions', () => {
    for (const world of worlds) {
      expect(world.functions.map((f) => f.key).toSorted()).toEqual(Object.keys(FUNCTION_CAPABILITIES).toSorted());
    }
  });

  it('gives every recorded adapter call to at least one function (a new adapter method must say who sends it)', () => {
    const world = worlds[0]!;
    const unclaimed = distinct(recordings)
      .filter((call) => !OPERATOR_ADAPTERS.includes(call.adapter) && !world.functions.some((fn) => uses(fn).some((u) => matches(u, call))))
      .map((c) => `${c.adapter} ${c.caller} ${c.command}`);
    expect([...new Set(unclaimed)]).toEqual([]);
  });

  it('allows every request every function’s adapters make, at the longest dev and prod stage names (zero denials)', async () => {
    const verdicts: Verdict[] = [];
    const commands = new Set<string>();
    for (const world of worlds) {
      for (const fn of world.functions) {
        for (const call of recordings.filter((c) => uses(fn).some((u) => matches(u, c)))) commands.add(`${call.client} ${call.command}`);
        for (const { call, request } of uniqueRequests(world, fn)) {
          verdicts.push({ fn: `${world.stage} ${fn.key}`, call: `${call.adapter} ${call.caller} ${call.command}`, request, result: await simulate(fn, request, world) });
        }
      }
    }
    const denied = verdicts.filter((v) => v.result !== 'Allowed').map((v) => `${v.fn}: ${v.call} → ${v.request.action} on ${v.request.resource} ${JSON.stringify(v.request.context ?? {})}: ${v.result}`);
    expect(denied).toEqual([]);
    // Every command any deployed adapter sends was simulated (docs/deploy.md#offline-deploy-check states the count).
    const sent = new Set(commandsInSource().filter((c) => !OPERATOR_ADAPTERS.includes(c.adapter)).map((c) => c.command));
    expect([...sent].filter((c) => ![...commands].some((k) => k.endsWith(` ${c}`)))).toEqual([]);
    console.info(`deploy check: ${commands.size} distinct SDK commands (${sent.size} in adapter source), ${verdicts.length} distinct IAM requests simulated across ${worlds.length} stages, 0 denied`);
  });

  it('denies what the grants must not allow: another stage’s resources, and a lambda node outside the opt-in prefix', async () => {
    // Stage `pr` vs `pr-42`: the requests pr-42's functions make, asked of pr's corresponding roles.
    const pr = buildWorld('pr');
    const pr42 = buildWorld('pr-42');
    const leaks: string[] = [];
    for (const fn of pr42.functions) {
      const twin = pr.functions.find((f) => f.key === fn.key)!;
      for (const { request } of uniqueRequests(pr42, fn)) {
        // Only what is named after the stage; "*" actions (X-Ray, log delivery, ListSecrets) are account-wide by nature.
        if (!/pr-42|pr_42/.test(request.resource)) continue;
        if ((await simulate(twin, request, pr)) === 'Allowed') leaks.push(`${fn.key}: ${request.action} on ${request.resource}`);
      }
    }
    expect(leaks).toEqual([]);
    const runner = pr.functions.find((f) => f.key === 'Workflow/TaskRunner')!;
    expect(await simulate(runner, { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:stepwise-pr-task-runner` })).not.toBe('Allowed');
    expect(await simulate(runner, { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:stepwise-pr-fn_enrich` })).toBe('Allowed');
  });

  it('would have caught the missing PublishStateMachineVersion grant (issue 12, item 1)', async () => {
    const world = worlds[0]!;
    const workflows = world.functions.find((f) => f.key === 'Api/WorkflowsFunction')!;
    const stripped: DeployedFunction = {
      ...workflows,
      policies: workflows.policies.map((p) => ({
        ...p,
        document: { ...p.document, Statement: p.document.Statement.map((s) => ({ ...(s as object), Action: [(s as { Action: string | string[] }).Action].flat().filter((a) => a !== 'states:PublishStateMachineVersion') })) },
      })),
    };
    const publish = recordings.find((c) => c.command === 'UpdateStateMachineCommand')!;
    const results = await Promise.all(requestsFor(publish, { world, fn: stripped, env: stripped.environment }).map((r) => simulate(stripped, r)));
    expect(results).toContain('ImplicitlyDenied');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../functions/adapters/local/dynamodb-local.ts';
import { startLocalServerProcess, type LocalServerProcess } from '../../scripts/local-server-process.ts';
import { apiAt, newAccount } from '../support/api-client.ts';
import { eventually } from '../support/polling.ts';

/**
 * Triggers end to end on a server of their own (bin/local.ts as a child process, its own table on
 * the shared DynamoDB Local), time-scaled so a cron minute passes in 0.3 s: schedules fire, survive a
 * restart and stop when paused; webhooks start runs with their body; events start listeners but
 * never a workflow from its own events; and the processes view shows it all.
 */
const TIME_SCALE = 0.005;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Client = ReturnType<typeof apiAt>;

describe('workflow triggers (end to end)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-triggers-'));
  const table = `stepwise-triggers-${Date.now().toString(36)}`;
  let port: number;
  let server: LocalServerProcess | undefined;
  const output = () => server?.output() ?? '';
  let baseUrl: string;
  let anon: Client;
  let user: Client;

  async function start(): Promise<void> {
    server = await startLocalServerProcess({
      port,
      env: {
        STEPWISE_DATA_DIR: dataDir,
        DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        STEPWISE_TABLE_NAME: table,
        STEPWISE_TIME_SCALE: String(TIME_SCALE),
        // The test polls far beyond a plan's 100 requests a minute; rate limits have their own e2e test.
        RATE_LIMIT_ANONYMOUS: '100000',
        RATE_LIMIT_FREE: '100000',
      },
    });
  }

  async function stop(): Promise<void> {
    await server?.stop();
  }

  beforeAll(async () => {
    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    await start();
    anon = apiAt(baseUrl);
    user = (await newAccount('trig', baseUrl)).client;
  }, 60_000);

  afterAll(async () => {
    const exitCode = server?.child.exitCode;
    if (exitCode !== null && exitCode !== undefined && exitCode !== 0) console.error(`triggers server exited with ${exitCode}:\n${output()}`);
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const runsOf = async (workflowId: string) => (await user.get(`/api/v1/executions?workflow_id=${workflowId}&limit=100`)).body.data as any[];
  const steps = [{ type: 'transform', expression: '1 + 1' }];

  describe('schedule', () => {
    it('rejects a bad cron or an unknown time zone, naming the field', async () => {
      const badCron = await user.post('/api/v1/workflows', { name: 'bad cron', trigger: { type: 'schedule', cron: '61 * * * *' }, steps });
      expect(badCron.status).toBe(400);
      expect(badCron.body.error).toMatchObject({ code: 'validation_error', field: 'trigger.cron' });
      const badZone = await user.post('/api/v1/workflows', { name: 'bad zone', trigger: { type: 'schedule', cron: '0 9 * * *', timezone: 'Mars/Olympus_Mons' }, steps });
      expect(badZone.status).toBe(400);
      expect(badZone.body.error).toMatchObject({ code: 'validation_error', field: 'trigger.timezone' });
      const dryRun = await user.post('/api/v1/workflows/validate', { trigger: { type: 'schedule', cron: '0 9 * *' }, steps });
      expect(dryRun.body.error).toMatchObject({ field: 'trigger.cron' });
    });

    it('fires every slot once with trigger "schedule", survives a restart, and stops while paused', async () => {
      const created = await user.post('/api/v1/workflows', { name: 'Every minute', trigger: { type: 'schedule', cron: '* * * * *', timezone: 'Europe/Berlin' }, steps });
      expect(created.status).toBe(201);
      expect(created.body.trigger).toEqual({ type: 'schedule', cron: '* * * * *', timezone: 'Europe/Berlin' });
      const id = created.body.id as string;

      const fired = await eventually(() => runsOf(id), (runs) => runs.length >= 2);
      expect(fired.length).toBeGreaterThanOrEqual(2);
      for (const run of fired) expect(run.trigger).toBe('schedule');
      const detail = (await user.get(`/api/v1/executions/${fired[0].execution_id}`)).body;
      expect(detail.input.trigger.scheduled_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);

      // A restart rebuilds the loop from the stored schedule.
      const before = (await runsOf(id)).length;
      await stop();
      await start();
      const after = await eventually(() => runsOf(id), (runs) => runs.length >= before + 2);
      expect(after.length).toBeGreaterThanOrEqual(before + 2);
      const slots = await Promise.all(after.map(async (r) => (await user.get(`/api/v1/executions/${r.execution_id}`)).body.input.trigger.scheduled_time as string));
      expect(new Set(slots).size).toBe(slots.length);

      expect((await user.patch(`/api/v1/workflows/${id}`, { status: 'paused' })).status).toBe(200);
      await sleep(500);
      const paused = (await runsOf(id)).length;
      await sleep(1_500); // five cron minutes at this scale
      expect((await runsOf(id)).length).toBe(paused);

      const process = (await user.get('/api/v1/processes?limit=100')).body.processes.find((p: any) => p.process_id === id);
      expect(process).toMatchObject({ name: 'Every minute', trigger_type: 'time_based', schedule: '* * * * *', timezone: 'Europe/Berlin', is_active: false, status: 'paused' });
      expect(process.last_execution).toMatch(/^\d{4}-/);
    }, 60_000);
  });

  describe('webhook', () => {
    let id: string;
    let url: string;

    beforeAll(async () => {
      // CloudFlow's own example sends the caller's URL along; it is accepted and ignored.
      const created = await user.post('/api/v1/workflows', { name: 'On order', trigger: { type: 'webhook', url: 'https://your-app.com/webhook' }, steps });
      if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
      id = created.body.id;
      url = created.body.webhook_url;
    });

    it('shows the absolute hook URL once, on create', async () => {
      expect(url).toMatch(new RegExp(`^${baseUrl}/api/v1/hooks/${id}/wht_[A-Za-z0-9_-]{43}$`));
      const shown = (await user.get(`/api/v1/workflows/${id}`)).body;
      expect(shown.trigger).toEqual({ type: 'webhook' });
      expect(shown).not.toHaveProperty('webhook_url');
    });

    it('starts a run with the body as input, without any credential, and records it as a webhook run', async () => {
      const res = await anon.post(url, { order: 42, items: ['a'] });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ workflow_id: id, status: expect.stringMatching(/running|completed/) });
      const run = (await user.get(`/api/v1/executions/${res.body.execution_id}`)).body;
      expect(run).toMatchObject({ trigger: 'webhook', input: { order: 42, items: ['a'] } });
      // A retried delivery with the same Standard Webhooks id is the same run.
      const first = await anon.post(url, { n: 1 }, { 'webhook-id': 'msg_1' });
      const again = await anon.post(url, { n: 1 }, { 'webhook-id': 'msg_1' });
      expect(again.body.execution_id).toBe(first.body.execution_id);
    });

    it('wants a JSON object', async () => {
      const res = await anon.post(url, [1, 2]);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect((await anon.post(url, '{not json')).body.error.code).toBe('invalid_json');
    });

    it('answers 404 for a wrong token or another workflow’s token', async () => {
      const other = await user.post('/api/v1/workflows', { name: 'Other hook', trigger: { type: 'webhook' }, tasks: [{ name: 'a', type: 'transform', payload: { expression: '1' } }] });
      expect(other.body.webhook_url).toBeDefined();
      const otherToken = (other.body.webhook_url as string).split('/').pop();
      for (const bad of [`${baseUrl}/api/v1/hooks/${id}/wht_${'x'.repeat(43)}`, `${baseUrl}/api/v1/hooks/${id}/${otherToken}`, `${baseUrl}/api/v1/hooks/wf_01ARZ3NDEKTSV4RRFFQ69G5FAV/${otherToken}`]) {
        const res = await anon.post(bad, {});
        expect(res.status, bad).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
    });

    it('rotates the token: the new URL works once shown, the old one is 404', async () => {
      const rotated = await user.post(`/api/v1/workflows/${id}/webhook-token`);
      expect(rotated.status).toBe(201);
      expect(rotated.body.webhook_url).toMatch(new RegExp(`^${baseUrl}/api/v1/hooks/${id}/wht_`));
      expect(rotated.body.webhook_url).not.toBe(url);
      expect((await anon.post(url, { ping: 1 })).status).toBe(404);
      expect((await anon.post(rotated.body.webhook_url, { ping: 1 })).status).toBe(202);
      url = rotated.body.webhook_url;
    });

    it('refuses rotation for a workflow without a webhook trigger, and stops the hook when the trigger goes', async () => {
      const manual = await user.post('/api/v1/workflows', { name: 'Manual', steps });
      const refused = await user.post(`/api/v1/workflows/${manual.body.id}/webhook-token`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.field).toBe('trigger');
      expect((await user.put(`/api/v1/workflows/${id}`, { trigger: { type: 'manual' }, steps })).status).toBe(200);
      expect((await anon.post(url, {})).status).toBe(404);
    });

    it('takes FlowRunner’s metadata.trigger too', async () => {
      const definition = ['metadata:', '  name: Hooked flow', '  trigger:', '    type: webhook', 'nodes:', '  one:', '    type: transform', '    params:', '      expression: "1"'].join('\n');
      const flow = await user.post('/api/v1/flows', { definition });
      expect(flow.status).toBe(201);
      expect(flow.body.trigger).toEqual({ type: 'webhook' });
      expect((await anon.post(flow.body.webhook_url, { via: 'flowrunner' })).status).toBe(202);
    });
  });

  describe('event', () => {
    it('starts a listener when a matching event occurs, never from its own events, and not when the filter fails', async () => {
      // The filter admits its own name too: only the own-events rule keeps it from starting itself.
      const listener = await user.post('/api/v1/workflows', {
        name: 'After any completion',
        trigger: { type: 'event', events: ['workflow.completed'], filter: { 'data.workflow_name': ['Source', 'After any completion'] } },
        steps,
      });
      const filtered = await user.post('/api/v1/workflows', { name: 'Never', trigger: { type: 'event', event: 'workflow.completed', filter: { 'data.workflow_name': 'nothing by this name' } }, steps });
      expect(listener.status).toBe(201);
      expect(filtered.body.trigger).toEqual({ type: 'event', events: ['workflow.completed'], filter: { 'data.workflow_name': 'nothing by this name' } });
      const source = await user.post('/api/v1/workflows', { name: 'Source', steps });
      const run = await user.post(`/api/v1/workflows/${source.body.id}/run`, { input: { n: 1 } });
      expect(run.status).toBe(202);

      const started = await eventually(() => runsOf(listener.body.id), (runs) => runs.length >= 1 && runs.every((r) => r.status === 'completed'));
      expect(started).toHaveLength(1);
      expect(started[0].trigger).toBe('event');
      const input = (await user.get(`/api/v1/executions/${started[0].execution_id}`)).body.input;
      expect(input).toMatchObject({ event: 'workflow.completed', data: { workflow_id: source.body.id, execution_id: run.body.execution_id }, trigger: { type: 'event', depth: 1 } });
      // Its own completion (and the other listeners' runs, had any started) must not start it again.
      await sleep(2_000);
      expect(await runsOf(listener.body.id)).toHaveLength(1);
      expect(await runsOf(filtered.body.id)).toHaveLength(0);
    }, 40_000);
  });

  it('lists processes with Behflow’s fields, paginated', async () => {
    const page = await user.get('/api/v1/processes?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(2);
    expect(page.body.processes).toEqual(page.body.data);
    expect(page.body.pagination).toMatchObject({ limit: 2, offset: 0, has_more: true });
    const all = (await user.get('/api/v1/processes?limit=100')).body.processes as any[];
    expect(all.length).toBe(page.body.pagination.total);
    for (const p of all) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['process_id', 'name', 'description', 'trigger_type', 'schedule', 'is_active', 'last_execution']));
    }
    const byName = (name: string) => all.find((p) => p.name === name);
    expect(byName('Manual')).toMatchObject({ trigger_type: 'manual', schedule: null, is_active: true, last_execution: null });
    expect(byName('Other hook')).toMatchObject({ trigger_type: 'event_based', trigger: { type: 'webhook' } });
    expect(byName('After any completion')).toMatchObject({ trigger_type: 'event_based', trigger: { type: 'event', events: ['workflow.completed'] }, last_execution: expect.stringMatching(/^\d{4}-/) });
    expect(byName('Source').last_execution).toMatch(/^\d{4}-/);
  });
});

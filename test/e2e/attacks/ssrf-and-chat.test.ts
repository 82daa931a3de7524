import { beforeAll, describe, expect, it } from 'vitest';
import { waitForExecution } from '../../support/polling.ts';
import { newAccount, type Account } from './support.ts';

/** Issue 13 #16 (Low): the SSRF guard and the chat assistant's workflow matching. */
describe('issue 13 #16 (Low): IPv6 forms of blocked addresses, and loose workflow names', () => {
  let user: Account;
  beforeAll(async () => {
    user = await newAccount('ssrf6');
  });

  it.each([
    ['IPv4-compatible', 'http://[::169.254.169.254]/latest/meta-data/'],
    ['IPv4-compatible, hex', 'http://[::a9fe:a9fe]/latest/meta-data/'],
    ['6to4 of the metadata address', 'http://[2002:a9fe:a9fe::]/latest/meta-data/'],
    ['6to4 of a private address', 'http://[2002:c0a8:101::]/'],
    ['site-local', 'http://[fec0::1]/'],
  ])('an http.request to %s (%s) is refused by the guard, not attempted', async (_what, url) => {
    const wf = await user.client.post('/api/v1/workflows', { name: `ssrf ${url}`, tasks: [{ name: 'probe', type: 'http.request', max_retries: 0, payload: { url, timeout: '5s' } }] });
    expect(wf.status, wf.text).toBe(201);
    const run = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
    const done = await waitForExecution(user.client, run.body.execution_id);
    expect(done.status).toBe('failed');
    expect(done.tasks[0].error).toMatch(/refusing to connect to .*(link-local|private|reserved)/);
  });

  it('the assistant asks instead of running the caller’s own “conc-wf” for “run the A wf workflow”, and runs it on “yes”', async () => {
    const wf = await user.client.post('/api/v1/workflows', { name: 'conc-wf', tasks: [{ name: 'noop', type: 'pass', payload: { result: { ok: true } } }] });
    expect(wf.status, wf.text).toBe(201);
    const runsOf = async () => (await user.client.get(`/api/v1/executions?workflow_id=${wf.body.id}`)).body.data as unknown[];

    const asked = await user.client.post('/api/v1/chat', { message: 'run the A wf workflow' });
    expect(asked.status).toBe(200);
    expect(asked.body.response).toContain('Did you mean “conc-wf”?');
    expect(await runsOf()).toEqual([]);

    const confirmed = await user.client.post('/api/v1/chat', { message: 'yes', session_id: asked.body.session_id });
    expect(confirmed.body.response).toMatch(/^Started the workflow “conc-wf”: execution exec_/);
    expect((await runsOf()).length).toBe(1);

    const exact = await user.client.post('/api/v1/chat', { message: 'run the conc-wf workflow' });
    expect(exact.body.response).toMatch(/^Started the workflow “conc-wf”/);
    expect((await runsOf()).length).toBe(2);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Account = Awaited<ReturnType<typeof newAccount>>;

/** Email templates, send_email and the local outbox, against the real local server (no SMTP_URL: nothing leaves the machine). */
describe('email: templates, send_email and the outbox', () => {
  let user: Account;
  let other: Account;
  beforeAll(async () => {
    [user, other] = await Promise.all([newAccount('mail'), newAccount('mailother')]);
  });

  const runToEnd = async (account: Account, steps: object[]) => {
    const wf = await account.client.post('/api/v1/workflows', { name: 'Campaign', trigger: { type: 'manual' }, steps });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const run = await account.client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    expect(run.status).toBe(202);
    return waitForExecution(account.client, run.body.execution_id, undefined, 60_000);
  };

  it('creates, reads, lists, replaces and deletes a template; PUT on a new id creates it', async () => {
    const created = await user.client.post('/api/v1/email-templates', { id: 'tpl_welcome_v2', subject: 'Welcome, {{name}}', text: 'Hi {{name}}', html: '<p>Hi {{name}}</p>' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'tpl_welcome_v2', subject: 'Welcome, {{name}}', text: 'Hi {{name}}', html: '<p>Hi {{name}}</p>', created_at: expect.any(String), updated_at: expect.any(String) });
    expect((await user.client.get('/api/v1/email-templates/tpl_welcome_v2')).body.subject).toBe('Welcome, {{name}}');
    const again = await user.client.post('/api/v1/email-templates', { id: 'tpl_welcome_v2', subject: 'x' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', field: 'id' });

    const replaced = await user.client.put('/api/v1/email-templates/tpl_welcome_v2', { subject: 'Welcome aboard, {{name}}', text: 'Hello {{name}} ({{segment}})', html: '<p>Hello <b>{{name}}</b> from {{campaign}}</p>' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ subject: 'Welcome aboard, {{name}}', created_at: created.body.created_at });
    const fresh = await user.client.put('/api/v1/email-templates/tpl_scratch', { subject: 'scratch' });
    expect(fresh.status).toBe(201);
    expect(fresh.body).toMatchObject({ id: 'tpl_scratch', text: '', html: '' });
    expect((await user.client.get('/api/v1/email-templates')).body.data.map((t: { id: string }) => t.id)).toEqual(['tpl_scratch', 'tpl_welcome_v2']);
    expect((await user.client.delete('/api/v1/email-templates/tpl_scratch')).status).toBe(204);
    expect((await user.client.get('/api/v1/email-templates/tpl_scratch')).status).toBe(404);
    expect((await user.client.delete('/api/v1/email-templates/tpl_scratch')).status).toBe(404);
  });

  it('bad input is a 400 naming the field; another account’s template is a 404', async () => {
    const badId = await user.client.post('/api/v1/email-templates', { id: 'has space', subject: 'x' });
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatchObject({ code: 'validation_error', field: 'id' });
    const noSubject = await user.client.post('/api/v1/email-templates', { id: 'tpl_a' });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.error.field).toBe('subject');
    const unknownField = await user.client.post('/api/v1/email-templates', { id: 'tpl_a', subject: 'x', from: 'me@example.com' });
    expect(unknownField.status).toBe(400);
    expect((await user.client.get('/api/v1/email-templates/has%20space')).status).toBe(400);
    expect((await other.client.get('/api/v1/email-templates/tpl_welcome_v2')).status).toBe(404);
    expect((await other.client.put('/api/v1/email-templates/tpl_welcome_v2', { subject: 'hijack' })).status).toBe(201);
    expect((await user.client.get('/api/v1/email-templates/tpl_welcome_v2')).body.subject).toBe('Welcome aboard, {{name}}');
    expect((await other.client.delete('/api/v1/email-templates/tpl_welcome_v2')).status).toBe(204);
    expect((await user.client.get('/api/v1/email-templates/tpl_welcome_v2')).status).toBe(200);
  });

  it('send_email sends one email per record of the previous step into the outbox, HTML-escaping values, counting records without an address as failed', async () => {
    const records = [
      { email: 'ada@example.com', name: 'Ada <script>alert(1)</script>', segment: 'vip' },
      { email: 'alan@example.com', name: 'Alan & "co"', segment: 'regular' },
      { name: 'No address' },
    ];
    const done = await runToEnd(user, [
      { id: 'users', type: 'transform', expression: JSON.stringify(records) },
      { id: 'mail', type: 'send_email', template_id: 'tpl_welcome_v2', data: { campaign: 'spring' } },
    ]);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.tasks.find((t: { node_id: string }) => t.node_id === 'mail')).toMatchObject({ status: 'completed', result: { sent: 2, failed: 1, errors: [{ index: 2, error: 'the record has no email field' }] } });

    const outbox = await user.client.get('/api/v1/outbox');
    expect(outbox.status).toBe(200);
    const byTo = Object.fromEntries(outbox.body.data.map((e: { to: string }) => [e.to, e]));
    expect(Object.keys(byTo).toSorted()).toEqual(['ada@example.com', 'alan@example.com']);
    expect(byTo['ada@example.com']).toEqual({
      id: expect.stringMatching(/^msg_/),
      to: 'ada@example.com',
      subject: 'Welcome aboard, Ada <script>alert(1)</script>',
      text: 'Hello Ada <script>alert(1)</script> (vip)',
      html: '<p>Hello <b>Ada &lt;script&gt;alert(1)&lt;/script&gt;</b> from spring</p>',
      sent_at: expect.any(String),
    });
    expect(byTo['alan@example.com'].html).toBe('<p>Hello <b>Alan &amp; &quot;co&quot;</b> from spring</p>');
    expect(outbox.body.pagination).toMatchObject({ total: 2, has_more: false });
    expect((await other.client.get('/api/v1/outbox')).body).toMatchObject({ data: [], pagination: { total: 0 } });
  });

  it('a missing template fails the node naming it; `to` overrides the record address', async () => {
    const missing = await runToEnd(user, [{ id: 'mail', type: 'send_email', template_id: 'tpl_nope', to: 'ops@example.com' }]);
    expect(missing).toMatchObject({ status: 'failed', failed_node: 'mail' });
    expect(missing.error).toContain('email template "tpl_nope" does not exist');

    const fixed = await runToEnd(user, [{ id: 'mail', type: 'send_email', template_id: 'tpl_welcome_v2', to: 'ops@example.com', data: { name: 'Ops', segment: 'staff', campaign: 'direct' } }]);
    expect(fixed.status, JSON.stringify(fixed)).toBe('completed');
    const latest = (await user.client.get('/api/v1/outbox?limit=1')).body;
    expect(latest.data[0]).toMatchObject({ to: 'ops@example.com', subject: 'Welcome aboard, Ops', text: 'Hello Ops (staff)' });
    expect(latest.pagination).toMatchObject({ total: 3, has_more: true });
  });
});

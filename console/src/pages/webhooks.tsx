import { useState } from 'preact/hooks';
import type { PageProps } from '../app.tsx';
import { ErrorNotice, Json, Loading, OneTimeSecret, PageHeader, Scroll, Status } from '../components/ui.tsx';
import { ResourceTable } from '../components/resource-table.tsx';
import { api, enc } from '../lib/api.ts';
import { EVENT_TYPES, type Delivery, type Page, type Webhook } from '../lib/api-types.ts';
import { dateTime } from '../lib/format.ts';
import { useAction, useResource } from '../lib/hooks.ts';
import { href, navigate } from '../lib/router.ts';

/** A signing secret from the create response, kept for the page it opens (shown once). */
let createdSecret: { id: string; secret: string } | undefined;

export default function WebhooksPage({ route }: PageProps) {
  const id = route.segments[1];
  return id ? <WebhookDetail id={id} /> : <WebhookList />;
}

function WebhookList() {
  const list = useResource(() => api.get<Page<Webhook>>('/webhooks', { limit: 100 }), []);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader title="Webhooks">
        <button type="button" onClick={() => setCreating(true)}>
          New webhook
        </button>
      </PageHeader>
      {creating && <CreateWebhook onCancel={() => setCreating(false)} />}
      <ResourceTable
        resource={list}
        what="webhooks"
        empty="No webhooks yet."
        rowKey={(w) => w.id}
        columns={[
          {
            header: 'URL',
            cell: (w) => (
              <>
                <a href={href(`/webhooks/${enc(w.id)}`)}>{w.url}</a>
                {w.description && <div class="muted small">{w.description}</div>}
              </>
            ),
          },
          { header: 'Events', cell: (w) => w.events.join(', ') },
          { header: 'Status', cell: (w) => <Status value={w.status} /> },
          { header: 'Created', cell: (w) => dateTime(w.created_at) },
        ]}
      />
    </>
  );
}

function CreateWebhook({ onCancel }: { onCancel: () => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['workflow.completed', 'workflow.failed']);
  const create = useAction(async () => {
    const created = await api.post<Webhook>('/webhooks', { url, events, ...(description ? { description } : {}) });
    if (created.secret) createdSecret = { id: created.id, secret: created.secret };
    navigate(`/webhooks/${enc(created.id)}`);
  });
  const toggle = (event: string, on: boolean) => setEvents((list) => (on ? [...list, event] : list.filter((e) => e !== event)));
  return (
    <form
      class="card form-grid"
      aria-label="New webhook"
      onSubmit={(e) => {
        e.preventDefault();
        void create.run();
      }}
    >
      <h2>New webhook</h2>
      <label>
        Endpoint URL
        <input type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://example.com/hooks/stepwise" />
      </label>
      <label>
        Description
        <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <fieldset>
        <legend>Events</legend>
        <label class="check">
          <input type="checkbox" checked={events.includes('*')} onChange={(e) => toggle('*', e.currentTarget.checked)} /> every event (*)
        </label>
        {EVENT_TYPES.map((event) => (
          <label key={event} class="check">
            <input type="checkbox" checked={events.includes(event)} onChange={(e) => toggle(event, e.currentTarget.checked)} /> {event}
          </label>
        ))}
      </fieldset>
      <ErrorNotice error={create.error} title="Could not create the webhook" />
      <div class="row">
        <button type="submit" disabled={create.busy}>
          Create webhook
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function WebhookDetail({ id }: { id: string }) {
  const hook = useResource(() => api.get<Webhook>(`/webhooks/${enc(id)}`), [id]);
  const [offset, setOffset] = useState(0);
  const deliveries = useResource(() => api.get<Page<Delivery>>(`/webhooks/${enc(id)}/deliveries`, { limit: 20, offset }), [id, offset]);
  const [secret, setSecret] = useState(() => (createdSecret?.id === id ? createdSecret.secret : undefined));
  const [open, setOpen] = useState<string>();
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    await Promise.all([hook.reload(), deliveries.reload()]);
  });
  if (hook.error) return <ErrorNotice error={hook.error} title="Could not load the webhook" />;
  if (!hook.data) return <Loading what="webhook" />;
  const w = hook.data;
  return (
    <>
      <PageHeader title="Webhook">
        <button type="button" class="secondary" disabled={act.busy} onClick={() => void act.run(() => api.post(`/webhooks/${enc(id)}/test`))}>
          Send test ping
        </button>
        <button type="button" class="secondary" disabled={act.busy} onClick={() => void act.run(() => api.patch(`/webhooks/${enc(id)}`, { enabled: !w.enabled, version: w.version }))}>
          {w.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" class="secondary" disabled={act.busy} onClick={() => void deliveries.reload()}>
          Refresh deliveries
        </button>
        <button
          type="button"
          class="danger"
          disabled={act.busy}
          onClick={() => confirm('Delete this webhook?') && void act.run(async () => (await api.delete(`/webhooks/${enc(id)}`), navigate('/webhooks')))}
        >
          Delete
        </button>
      </PageHeader>
      {secret && <OneTimeSecret name="Signing secret" value={secret} onDone={() => ((createdSecret = undefined), setSecret(undefined))} />}
      <dl class="facts">
        <div>
          <dt>URL</dt>
          <dd>{w.url}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{w.events.join(', ')}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <Status value={w.status} />
            {w.disabled_reason && ` (${w.disabled_reason})`}
          </dd>
        </div>
        <div>
          <dt>Id</dt>
          <dd>
            <code>{w.id}</code>
          </dd>
        </div>
      </dl>
      <ErrorNotice error={act.error} />
      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Deliveries</h2>
        <ResourceTable
          resource={deliveries}
          what="deliveries"
          empty="No deliveries yet. Send a test ping, or wait for a subscribed event."
          rowKey={(d) => d.id}
          rowAttrs={(d) => ({ 'data-delivery': d.id })}
          paging={{ offset, onOffset: setOffset }}
          columns={[
            {
              header: 'Event',
              cell: (d) => (
                <>
                  {d.event}
                  {d.test && <span class="muted"> (test)</span>}
                </>
              ),
            },
            {
              header: 'Status',
              attrs: (d) => ({ 'data-testid': 'delivery-status', 'data-status': d.status }),
              cell: (d) => (
                <>
                  <Status value={d.status} />
                  {d.dead_letter_reason && <span class="muted small"> {d.dead_letter_reason}</span>}
                </>
              ),
            },
            {
              header: 'Attempts',
              attrs: () => ({ 'data-testid': 'delivery-attempts' }),
              cell: (d) => `${d.attempt_count} of ${d.max_attempts}`,
            },
            { header: 'Last response', cell: (d) => d.last_status_code ?? '—' },
            { header: 'Created', cell: (d) => dateTime(d.created_at) },
            {
              header: 'Actions',
              actions: true,
              cell: (d) => (
                <>
                  <button type="button" class="secondary" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? undefined : d.id)}>
                    Attempts<span class="sr-only"> of delivery {d.id}</span>
                  </button>
                  <button type="button" class="secondary" disabled={act.busy} onClick={() => void act.run(() => api.post(`/webhooks/${enc(id)}/deliveries/${enc(d.id)}/retry`))}>
                    Replay<span class="sr-only"> delivery {d.id}</span>
                  </button>
                </>
              ),
            },
          ]}
        />
        {open && deliveries.data && <DeliveryAttempts delivery={deliveries.data.data.find((d) => d.id === open)} />}
      </section>
    </>
  );
}

function DeliveryAttempts({ delivery }: { delivery: Delivery | undefined }) {
  if (!delivery) return null;
  return (
    <div class="card">
      <h3>Delivery {delivery.id}</h3>
      <Scroll label="Attempts table">
        <table>
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">At</th>
              <th scope="col">Outcome</th>
              <th scope="col">Status code</th>
              <th scope="col">Latency</th>
              <th scope="col">Response or error</th>
            </tr>
          </thead>
          <tbody>
            {delivery.attempts.map((a) => (
              <tr key={a.attempt}>
                <td>{a.attempt}</td>
                <td>{dateTime(a.attempted_at)}</td>
                <td>{a.outcome}</td>
                <td>{a.status_code ?? '—'}</td>
                <td>{a.latency_ms} ms</td>
                <td>{a.error ?? a.response_excerpt ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <h4>Payload</h4>
      <Json label={`Payload of delivery ${delivery.id}`} value={delivery.payload} />
    </div>
  );
}

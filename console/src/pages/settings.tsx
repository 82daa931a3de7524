import { useState } from 'preact/hooks';
import type { PageProps } from '../app.tsx';
import { ErrorNotice, OneTimeSecret, PageHeader } from '../components/ui.tsx';
import { ResourceTable } from '../components/resource-table.tsx';
import { api, enc } from '../lib/api.ts';
import { SCOPES, type ApiKey, type CreatedApiKey, type CreatedOAuthClient, type OAuthClient, type Page, type Secret } from '../lib/api-types.ts';
import { dateTime } from '../lib/format.ts';
import { useAction, useResource } from '../lib/hooks.ts';
import { session } from '../lib/session.ts';

export default function SettingsPage(_props: PageProps) {
  const current = session()!;
  return (
    <>
      <PageHeader title="Settings" />
      <dl class="facts">
        <div>
          <dt>User</dt>
          <dd>{current.user.username}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{current.user.role}</dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd>
            <code>{current.accountId}</code>
          </dd>
        </div>
      </dl>
      <Secrets accountId={current.accountId} />
      <ApiKeys />
      <OAuthClients />
    </>
  );
}

/** Account secrets: keys and dates only; a value can be written, never read back. */
function Secrets({ accountId }: { accountId: string }) {
  const base = `/accounts/${enc(accountId)}/secrets`;
  const list = useResource(() => api.get<Page<Secret>>(base, { limit: 100 }), [accountId]);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [replacing, setReplacing] = useState<string>();
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    setKey('');
    setValue('');
    setReplacing(undefined);
    await list.reload();
  });
  return (
    <section aria-labelledby="secrets-heading">
      <h2 id="secrets-heading">Secrets</h2>
      <p class="muted">
        Workflows read them as <code>{'{{secrets.KEY}}'}</code>. Values are write-only: nobody can read one back, here or through the API.
      </p>
      <ResourceTable
        resource={list}
        what="secrets"
        empty="No secrets yet."
        rowKey={(s) => s.key}
        columns={[
          { header: 'Key', cell: (s) => <code>{s.key}</code> },
          { header: 'Created', cell: (s) => dateTime(s.created_at) },
          { header: 'Updated', cell: (s) => dateTime(s.updated_at) },
          {
            header: 'Actions',
            actions: true,
            cell: (s) => (
              <>
                <button type="button" class="secondary" onClick={() => (setReplacing(s.key), setKey(s.key), setValue(''))}>
                  Replace value<span class="sr-only"> of {s.key}</span>
                </button>
                <button type="button" class="danger" disabled={act.busy} onClick={() => confirm(`Delete secret ${s.key}?`) && void act.run(() => api.delete(`${base}/${enc(s.key)}`))}>
                  Delete<span class="sr-only"> {s.key}</span>
                </button>
              </>
            ),
          },
        ]}
      />
      <form
        class="card form-grid"
        aria-label={replacing ? `Replace the value of ${replacing}` : 'New secret'}
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(() => (replacing ? api.put(`${base}/${enc(replacing)}`, { value }) : api.post(base, { key, value })));
        }}
      >
        <h3>{replacing ? `Replace ${replacing}` : 'New secret'}</h3>
        <label>
          Key
          <input required value={key} disabled={!!replacing} onInput={(e) => setKey(e.currentTarget.value)} placeholder="API_TOKEN" autocomplete="off" />
        </label>
        <label>
          Value
          <input required type="password" value={value} onInput={(e) => setValue(e.currentTarget.value)} autocomplete="new-password" />
        </label>
        <ErrorNotice error={act.error} title="Could not save the secret" />
        <div class="row">
          <button type="submit" disabled={act.busy}>
            {replacing ? 'Replace value' : 'Add secret'}
          </button>
          {replacing && (
            <button type="button" class="secondary" onClick={() => (setReplacing(undefined), setKey(''), setValue(''))}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function ScopePicker({ value, onChange, legend }: { value: string[]; onChange: (scopes: string[]) => void; legend: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {SCOPES.map((scope) => (
        <label key={scope} class="check">
          <input type="checkbox" checked={value.includes(scope)} onChange={(e) => onChange(e.currentTarget.checked ? [...value, scope] : value.filter((s) => s !== scope))} /> {scope}
        </label>
      ))}
    </fieldset>
  );
}

/** API keys (X-API-Key): the key is shown once, when it is made. */
function ApiKeys() {
  const list = useResource(() => api.get<Page<ApiKey>>('/api-keys', { limit: 100 }), []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['workflows:read']);
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<CreatedApiKey>();
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    await list.reload();
  });
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      {created && <OneTimeSecret name={`API key ${created.name}`} value={created.key} onDone={() => setCreated(undefined)} />}
      <ResourceTable
        resource={list}
        what="API keys"
        empty="No API keys yet."
        rowKey={(k) => k.id}
        columns={[
          { header: 'Name', cell: (k) => k.name },
          { header: 'Prefix', cell: (k) => <code>{k.prefix}</code> },
          { header: 'Scopes', cell: (k) => k.scopes.join(', ') },
          { header: 'Expires', cell: (k) => dateTime(k.expires_at) },
          { header: 'Last used', cell: (k) => dateTime(k.last_used_at) },
          {
            header: 'Actions',
            cell: (k) => (
              <button type="button" class="danger" disabled={act.busy} onClick={() => confirm(`Revoke API key ${k.name}?`) && void act.run(() => api.delete(`/api-keys/${enc(k.id)}`))}>
                Revoke<span class="sr-only"> {k.name}</span>
              </button>
            ),
          },
        ]}
      />
      <form
        class="card form-grid"
        aria-label="New API key"
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(async () => {
            setCreated(await api.post<CreatedApiKey>('/api-keys', { name, scopes, ...(expires ? { expires_at: `${expires}T23:59:59Z` } : {}) }));
            setName('');
          });
        }}
      >
        <h3>New API key</h3>
        <label>
          Name
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Expires (optional)
          <input type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
        </label>
        <ScopePicker legend="Scopes" value={scopes} onChange={setScopes} />
        <ErrorNotice error={act.error} title="Could not create the API key" />
        <button type="submit" disabled={act.busy}>
          Create API key
        </button>
      </form>
    </section>
  );
}

const GRANTS = ['client_credentials', 'authorization_code', 'refresh_token'] as const;

/** OAuth clients (admins): the client secret is shown once. */
function OAuthClients() {
  const list = useResource(() => api.get<Page<OAuthClient>>('/oauth/clients'), []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['workflows:read']);
  const [grants, setGrants] = useState<string[]>(['client_credentials']);
  const [redirects, setRedirects] = useState('');
  const [created, setCreated] = useState<CreatedOAuthClient>();
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    await list.reload();
  });
  return (
    <section aria-labelledby="clients-heading">
      <h2 id="clients-heading">OAuth clients</h2>
      {created && <OneTimeSecret name={`Client secret of ${created.name} (client id ${created.client_id})`} value={created.client_secret} onDone={() => setCreated(undefined)} />}
      <ResourceTable
        resource={list}
        what="OAuth clients"
        empty="No OAuth clients yet."
        rowKey={(c) => c.client_id}
        columns={[
          { header: 'Name', cell: (c) => c.name },
          { header: 'Client id', cell: (c) => <code>{c.client_id}</code> },
          { header: 'Grants', cell: (c) => c.grant_types.join(', ') },
          { header: 'Scopes', cell: (c) => c.scopes.join(', ') },
          {
            header: 'Actions',
            cell: (c) => (
              <button type="button" class="danger" disabled={act.busy} onClick={() => confirm(`Delete OAuth client ${c.name}?`) && void act.run(() => api.delete(`/oauth/clients/${enc(c.client_id)}`))}>
                Delete<span class="sr-only"> {c.name}</span>
              </button>
            ),
          },
        ]}
      />
      <form
        class="card form-grid"
        aria-label="New OAuth client"
        onSubmit={(e) => {
          e.preventDefault();
          const uris = redirects
            .split(/\s+/)
            .map((u) => u.trim())
            .filter(Boolean);
          void act.run(async () => {
            setCreated(await api.post<CreatedOAuthClient>('/oauth/clients', { name, scopes, grant_types: grants, ...(uris.length ? { redirect_uris: uris } : {}) }));
            setName('');
          });
        }}
      >
        <h3>New OAuth client</h3>
        <label>
          Name
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Redirect URIs (authorization code; one per line)
          <textarea rows={2} value={redirects} onInput={(e) => setRedirects(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>Grant types</legend>
          {GRANTS.map((g) => (
            <label key={g} class="check">
              <input type="checkbox" checked={grants.includes(g)} onChange={(e) => setGrants(e.currentTarget.checked ? [...grants, g] : grants.filter((x) => x !== g))} /> {g}
            </label>
          ))}
        </fieldset>
        <ScopePicker legend="Scopes" value={scopes} onChange={setScopes} />
        <ErrorNotice error={act.error} title="Could not create the OAuth client" />
        <button type="submit" disabled={act.busy}>
          Create OAuth client
        </button>
      </form>
    </section>
  );
}

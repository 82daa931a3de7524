import { useState } from 'preact/hooks';
import type { PageProps } from '../app.tsx';
import { ErrorNotice } from '../components/ui.tsx';
import { request } from '../lib/api.ts';
import type { Session } from '../lib/api-types.ts';
import { href, navigate } from '../lib/router.ts';
import { startSession } from '../lib/session.ts';

/** Sign in (username or email and password) and register: POST /auth/login, /auth/register. */
export function LoginPage({ route }: PageProps) {
  const registering = route.segments[0] === 'register';
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const notice = route.query.has('expired') ? 'Your session ended; sign in again.' : route.query.has('signed_out') ? 'You are signed out.' : undefined;

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const byEmail = login.includes('@');
      if (registering) {
        await request('POST', '/auth/register', {
          anonymous: true,
          body: { username: login, password, ...(email ? { email } : {}), ...(name ? { name } : {}) },
        });
      }
      const session = await request<Session>('POST', '/auth/login', { anonymous: true, body: byEmail && !registering ? { email: login, password } : { username: login, password } });
      startSession(session);
      navigate('/workflows');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  document.title = `${registering ? 'Register' : 'Sign in'} · Stepwise`;
  return (
    <section class="auth-card" aria-labelledby="page-title">
      <p class="brand">Stepwise</p>
      <h1 id="page-title">{registering ? 'Create an account' : 'Sign in'}</h1>
      {notice && !registering && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {registering ? 'Username' : 'Username or email'}
          <input name="username" autocomplete="username" required value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
        </label>
        {registering && (
          <>
            <label>
              Email (optional)
              <input name="email" type="email" autocomplete="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            </label>
            <label>
              Name (optional)
              <input name="name" autocomplete="given-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
          </>
        )}
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete={registering ? 'new-password' : 'current-password'}
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <ErrorNotice error={error} title={registering ? 'Could not register' : 'Could not sign in'} />
        <button type="submit" disabled={busy}>
          {registering ? 'Register and sign in' : 'Sign in'}
        </button>
      </form>
      <p>
        {registering ? (
          <>
            Have an account? <a href={href('/login')}>Sign in</a>
          </>
        ) : (
          <>
            New here? <a href={href('/register')}>Create an account</a>
          </>
        )}
      </p>
    </section>
  );
}

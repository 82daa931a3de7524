import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from './lib/api.ts';
import { currentRoute, href, navigate, useRoute, type Route } from './lib/router.ts';
import { onSessionChange, session, setSession, type StoredSession } from './lib/session.ts';
import { ErrorNotice, Loading } from './components/ui.tsx';
import { LoginPage } from './pages/login.tsx';

export interface PageProps {
  route: Route;
}

type PageModule = { default: ComponentType<PageProps> };

/** Pages load on first visit, so the first page (sign in) carries only the shell. */
const PAGES: Record<string, { title: string; load: () => Promise<PageModule> }> = {
  tasks: { title: 'Tasks', load: () => import('./pages/tasks.tsx') },
  workflows: { title: 'Workflows', load: () => import('./pages/workflows.tsx') },
  executions: { title: 'Executions', load: () => import('./pages/executions.tsx') },
  webhooks: { title: 'Webhooks', load: () => import('./pages/webhooks.tsx') },
  settings: { title: 'Settings', load: () => import('./pages/settings.tsx') },
};

const NAV = ['workflows', 'executions', 'tasks', 'webhooks', 'settings'] as const;

function useSession(): StoredSession | undefined {
  const [current, setCurrent] = useState(session);
  useEffect(() => onSessionChange(setCurrent), []);
  return current;
}

export function App() {
  const route = useRoute();
  const current = useSession();
  const section = route.segments[0] ?? '';
  const publicPage = section === 'login' || section === 'register';

  useEffect(() => {
    // Read the location now, not the last rendered route: a sign-out may have just moved it.
    const now = currentRoute().segments[0] ?? '';
    const onPublic = now === 'login' || now === 'register';
    if (!current && !onPublic) navigate('/login');
    else if (current && (onPublic || now === '')) navigate('/workflows');
  }, [current, publicPage, section]);

  if (!current || publicPage) {
    return (
      <main id="main" class="auth-main">
        <LoginPage route={route} />
      </main>
    );
  }
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href('/workflows')}>
          Stepwise
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((name) => (
              <li key={name}>
                <a href={href(`/${name}`)} aria-current={section === name ? 'page' : undefined}>
                  {PAGES[name]!.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="muted" data-testid="signed-in-as">
            {current.user.username}
          </span>
          <button type="button" class="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <PageHost key={section} section={section} route={route} />
      </main>
    </div>
  );
}

async function signOut(): Promise<void> {
  try {
    await api.post('/auth/logout');
  } catch {
    // The session ends here either way.
  }
  navigate('/login', { signed_out: 1 });
  setSession(undefined);
}

function PageHost({ section, route }: { section: string; route: Route }) {
  const page = PAGES[section];
  const [loaded, setLoaded] = useState<{ Page?: ComponentType<PageProps>; error?: unknown }>({});
  useEffect(() => {
    if (!page) return;
    document.title = `${page.title} · Stepwise`;
    page.load().then(
      (m) => setLoaded({ Page: m.default }),
      (error: unknown) => setLoaded({ error }),
    );
  }, [section]);
  if (!page) return <ErrorNotice title="Not found" error={new Error(`There is no page at #/${route.segments.join('/')}`)} />;
  if (loaded.error) return <ErrorNotice title="The page could not be loaded" error={loaded.error} />;
  if (!loaded.Page) return <Loading what={page.title.toLowerCase()} />;
  return <loaded.Page route={route} />;
}

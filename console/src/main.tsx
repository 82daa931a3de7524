import { render } from 'preact';
import { App } from './app.tsx';
import { configureApi } from './lib/api.ts';
import { loadConfig } from './lib/config.ts';
import { navigate } from './lib/router.ts';

const root = document.getElementById('app')!;
const config = await loadConfig();
// A session that cannot be refreshed any more sends the user back to sign in, with a reason.
configureApi(config, () => navigate('/login', { expired: 1 }));
root.textContent = '';
render(<App />, root);

/**
 * Where `stepwise login` keeps its session: `$XDG_CONFIG_HOME/stepwise/config.json` (else
 * `~/.config/stepwise/config.json`), one entry per API address, so logging in to a local server and
 * a deployed stage do not overwrite each other. The file holds live credentials: it is written
 * mode 0600 in a 0700 directory, whole (a temporary file renamed over the old one), so a reader
 * never sees half of it.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface StoredSession {
  token: string;
  refresh_token?: string | undefined;
  expires_at?: string | undefined;
  username?: string | undefined;
  user_id?: string | undefined;
  account_id?: string | undefined;
}

export interface ConfigFile {
  version: 1;
  sessions: Record<string, StoredSession>;
}

export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'stepwise', 'config.json');
}

/** The key a session is stored under: the API address without a trailing slash. */
export const apiKeyOf = (apiUrl: string) => apiUrl.replace(/\/+$/, '');

export class ConfigStore {
  constructor(readonly path: string) {}

  read(): ConfigFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return { version: 1, sessions: {} };
    }
    try {
      const parsed = JSON.parse(text) as Partial<ConfigFile>;
      return { version: 1, sessions: typeof parsed.sessions === 'object' && parsed.sessions ? parsed.sessions : {} };
    } catch {
      throw new Error(`${this.path} is not valid JSON: fix or delete it, then run stepwise login`);
    }
  }

  session(apiUrl: string): StoredSession | undefined {
    return this.read().sessions[apiKeyOf(apiUrl)];
  }

  saveSession(apiUrl: string, session: StoredSession): void {
    const config = this.read();
    config.sessions[apiKeyOf(apiUrl)] = session;
    this.write(config);
  }

  /** True when there was a session to forget. */
  removeSession(apiUrl: string): boolean {
    const config = this.read();
    if (!config.sessions[apiKeyOf(apiUrl)]) return false;
    delete config.sessions[apiKeyOf(apiUrl)];
    this.write(config);
    return true;
  }

  write(config: ConfigFile): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    try {
      // The mode applies at creation (the umask can only narrow it); chmod makes sure of a file that existed.
      writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'w' });
      chmodSync(temp, 0o600);
      renameSync(temp, this.path);
    } finally {
      rmSync(temp, { force: true });
    }
  }
}

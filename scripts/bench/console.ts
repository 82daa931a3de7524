import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fmt } from './stats.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const OUT = join(ROOT, 'node_modules', '.cache', 'stepwise-bench', 'console');
/** The issue's budget for the first page the console shows (sign in), gzip. */
const FIRST_PAGE_BUDGET_KB = 300;

/** One chunk of Vite's build manifest (`build.manifest`). */
interface ManifestChunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/**
 * The console's download sizes (docs/deploy.md#console): built exactly as `npm run build:console`
 * builds it (console/vite.config.ts), plus Vite's manifest to follow each lazy chunk's imports.
 * The first page is what index.html makes the browser fetch before anything else (its entry
 * script, the chunks it modulepreloads, its stylesheets), against the 300 KB gzip budget; each
 * lazy view is what it adds on top of that.
 */
export async function benchConsole(): Promise<string> {
  const { build } = await import('vite');
  rmSync(OUT, { recursive: true, force: true });
  await build({ configFile: join(ROOT, 'console', 'vite.config.ts'), logLevel: 'warn', build: { outDir: OUT, emptyOutDir: true, manifest: true } });
  const manifest = JSON.parse(readFileSync(join(OUT, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const file = (name: string) => readFileSync(join(OUT, name.replace(/^\//, '')));
  const size = (name: string) => {
    const body = file(name);
    return { raw: body.length, gz: gzipSync(body).length };
  };

  const html = readFileSync(join(OUT, 'index.html'), 'utf8');
  const attr = (pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1]!.replace(/^\//, ''));
  const entry = attr(/<script type="module"[^>]*\ssrc="([^"]+)"/g);
  const preloads = attr(/<link rel="modulepreload"[^>]*\shref="([^"]+)"/g);
  const styles = attr(/<link rel="stylesheet"[^>]*\shref="([^"]+)"/g);
  const firstPage = [
    { what: 'index.html', how: 'document', ...size('index.html') },
    ...entry.map((f) => ({ what: f, how: 'entry script', ...size(f) })),
    ...preloads.map((f) => ({ what: f, how: 'modulepreload', ...size(f) })),
    ...styles.map((f) => ({ what: f, how: 'stylesheet', ...size(f) })),
  ];
  const firstTotal = sum(firstPage);
  const alsoFetched = ['config.json', 'favicon.svg'].map((f) => ({ what: f, ...size(f) }));

  // What each lazily loaded view adds: its chunk and every chunk it imports that the first page did not load.
  const loaded = new Set([...entry, ...preloads, ...styles]);
  const byKey = (key: string) => manifest[key]!;
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const dep of byKey(key).imports ?? []) closure(dep, seen);
    return seen;
  };
  const views = Object.entries(manifest)
    .filter(([, c]) => c.isDynamicEntry)
    .map(([key, c]) => {
      const files = [...closure(key)].flatMap((k) => [byKey(k).file, ...(byKey(k).css ?? [])]).filter((f, i, all) => !loaded.has(f) && all.indexOf(f) === i);
      return { key, name: c.src ?? key, files, ...sum(files.map((f) => size(f))) };
    })
    .toSorted((a, b) => b.gz - a.gz);
  const editor = views.find((v) => v.name.endsWith('components/code-editor.tsx'));
  const workflows = views.find((v) => v.name.endsWith('pages/workflows.tsx'));
  if (!editor) throw new Error('bench console: no lazy chunk for console/src/components/code-editor.tsx in the manifest');
  rmSync(OUT, { recursive: true, force: true });

  const kb = (n: number) => fmt(n / 1024, 1);
  return [
    '## Console download size',
    '',
    `The web console (docs/deploy.md#console) built exactly as \`npm run build:console\` builds it (Vite, console/vite.config.ts), sizes gzip-compressed by zlib at its default level (CloudFront compresses these types on the fly, Brotli where the browser takes it, which is smaller). **First page** is everything index.html makes the browser load before the sign-in form shows: the document, its entry script, the chunks it modulepreloads and its stylesheet. Budget: ≤ ${FIRST_PAGE_BUDGET_KB} KB gzip.`,
    '',
    `| first page | loaded as | KB | gzip KB |`,
    '|---|---|---:|---:|',
    ...firstPage.map((r) => `| \`${r.what}\` | ${r.how} | ${kb(r.raw)} | ${kb(r.gz)} |`),
    `| **total** | | **${kb(firstTotal.raw)}** | **${kb(firstTotal.gz)}** |`,
    '',
    `First page: **${kb(firstTotal.gz)} KB gzip** against the ${FIRST_PAGE_BUDGET_KB} KB budget — ${firstTotal.gz <= FIRST_PAGE_BUDGET_KB * 1024 ? 'within it' : '**over it**'}. It then reads ${alsoFetched.map((r) => `\`${r.what}\` (${r.gz} bytes gzip)`).join(' and ')}. Signed in, the first view is the workflows list: ${kb(firstTotal.gz + (workflows?.gz ?? 0))} KB gzip with its chunks.`,
    '',
    `The **workflow editor** (CodeMirror 6 with the YAML and JSON modes and the lint gutter) is its own chunk, loaded when an editor first opens: **${kb(editor.gz)} KB gzip** (${kb(editor.raw)} KB) on top of the first page, in ${editor.files.map((f) => `\`${f}\``).join(', ')}.`,
    '',
    'Every lazily loaded part, with what it adds to the first page (its chunk and the chunks it imports that the first page did not load; shared chunks are counted with each part that needs them):',
    '',
    '| loaded when | source | adds KB | adds gzip KB |',
    '|---|---|---:|---:|',
    ...views.map((v) => `| ${WHEN[v.name.replace(/^src\//, '')] ?? 'on demand'} | \`console/${v.name}\` | ${kb(v.raw)} | ${kb(v.gz)} |`),
    '',
  ].join('\n');
}

/** Where each lazy part of the console comes in (console/src/app.tsx, pages/, components/lazy.tsx). */
const WHEN: Readonly<Record<string, string>> = {
  'components/code-editor.tsx': 'an editor opens (new or edit workflow)',
  'components/insight.tsx': 'a workflow page shows its insight',
  'components/chart.tsx': 'insight charts draw (uPlot)',
  'components/triggers.tsx': 'a workflow page shows its triggers',
  'pages/workflows.tsx': 'the workflows pages',
  'pages/executions.tsx': 'the executions pages',
  'pages/tasks.tsx': 'the tasks page',
  'pages/webhooks.tsx': 'the webhooks pages',
  'pages/settings.tsx': 'the settings page',
};

function sum(rows: Array<{ raw: number; gz: number }>) {
  return rows.reduce((a, r) => ({ raw: a.raw + r.raw, gz: a.gz + r.gz }), { raw: 0, gz: 0 });
}

import { parseMessage } from '../../functions/core/chat/rules-engine.ts';
import { signIn } from './api-client.ts';
import { startServer } from './local-server.ts';
import { fmt, percentile, runLoad, type LoadResult } from './stats.ts';

const CONCURRENCY = 16;
const SECONDS = 8;
const PARSES = 2000;
const WARMUP = 4 * CONCURRENCY;
const SENTENCES = [
  'Create a task to review project documentation by friday #docs high priority',
  'remind me to call the dentist tomorrow at 5pm',
  "what's due this week?",
  'mark the quarterly report as done',
  'move the offsite to next friday and make it urgent',
  'run the nightly export workflow',
];

/** The rules engine alone, in-process: per-sentence parse time in ms (p50, p99). */
function parseTimes(): { p50: number; p99: number } {
  const now = new Date();
  const samples: number[] = [];
  for (let i = 0; i < PARSES; i++) {
    const started = performance.now();
    parseMessage(SENTENCES[i % SENTENCES.length]!, now);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/**
 * The chat assistant with the default (rules) engine against a plain `POST /api/v1/tasks`, in one
 * run on one server: what understanding a sentence and keeping a session cost on top of the task
 * write they end in.
 */
export async function benchChat(dynamoEndpoint: string): Promise<string> {
  const server = await startServer(dynamoEndpoint);
  try {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const { token, call } = await signIn(server.url, 'benchchat');
    const say = async (message: string, session_id?: string) => String((await call('POST', '/api/v1/chat', { message, ...(session_id ? { session_id } : {}) })).session_id);
    for (let i = 0; i < 30; i++) await call('POST', '/api/v1/tasks', { name: `seed ${i}`, priority: i % 3 ? 'high' : 'urgent' });
    // One session per concurrent client, each about its own task, taken from a pool so no two
    // requests share a session (a shared one would measure retries, not chat).
    const free: { id: string; n: number }[] = [];
    for (let n = 0; n < CONCURRENCY; n++) free.push({ id: await say(`create a task to bench target ${n}`), n });
    const withSession = async (use: (s: { id: string; n: number }) => Promise<unknown>) => {
      const s = free.pop()!;
      try {
        await use(s);
      } finally {
        free.push(s);
      }
    };

    const results: LoadResult[] = [];
    const load = async (name: string, op: (i: number) => Promise<unknown>) => {
      // Unmeasured warm-up first, so no row (the reference least of all) pays for a cold JIT or cold paths.
      await runLoad('warm-up', async (i) => void (await op(-1 - i)), { concurrency: CONCURRENCY, seconds: 30, maxRequests: WARMUP });
      results.push(await runLoad(name, async (i) => void (await op(i)), { concurrency: CONCURRENCY, seconds: SECONDS }));
    };
    const ok = async (res: Promise<Response>) => {
      const r = await res;
      await r.arrayBuffer();
      if (!r.ok) throw new Error(String(r.status));
    };

    await load('API POST /api/v1/tasks (reference)', (i) => ok(post('/api/v1/tasks', { name: `bench ${i}`, priority: 'high', due_date: '2030-01-04', tags: ['bench'] }, token)));
    await load('chat: “create a task to bench N by friday #bench high priority” (new session)', (i) => say(`create a task to bench ${i} by friday #bench high priority`));
    await load('chat: “make it urgent” / “make it low priority” (existing session)', (i) => withSession((s) => say(i % 2 ? 'make it urgent' : 'make it low priority', s.id)));
    await load('chat: “show my urgent tasks” (new session)', () => say('show my urgent tasks'));
    await load('chat: “block bench target N” (name match over the 300 newest tasks)', () => withSession((s) => say(`block bench target ${s.n}`, s.id)));

    const parse = parseTimes();
    const reference = results[0]!;
    const rows = results.map((r) => `| ${r.name} | ${fmt(r.throughput, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} |`);
    const versus = (r: LoadResult) => `${fmt((r.throughput / reference.throughput) * 100, 0)}% of its throughput, p50 ${r.p50 >= reference.p50 ? '+' : '−'}${fmt(Math.abs(r.p50 - reference.p50), 1)} ms`;
    return [
      '## Chat assistant (rules engine) vs POST /tasks',
      '',
      `Closed loop, ${CONCURRENCY} concurrent clients, ${SECONDS} s per row, the same \`bin/local.ts\` server and DynamoDB Local for every row, default engine (\`CHAT_ENGINE=rules\`, no network). A chat turn is the task service's own calls plus, per message, one session read (when continuing a session) and one transaction that writes the session and both messages; a name match first reads the account's newest tasks (up to 300, 100 per query).`,
      '',
      '| workload | req/s | p50 ms | p99 ms | errors |',
      '|---|---:|---:|---:|---:|',
      ...rows,
      '',
      ...results.slice(1).map((r) => `- ${r.name.replace(/ \(.*\)$/, '')}: ${versus(r)} of \`POST /tasks\`.`),
      `- The rules engine itself, in-process over ${SENTENCES.length} sample sentences (${PARSES} parses): p50 ${fmt(parse.p50, 3)} ms, p99 ${fmt(parse.p99, 3)} ms per sentence. The rest of the difference to \`POST /tasks\` is DynamoDB: the session transaction, for follow-ups the session and task reads, and for name matches the task-window read, which grows with the account up to its 300-task cap.`,
      '',
    ].join('\n');
  } finally {
    await server.stop();
  }
}

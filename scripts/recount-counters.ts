/**
 * Sets each account's workflow-task and workers counters (GET /metrics `run_tasks`, `workers`) to
 * what its task and map-iteration items say (docs/deploy.md#recounting-the-run-counters). Lists the
 * differences by default; writes with --apply. Run it while no run is in flight: a move the change
 * stream adds between the read and the write is lost.
 *
 *   npm run recount -- --table <the data stack's TableName output>            # what differs
 *   npm run recount -- --table <TableName> --apply                             # set it
 *   npm run recount -- --table stepwise-local --endpoint http://127.0.0.1:8000 --account acct_…
 */
import { parseArgs } from 'node:util';
import { createDocumentClient } from '../functions/adapters/dynamodb/client.ts';
import { RunCounterRecount } from '../functions/adapters/dynamodb/run-task-counters.ts';

const say = (line: string) => void process.stdout.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    account: { type: 'string', multiple: true },
    apply: { type: 'boolean', default: false },
  },
});
if (!values.table) {
  process.stderr.write('usage: npm run recount -- --table <TableName> [--account <id> …] [--apply] [--region <region>] [--endpoint <url>]\n');
  process.exit(2);
}

const db = createDocumentClient({ region: values.region ?? process.env.AWS_REGION ?? 'us-east-1', endpoint: values.endpoint });
const recount = new RunCounterRecount(db, values.table);
let differing = 0;
for (const accountId of values.account ?? (await recount.accounts())) {
  const [now, counted] = await Promise.all([recount.current(accountId), recount.count(accountId)]);
  const changes = Object.keys(counted).filter((attr) => now[attr] !== counted[attr]);
  if (!changes.length) continue;
  differing += 1;
  say(`${accountId}: ${changes.map((attr) => `${attr} ${now[attr]} → ${counted[attr]}`).join(', ')}`);
  if (values.apply) await recount.set(accountId, counted);
}
say(differing === 0 ? 'Every counter matches its items.' : values.apply ? `Set the counters of ${differing} account(s).` : `${differing} account(s) differ: add --apply to set them.`);
db.destroy();

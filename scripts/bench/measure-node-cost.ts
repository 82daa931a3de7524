import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.ts';
import { DynamoExecutionRepository } from '../../functions/adapters/dynamodb/execution-repository.ts';
import { DynamoRunJournal } from '../../functions/adapters/dynamodb/run-journal.ts';
import { startDynamoDbLocal } from '../../functions/adapters/local/dynamodb-local.ts';
import { ensureTable } from '../../functions/adapters/local/table-setup.ts';
import { systemClock } from '../../functions/core/clock.ts';
import { newId } from '../../functions/core/ids.ts';
import { TaskRunner } from '../../functions/core/runner/task-runner.ts';
import { JsonataWorkerPool } from '../../functions/adapters/expressions/jsonata-worker-pool.ts';
import { LocalLambdaInvoker } from '../../functions/adapters/local/local-lambda-invoker.ts';
import { executionAt, runTaskOf } from '../../test/support/execution-fixtures.ts';
import { startDynamoMeter, meterDelta } from './dynamo-meter.ts';

const dynamo = await startDynamoDbLocal();
const meter = await startDynamoMeter(dynamo.endpoint);
const tableName = `m-${Date.now()}`;
const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
await ensureTable(raw, tableName);
const db = createDocumentClient({ region: 'us-east-1', endpoint: meter.endpoint });
const per: Array<{ op: string; units: number }> = [];
db.middlewareStack.add((next, context) => async (args) => {
  (args.input as any).ReturnConsumedCapacity = 'INDEXES';
  const out: any = await next(args);
  const cc = [out.output?.ConsumedCapacity ?? []].flat();
  per.push({ op: String(context.commandName), units: cc.reduce((s: number, c: any) => s + (c.CapacityUnits ?? 0), 0), ...(process.env.DETAIL ? { detail: JSON.stringify(cc) } : {}) } as any);
  return out;
}, { step: 'initialize', name: 'm' });
const expressions = new JsonataWorkerPool();
const runner = new TaskRunner(new DynamoRunJournal(db, tableName), { resolve: async () => undefined }, { http: { request: async () => ({ status: 200, headers: {}, body: '{"ok":true,"value":42}', truncated: false, url: 'http://x' }) } as any, lambda: new LocalLambdaInvoker(), expressions }, systemClock);
const repo = new DynamoExecutionRepository(db, tableName);
for (let i = 0; i < 3; i += 1) {
  const now = Date.now();
  const execution = executionAt(newId('account'), newId('workflow'), now, { workflowName: 'cost', status: 'running', sinks: ['call'], taskCount: 1, startedAt: new Date(now).toISOString() });
  const params = { method: 'GET', url: 'http://example.com/items/1' };
  await repo.create(execution, [runTaskOf(execution, 'call', { payload: params, maxRetries: 0 })]);
  per.length = 0;
  const before = meter.counts();
  await runner.run({ node_id: 'call', node_type: 'http.request', action: 'execute', params, account_id: execution.accountId, workflow_id: execution.workflowId, execution_id: execution.executionArn, input: {}, retry_count: 0 });
  const d = meterDelta(meter.counts(), before);
  console.log(JSON.stringify({ calls: d.calls, wru: d.writeUnits, rru: d.readUnits, per }));
}
await expressions.close();
db.destroy(); raw.destroy();
await meter.close();
await dynamo.stop();

import { describe, expect, it } from 'vitest';
import { NODE_TYPES, NODE_TYPE_NAMES, isNodeType, jsonataSyntaxError, type NodeType } from '../../statemachines/node-types.ts';
import { parseWorkflow } from '../../statemachines/parse.ts';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:resize-image';

/** For every type: params that must parse, and params that must not (with the field the error names). */
const CASES: Record<NodeType, { good: Array<Record<string, unknown>>; bad: Array<[Record<string, unknown>, string]> }> = {
  'http.request': {
    good: [
      { url: 'https://api.example.com/data' },
      { url: 'https://api.example.com/{{input.id}}', method: 'post', headers: { Authorization: 'Bearer {{secrets.TOKEN}}' }, query: { page: 2, q: 'x', all: true }, body: { a: [1, 2] }, timeout: '30s' },
      { url: '{{steps.discover.output.url}}', timeout: 10 },
    ],
    bad: [
      [{}, 'url'],
      [{ url: 'ftp://example.com/file' }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'https://x.test', method: 'FETCH' }, 'method'],
      [{ url: 'https://x.test', timeout: 'soon' }, 'timeout'],
      [{ url: 'https://x.test', headers: { a: 1 } }, 'headers.a'],
      [{ url: 'https://x.test', retries: 3 }, 'retries'],
    ],
  },
  webhook: {
    good: [{ url: 'https://hooks.example.com/x' }, { url: 'https://hooks.example.com/x', method: 'PUT', body: { ok: true }, headers: { 'X-Sig': '{{secrets.SIG}}' } }],
    bad: [
      [{ url: 'https://hooks.example.com/x', method: 'GET' }, 'method'],
      [{ method: 'POST' }, 'url'],
      [{ url: 'https://hooks.example.com/x', secret: 'shh' }, 'secret'],
    ],
  },
  transform: {
    good: [
      { expression: '$sum(orders.amount)' },
      { expression: '{"n": $count(items)}', input: '{{steps.fetch.output.body}}' },
      { script: 'data.map(user => ({ ...user, segment: user.spend > 100 ? "vip" : "regular" }))' },
    ],
    bad: [
      [{ expression: '$sum(orders.amount' }, 'expression'],
      [{}, 'expression'],
      [{ expression: 'a', script: 'x' }, 'script'],
      [{ script: '' }, 'script'],
      [{ script: 'x'.repeat(65_537) }, 'script'],
    ],
  },
  fetch_data: {
    good: [
      { source: 'users_table', filters: { active: true } },
      { source: 'customer_db', query: 'SELECT * FROM customers WHERE updated_at > :last_run', limit: 500 },
      { source: 'local', filters: { country: '{{input.country}}', deleted_at: null } },
    ],
    bad: [
      [{}, 'source'],
      [{ source: 'users table' }, 'source'],
      [{ source: 'users_table', filters: { active: { $ne: 1 } } }, 'filters.active'],
      [{ source: 'users_table', limit: 0 }, 'limit'],
      [{ source: 'users_table', table: 'users' }, 'table'],
    ],
  },
  send_email: {
    good: [{ template_id: 'tpl_welcome_v2' }, { template_id: 'tpl_x', to: '{{input.email}}', data: { campaign: 'spring' } }, { template_id: 'tpl_x', to: ['a@example.com', 'b@example.com'] }],
    bad: [
      [{}, 'template_id'],
      [{ template_id: 'tpl welcome' }, 'template_id'],
      [{ template_id: 'tpl_x', to: [] }, 'to'],
      [{ template_id: 'tpl_x', from: 'me@example.com' }, 'from'],
    ],
  },
  wait: {
    good: [{ seconds: 30 }, { duration: '5m' }, { until: '2030-01-01T00:00:00Z' }, { until: '2030-01-01T02:00:00+02:00' }, { seconds: '{{input.delay}}' }, { until: '{{input.deadline}}' }],
    bad: [
      [{}, ''],
      [{ seconds: 5, duration: '5s' }, 'duration'],
      [{ seconds: -1 }, 'seconds'],
      [{ seconds: 1.5 }, 'seconds'],
      [{ seconds: 'soon' }, 'seconds'],
      [{ duration: 'forever' }, 'duration'],
      [{ duration: '400d' }, 'duration'],
      [{ until: 'tomorrow' }, 'until'],
      [{ until: '2030-01-01T00:00:00' }, 'until'],
    ],
  },
  choice: {
    good: [{ choices: [{ when: 'input.amount > 100', next: 'big' }], default: 'small' }, { choices: [{ when: 'steps.a.output.ok = true', next: 'b' }] }],
    bad: [
      [{ choices: [] }, 'choices'],
      [{ choices: [{ when: 'amount >', next: 'b' }] }, 'choices[0].when'],
      [{ choices: [{ when: 'true', next: 'not an id' }] }, 'choices[0].next'],
      [{ choices: [{ when: 'true' }] }, 'choices[0].next'],
      [{ choices: [{ when: 'true', next: 'b', label: 'x' }] }, 'choices[0].label'],
    ],
  },
  parallel: {
    good: [{ branches: [{ nodes: { a: { type: 'pass' } } }] }],
    bad: [
      [{ branches: [] }, 'branches'],
      [{}, 'branches'],
    ],
  },
  map: {
    good: [
      { items: '$.orders', iterator: { nodes: { a: { type: 'pass' } } } },
      { items: '{{steps.list.output.items}}', iterator: { nodes: { b: { type: 'pass' } } }, max_concurrency: 5 },
      { items: [1, 2, 3], iterator: { nodes: { c: { type: 'pass' } } } },
    ],
    bad: [
      [{ items: 'orders', iterator: {} }, 'items'],
      [{ items: '$.orders' }, 'iterator'],
      [{ items: '$.orders', iterator: {}, max_concurrency: 0 }, 'max_concurrency'],
    ],
  },
  pass: {
    good: [{}, { result: { a: 1 } }, { result: 'text' }],
    bad: [[{ value: 1 }, 'value']],
  },
  fail: {
    good: [{}, { error: 'OrderRejected', cause: 'amount too large' }],
    bad: [
      [{ error: '' }, 'error'],
      [{ error: 'E', message: 'x' }, 'message'],
    ],
  },
  lambda: {
    good: [{ function_arn: ARN }, { function_arn: `${ARN}:live`, payload: { key: '{{input.key}}' } }],
    bad: [
      [{ function_arn: 'resize-image' }, 'function_arn'],
      [{}, 'function_arn'],
    ],
  },
  subworkflow: {
    good: [{ workflow_id: 'wf_01HZ' }, { workflow_id: 'wf_01HZ', input: { a: '{{input.a}}' }, wait: false }],
    bad: [
      [{ workflow_id: 'wf 1' }, 'workflow_id'],
      [{ workflow_id: 'wf_1', wait: 'yes' }, 'wait'],
    ],
  },
  approval: {
    good: [{}, { message: 'Ship it?', approvers: ['ops@example.com'], timeout: '1d' }],
    bad: [[{ approvers: 'ops@example.com' }, 'approvers']],
  },
  etl: {
    good: [
      { source_url: 's3://bucket/data.csv', target_url: 'postgres://db/staging' },
      { source_url: 's3://b-in/x.json', target_url: 'postgres://db/t', format: 'json', transformation: 'normalize' },
      { source_url: 'https://files.example.com/users.parquet', target_url: 's3://out-data/users.ndjson', transformation: '{"id": id, "name": $uppercase(name)}' },
      { source_url: 's3://in-data/x.parquet', target_url: 'dynamodb://events', format: 'parquet' },
      { source_url: 'postgres://local/public.staging', target_url: 's3://out-data/out', format: 'csv', transformation: 'dedupe' },
      // Templates resolve at run time, where the same rules are applied.
      { source_url: '{{input.source}}', target_url: 's3://out-data/{{input.name}}.gz', format: '{{input.format}}', transformation: '{{input.expression}}' },
    ],
    bad: [
      [{ source_url: 's3://bucket/data.csv' }, 'target_url'],
      [{ source_url: 's3://a', target_url: 's3://b', mode: 'x' }, 'mode'],
      [{ source_url: 'ftp://host/data.csv', target_url: 's3://out-data/x.csv' }, 'source_url'],
      [{ source_url: 's3://ab/data.csv', target_url: 's3://out-data/x.csv' }, 'source_url'],
      [{ source_url: 's3://in-data/x.csv', target_url: 'https://example.com/upload' }, 'target_url'],
      [{ source_url: 's3://in-data/x.csv', target_url: 's3://out-data/x.parquet' }, 'target_url'],
      [{ source_url: 's3://in-data/x.parquet', target_url: 's3://out-data/out', format: 'parquet' }, 'target_url'],
      [{ source_url: 's3://in-data/x.csv', target_url: 's3://out-data/x.csv', format: 'xml' }, 'format'],
      [{ source_url: 's3://in-data/x.csv.gz', target_url: 's3://out-data/x.csv' }, 'source_url'],
      [{ source_url: 'https://files.example.com/x.json.zst', target_url: 's3://out-data/x.csv' }, 'source_url'],
      [{ source_url: 's3://in-data/x.csv', target_url: 's3://out-data/x.ndjson.bz2' }, 'target_url'],
      [{ source_url: 's3://in-data/x.csv', target_url: 's3://out-data/x.zip' }, 'target_url'],
      [{ source_url: 'postgres://src/%E0', target_url: 's3://out-data/x.csv' }, 'source_url'],
      [{ source_url: 'https://exa mple.com/x.csv', target_url: 's3://out-data/x.csv' }, 'source_url'],
      [{ source_url: 's3://in-data/x.csv', target_url: 'postgres://local/a.b.c' }, 'target_url'],
      [{ source_url: 's3://in-data/x.csv', target_url: 's3://out-data/x.csv', transformation: '{"id": id' }, 'transformation'],
      [{ source_url: 's3://in-data/x.csv', target_url: 's3://out-data/x.csv', transformation: '{"n": $count($$)}' }, 'transformation'],
    ],
  },
  ml_training: {
    good: [
      { model_name: 'fraud_detector', dataset_url: 's3://ml-data/training.csv', algorithm: 'xgboost', hyperparameters: { max_depth: 6, learning_rate: 0.1 } },
      { model_name: 'churn.v2', dataset_url: 'https://data.example.com/churn.csv', algorithm: 'linear-learner', hyperparameters: { predictor_type: 'binary_classifier' } },
      { model_name: 'm', dataset_url: '{{input.dataset}}' },
    ],
    bad: [
      [{ model_name: 'm' }, 'dataset_url'],
      [{ model_name: 'm', dataset_url: 's3://ab/train.csv' }, 'dataset_url'],
      [{ model_name: 'm', dataset_url: 's3://ml-data/train.csv', algorithm: 'kmeans' }, 'algorithm'],
      [{ model_name: 'm', dataset_url: 'ftp://host/train.csv' }, 'dataset_url'],
      [{ model_name: 'm', dataset_url: 'file:///etc/passwd' }, 'dataset_url'],
      [{ model_name: '../m', dataset_url: 's3://ml-data/train.csv' }, 'model_name'],
      [{ model_name: 'm', dataset_url: 's3://ml-data/train.csv', hyperparameters: { depth: { nested: 1 } } }, 'hyperparameters.depth'],
    ],
  },
  ci: {
    good: [
      { repo_url: 'https://github.com/user/repo.git', command: 'npm test', branch: 'main', environment: 'test' },
      { repo_url: 'git@github.com:user/repo.git', command: 'make' },
      { repo_url: 'ssh://git@example.com/repo.git', command: 'make', branch: 'release/1.2', timeout: '10m' },
      { repo_url: '/srv/git/repo', command: 'make' },
      { repo_url: 'file:///srv/git/repo', command: 'make' },
      { repo_url: '{{input.repo}}', command: 'make' },
    ],
    bad: [
      [{ repo_url: 'https://github.com/user/repo.git' }, 'command'],
      [{ repo_url: 'r', command: 'c', environment: { A: 'b' } }, 'environment'],
      [{ repo_url: 'ext::sh -c touch% /tmp/x', command: 'c' }, 'repo_url'],
      [{ repo_url: '--upload-pack=evil', command: 'c' }, 'repo_url'],
      [{ repo_url: 'git://example.com/repo', command: 'c' }, 'repo_url'],
      [{ repo_url: '/srv/git/repo', command: 'c', branch: '--orphan' }, 'branch'],
      [{ repo_url: '/srv/git/repo', command: 'c', timeout: 'soon' }, 'timeout'],
    ],
  },
  generic: {
    good: [
      { command: 'validate_schema' },
      { command: 'python script.py', args: ['--input', 'data.csv'], environment: { PYTHONPATH: '/opt/scripts' } },
      { command: `sh -c 'echo "$TOKEN" | wc -c'`, environment: { TOKEN: '{{secrets.TOKEN}}' }, timeout: '30s' },
      { command: 'echo {{input.name}}', args: ['{{steps.a.output.x}}'] },
    ],
    bad: [
      [{}, 'command'],
      [{ command: 'x', args: '--input' }, 'args'],
      [{ command: `echo 'open` }, 'command'],
      [{ command: 'x', environment: { 'NOT-A-NAME': 'v' } }, 'environment.NOT-A-NAME'],
      [{ command: 'x', environment: { A: 1 } }, 'environment.A'],
      [{ command: 'curl -H "Authorization: {{secrets.TOKEN}}"' }, 'command'],
      [{ command: 'x', args: ['{{secrets.TOKEN}}'] }, 'args[0]'],
      [{ command: 'x', environment: { AUTH: 'Bearer {{secrets.TOKEN}}' } }, 'environment.AUTH'],
      [{ command: 'x', timeout: 'soon' }, 'timeout'],
      [{ command: 'x\u0000y' }, 'command'],
    ],
  },
};

describe('node type registry', () => {
  it('covers every documented type and nothing else', () => {
    expect(NODE_TYPE_NAMES).toEqual(Object.keys(CASES).toSorted());
    expect(isNodeType('http.request')).toBe(true);
    expect(isNodeType('fetch_data')).toBe(true);
    expect(isNodeType('fetchData')).toBe(false);
    expect(isNodeType('toString')).toBe(false);
  });

  it('documents every type', () => {
    for (const name of NODE_TYPE_NAMES) expect(NODE_TYPES[name].summary.length, name).toBeGreaterThan(10);
  });

  for (const type of NODE_TYPE_NAMES) {
    describe(`${type}`, () => {
      it.each(CASES[type].good.map((p) => [JSON.stringify(p), p]))('accepts %s', (_label, params) => {
        const result = NODE_TYPES[type].schema.safeParse(params);
        expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
      });
      it.each(CASES[type].bad.map(([p, field]) => [JSON.stringify(p), p, field]))('rejects %s', (_label, params, field) => {
        const result = NODE_TYPES[type].schema.safeParse(params);
        expect(result.success).toBe(false);
        const fields = (result.error?.issues ?? []).flatMap((i) => {
          const base = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
          return i.code === 'unrecognized_keys' ? i.keys.map((k) => (base ? `${base}.${k}` : k)) : [base];
        });
        expect(fields).toContain(field);
      });
    });
  }

  it('applies defaults', () => {
    expect(NODE_TYPES['http.request'].schema.parse({ url: 'https://x.test' })).toEqual({ url: 'https://x.test', method: 'GET' });
    expect(NODE_TYPES.webhook.schema.parse({ url: 'https://x.test' })).toMatchObject({ method: 'POST' });
    expect(NODE_TYPES.subworkflow.schema.parse({ workflow_id: 'wf_1' })).toMatchObject({ wait: true });
    expect(NODE_TYPES.fail.schema.parse({})).toMatchObject({ error: 'WorkflowFailed' });
  });

  it('reports bad params through the parser with the node, the field and the full path', () => {
    const parsed = parseWorkflow({ tasks: [{ name: 'call', type: 'http.request', payload: { url: 'ftp://nope', extra: 1 } }] });
    expect(parsed.ok).toBe(false);
    expect(parsed.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ node: 'call', field: 'payload.url', path: 'tasks[0].payload.url', code: 'invalid_params' }),
        expect.objectContaining({ node: 'call', field: 'payload.extra', path: 'tasks[0].payload.extra', code: 'invalid_params', message: expect.stringContaining('unknown field "extra"') }),
      ]),
    );
  });

  it('classifies JSONata and duration problems', () => {
    const parsed = parseWorkflow({
      steps: [
        { type: 'transform', expression: '$map(' },
        { type: 'wait', duration: 'eventually' },
      ],
    });
    expect(parsed.issues.map((i) => [i.node, i.field, i.code])).toEqual([
      ['step_1', 'expression', 'invalid_expression'],
      ['step_2', 'duration', 'invalid_duration'],
    ]);
    expect(jsonataSyntaxError('a.b')).toBeUndefined();
    expect(jsonataSyntaxError('a +')).toMatch(/at character/);
  });
});

/** Representative definitions shared by the dialect, compile and semantics tests. */

/** The definition from the FlowRunner reference (seed 002), verbatim. */
export const FLOWRUNNER_SEED =
  'metadata:\n  name: "My Flow"\n  description: "A simple flow"\n  version: "1.0.0"\n\nnodes:\n  start:\n    type: "http.request"\n    params:\n      url: "https://api.example.com/data"\n      method: "GET"\n    next:\n      default: "end"\n  \n  end:\n    type: "webhook"\n    params:\n      url: "https://webhook.example.com/callback"\n      method: "POST"\n';

/** The example request from the FlowCtl reference (seed 003). */
export const FLOWCTL_SEED = {
  name: 'Data Processing',
  description: 'Process daily data files',
  tasks: [
    { name: 'extract_data', type: 'etl', payload: { source_url: 's3://bucket/data.csv', target_url: 'postgres://db/staging' }, priority: 1 },
    { name: 'validate_data', type: 'generic', dependencies: ['extract_data'], payload: { command: 'validate_schema' }, priority: 2 },
  ],
};

/** The create-workflow example from the CloudFlow reference (seed 004), verbatim. */
export const CLOUDFLOW_SEED = {
  name: 'Email Campaign Automation',
  description: 'Sends personalized emails based on user behavior',
  trigger: { type: 'webhook', url: 'https://your-app.com/webhook' },
  steps: [
    { type: 'fetch_data', source: 'users_table', filters: { active: true } },
    { type: 'transform', script: 'data.map(user => ({ ...user, segment: calculateSegment(user) }))' },
    { type: 'send_email', template_id: 'tpl_welcome_v2' },
  ],
};

/** Order handling: fetch, route on the result, fan out, iterate, fail loudly on unknown states. */
export const ORDER_FLOW = {
  name: 'Order handling',
  definition: `
metadata:
  name: Order handling
  version: "2"
config:
  max_concurrency: 4
  timeout: 10m
  retry_policy: {max_attempts: 4, initial_delay: 2s, max_delay: 30s, backoff_factor: 3}
nodes:
  fetch:
    type: http.request
    params:
      url: "https://shop.example.com/orders/{{input.order_id}}"
      headers: {Authorization: "Bearer {{secrets.SHOP_TOKEN}}"}
    timeout: 20s
    next: route
  route:
    type: choice
    params:
      choices:
        - when: "steps.fetch.output.body.status = 'paid'"
          next: fulfil
        - when: "steps.fetch.output.body.status = 'pending'"
          next: remind
      default: unknown
  fulfil:
    type: parallel
    params:
      branches:
        - nodes:
            invoice: {type: lambda, params: {function_arn: "arn:aws:lambda:us-east-1:123456789012:function:invoice", payload: {order: "{{steps.fetch.output.body}}"}}}
        - nodes:
            ship:
              type: map
              params:
                items: "{{steps.fetch.output.body.lines}}"
                max_concurrency: 2
                iterator:
                  nodes:
                    reserve: {type: http.request, params: {url: "https://wms.example.com/reserve/{{item.sku}}", method: POST}, max_retries: 1}
    next: notify
  remind:
    type: wait
    params: {duration: 1h}
    next: notify
  unknown:
    type: fail
    params: {error: UnknownOrderState, cause: "order status not recognised"}
  notify:
    type: webhook
    params: {url: "https://hooks.example.com/orders", body: {order: "{{input.order_id}}"}}
`,
};

/** A FlowCtl DAG that is not series-parallel (contains an N: a→c, b→c, b→d). */
export const N_DAG = {
  name: 'N shape',
  tasks: [
    { name: 'a', type: 'generic', payload: { command: 'a' } },
    { name: 'b', type: 'generic', payload: { command: 'b' } },
    { name: 'c', type: 'generic', payload: { command: 'c' }, dependencies: ['a', 'b'] },
    { name: 'd', type: 'generic', payload: { command: 'd' }, dependencies: ['b'] },
  ],
};

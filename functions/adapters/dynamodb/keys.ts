/**
 * Every key format in one place. Each tenant-owned item's partition key starts with its account,
 * so a query built from a principal can only ever read that principal's tenant.
 */
import { encodeTime } from 'ulid';
import type { TaskPriority, TaskStatus } from '../../core/tasks/task.ts';
import type { WorkflowStatus } from '../../core/workflows/workflow.ts';
import type { ExecutionStatus, RunTaskStatus } from '../../core/executions/execution.ts';

const acct = (accountId: string) => `ACCT#${accountId}`;
const RUNTASK = 'RUNTASK#';
const RUNITER = 'RUNITER#';

/** ULID time prefix of an instant, clamped to what a ULID can hold (a pre-1970 bound is simply "from the start"). */
const timePrefix = (iso: string) => encodeTime(Math.min(Math.max(0, Date.parse(iso)), 281_474_976_710_655), 10);

export const keys = {
  account: (accountId: string) => ({ pk: acct(accountId), sk: 'ACCOUNT' }),
  user: (accountId: string, userId: string) => ({ pk: acct(accountId), sk: `USER#${userId}` }),
  userPrefix: 'USER#',
  /** gsi1 on account items: every account, for platform admins. */
  allAccounts: 'ACCOUNTS',
  /** Global uniqueness claim for a username or email; both share one namespace because login accepts either. */
  login: (login: string) => ({ pk: `LOGIN#${login}`, sk: 'LOGIN' }),
  counters: (accountId: string) => ({ pk: acct(accountId), sk: 'COUNTERS' }),
  apiKey: (accountId: string, keyId: string) => ({ pk: acct(accountId), sk: `APIKEY#${keyId}` }),
  apiKeyPrefix: 'APIKEY#',
  /** gsi1: a user's API keys (their own list; removal when the user goes). */
  apiKeysOfUser: (accountId: string, userId: string) => `${acct(accountId)}#USER#${userId}#APIKEYS`,
  /** Account secrets' metadata (and, locally, their ciphertext); key names are [A-Z0-9_], so nothing else shares the prefix. */
  secret: (accountId: string, key: string) => ({ pk: acct(accountId), sk: `SECRET#${key}` }),
  secretPrefix: 'SECRET#',
  /** Email templates (send_email); ids are [A-Za-z0-9_-], so nothing else shares the prefix. */
  emailTemplate: (accountId: string, id: string) => ({ pk: acct(accountId), sk: `EMAILTPL#${id}` }),
  emailTemplatePrefix: 'EMAILTPL#',
  /** Local mode's outbox: one item per email, ULID ids so the newest sort last. */
  outboxEntry: (accountId: string, id: string) => ({ pk: acct(accountId), sk: `OUTBOX#${id}` }),
  outboxPrefix: 'OUTBOX#',
  /** Data sources (fetch_data), by name. */
  dataSource: (accountId: string, name: string) => ({ pk: acct(accountId), sk: `DATASRC#${name}` }),
  dataSourcePrefix: 'DATASRC#',
  oauthClient: (accountId: string, clientId: string) => ({ pk: acct(accountId), sk: `OAUTHCLIENT#${clientId}` }),
  oauthClientPrefix: 'OAUTHCLIENT#',
  /** A client-signed assertion's jti (hashed: it is the client's text), kept until the assertion expires. */
  assertionJti: (accountId: string, clientId: string, jtiHash: string) => ({ pk: acct(accountId), sk: `JTI#${clientId}#${jtiHash}` }),
  /** Authorization codes are global (the token request names no account) and live a minute. */
  authorizationCode: (codeHash: string) => ({ pk: `OAUTHCODE#${codeHash}`, sk: 'CODE' }),
  /** A used jwt-bearer assertion, by a digest of its client and id; gone by TTL after it expires. */
  assertionUse: (digest: string) => ({ pk: `OAUTHJTI#${digest}`, sk: 'JTI' }),
  session: (accountId: string, sessionId: string) => ({ pk: acct(accountId), sk: `SESSION#${sessionId}` }),
  /** gsi1: a user's sessions, to end them all when the user is deactivated. */
  sessionsOfUser: (accountId: string, userId: string) => `${acct(accountId)}#USER#${userId}#SESSIONS`,
  /** Failed-login counters, one item per name (or address) per window; global because login precedes tenancy. */
  loginFailures: (kind: 'login' | 'ip', value: string, windowStart: number) => ({ pk: `LOGINFAIL#${kind}#${value}`, sk: String(windowStart) }),
  /**
   * Request counters for rate limiting, one item per subject (`cred#<credential>` or `ip#<address>`)
   * per fixed window; the window length is in the sort key so differently configured stages or
   * servers sharing a table never share a counter. Global, like login failures: counted before tenancy.
   */
  rateLimit: (subject: string, windowSeconds: number, windowStart: number) => ({ pk: `RATELIMIT#${subject}`, sk: `W${windowSeconds}#${windowStart}` }),

  task: (accountId: string, taskId: string) => ({ pk: acct(accountId), sk: `TASK#${taskId}` }),
  taskPrefix: 'TASK#',
  /** gsi1: tasks by status, newest first. */
  taskByStatus: (accountId: string, status: TaskStatus) => `${acct(accountId)}#TASK#STATUS#${status}`,
  /** gsi2: tasks by priority, newest first. */
  taskByPriority: (accountId: string, priority: TaskPriority) => `${acct(accountId)}#TASK#PRIORITY#${priority}`,
  /** gsi3: tasks with a due date, soonest first; sort key `<due ISO>#<task id>`. */
  taskByDue: (accountId: string) => `${acct(accountId)}#TASK#DUE`,
  accountPrefix: acct,

  /** A chat session; its messages sort under it, so one query on `CHAT#<id>` reads a whole conversation. */
  chatSession: (accountId: string, sessionId: string) => ({ pk: acct(accountId), sk: `CHAT#${sessionId}` }),
  /** Zero-padded so messages sort in order. */
  chatMessage: (accountId: string, sessionId: string, seq: number) => ({ pk: acct(accountId), sk: `CHAT#${sessionId}#MSG#${String(seq).padStart(6, '0')}` }),
  chatMessagePrefix: (sessionId: string) => `CHAT#${sessionId}#MSG#`,

  workflow: (accountId: string, workflowId: string) => ({ pk: acct(accountId), sk: `WF#${workflowId}` }),
  workflowPrefix: 'WF#',
  /** Lower bound of the `WF#` range for workflows created at or after `iso` (ids are ULIDs, time first). */
  workflowCreatedFrom: (iso: string) => `WF#wf_${timePrefix(iso)}`,
  /** gsi1: workflows by lifecycle status, newest first. */
  workflowByStatus: (accountId: string, status: WorkflowStatus) => `${acct(accountId)}#WF#STATUS#${status}`,
  /** Published versions sort numerically because the number is zero-padded. */
  workflowVersion: (accountId: string, workflowId: string, version: number) => ({
    pk: acct(accountId),
    sk: `WFV#${workflowId}#${String(version).padStart(6, '0')}`,
  }),
  workflowVersionPrefix: (workflowId: string) => `WFV#${workflowId}#`,
  /** Run statistics of a workflow (last run, counts by outcome), kept by the execution transitions. */
  workflowStats: (accountId: string, workflowId: string) => ({ pk: acct(accountId), sk: `WFSTATS#${workflowId}` }),
  /** gsi1 on stats items: workflows by their latest run's status (FlowCtl's `?status=running`); sort key: workflow id. */
  workflowsByLastRun: (accountId: string, status: string) => `${acct(accountId)}#WFRUN#${status}`,
  /**
   * One rollup bucket of a workflow's executions (insight analytics); `bucket` is its ISO start, so
   * a period is one `BETWEEN` range of one granularity.
   */
  workflowRollup: (accountId: string, workflowId: string, granularity: string, bucket: string) => ({ pk: acct(accountId), sk: `WFROLL#${workflowId}#${granularity}#${bucket}` }),

  execution: (accountId: string, executionId: string) => ({ pk: acct(accountId), sk: `EXEC#${executionId}` }),
  executionPrefix: 'EXEC#',
  /** Bounds of the `EXEC#` range for executions created in [from, to] (ids are ULIDs, time first). */
  executionCreatedFrom: (iso: string) => `exec_${timePrefix(iso)}`,
  executionCreatedTo: (iso: string) => `exec_${timePrefix(iso)}~`,
  /** gsi1: a workflow's executions, newest first (sort key: execution id). */
  executionsOfWorkflow: (accountId: string, workflowId: string) => `${acct(accountId)}#EXEC#WF#${workflowId}`,
  /** gsi2: executions by status, newest first. */
  executionsByStatus: (accountId: string, status: ExecutionStatus) => `${acct(accountId)}#EXEC#STATUS#${status}`,
  /** gsi4: the child executions a parent's subworkflow nodes started, newest first (sort key: execution id). */
  childExecutions: (accountId: string, parentExecutionId: string) => `${acct(accountId)}#EXEC#PARENT#${parentExecutionId}`,
  /** gsi3: a workflow's executions in one status (running ones, for cancel-all). */
  executionsOfWorkflowByStatus: (accountId: string, workflowId: string, status: ExecutionStatus) => `${acct(accountId)}#EXEC#WF#${workflowId}#STATUS#${status}`,
  /** A workflow task of one run; the id alone finds it (GET /tasks/{id}). */
  runTask: (accountId: string, taskId: string) => ({ pk: acct(accountId), sk: `${RUNTASK}${taskId}` }),
  /** Every workflow task of the account: the sort keys' common prefix (the counters' recount reads them). */
  runTaskPrefix: RUNTASK,
  /** gsi1: an execution's tasks, by node id. */
  tasksOfExecution: (accountId: string, executionId: string) => `${acct(accountId)}#EXEC#${executionId}#TASKS`,
  /** A gated layout's gate (statemachines/README.md, "Gated layout"): per execution, gated node and map iteration. */
  runGate: (accountId: string, executionId: string, nodeId: string, mapKey?: string) => ({ pk: acct(accountId), sk: `RUNGATE#${executionId}#${nodeId}#${mapKey ?? ''}` }),
  /** One map iteration of a node: its attempts and output (`key` is the dotted iteration index). */
  runIteration: (accountId: string, executionId: string, nodeId: string, key: string) => ({ pk: acct(accountId), sk: `${RUNITER}${executionId}#${nodeId}#${key}` }),
  /** Every map iteration of the account: the sort keys' common prefix. */
  runIterationPrefix: RUNITER,
  /** An approval node's request and decision (core/approvals), per execution and node. */
  approval: (accountId: string, executionId: string, nodeId: string) => ({ pk: acct(accountId), sk: `APPROVAL#${executionId}#${nodeId}` }),
  approvalPrefix: (executionId: string) => `APPROVAL#${executionId}#`,
  /** gsi1, pending approvals only (sparse: removed on decision): the account's, oldest request first; sort key `<requested ISO>#<execution id>#<node id>`. */
  pendingApprovals: (accountId: string) => `${acct(accountId)}#APPROVALS#PENDING`,
  /** Log lines sort by their monotonic id within the execution. */
  executionLog: (accountId: string, executionId: string, lineId: string) => ({ pk: acct(accountId), sk: `EXECLOG#${executionId}#${lineId}` }),
  executionLogPrefix: (executionId: string) => `EXECLOG#${executionId}#`,
  /** What was provisioned for a workflow's trigger (core/triggers/ports.ts TriggerState). */
  triggerState: (accountId: string, workflowId: string) => ({ pk: acct(accountId), sk: `TRIGGER#${workflowId}` }),
  /** One event-index row per event type a workflow listens for; `TRIGGER#<wf>` prefixes them and the state. */
  triggerEvent: (accountId: string, workflowId: string, event: string) => ({ pk: acct(accountId), sk: `TRIGGER#${workflowId}#EVENT#${event}` }),
  triggerPrefix: (workflowId: string) => `TRIGGER#${workflowId}`,
  /** gsi1: the account's workflows listening for one event type (the trigger dispatcher's lookup). */
  eventSubscribers: (accountId: string, event: string) => `${acct(accountId)}#TRIGGER#EVENT#${event}`,
  /** gsi1: every schedule trigger of every account; only the local cron loop reads it (AWS keeps schedules in Scheduler). */
  allSchedules: 'TRIGGERS#SCHEDULE',
  /** A webhook trigger's token hash, global because the public hook URL names only the workflow. */
  webhookCredential: (workflowId: string) => ({ pk: `HOOK#${workflowId}`, sk: 'HOOK' }),
  /** An Idempotency-Key's claim: `scope` names the operation, `digest` is a hash of the client's key. */
  idempotency: (accountId: string, scope: string, digest: string) => ({ pk: acct(accountId), sk: `IDEMP#${scope}#${digest}` }),

  /** An outbound webhook subscription; the fan-out reads all of an account's with one query on the prefix. */
  webhook: (accountId: string, webhookId: string) => ({ pk: acct(accountId), sk: `WEBHOOK#${webhookId}` }),
  webhookPrefix: 'WEBHOOK#',
  /** One event's delivery to one webhook; delivery ids are time-first, so a webhook's log reads newest first. */
  webhookDelivery: (accountId: string, webhookId: string, deliveryId: string) => ({ pk: acct(accountId), sk: `WHDLV#${webhookId}#${deliveryId}` }),
  webhookDeliveryPrefix: (webhookId: string) => `WHDLV#${webhookId}#`,
  /**
   * gsi1, pending deliveries only (sparse): what is due, across accounts, for the sweep. Sharded by
   * delivery id so a burst of retries spreads over several index partitions; sort key `<due ISO>#<delivery id>`.
   */
  webhookDue: (shard: number) => `WHDUE#${shard}`,
  webhookDueShards: 8,

  /** The latest training of each model name (ml_training); names are [A-Za-z0-9_.-], so nothing else shares the prefix. */
  model: (accountId: string, name: string) => ({ pk: acct(accountId), sk: `MODEL#${name}` }),
  modelPrefix: 'MODEL#',

  /**
   * A live-updates WebSocket connection (AWS), global because `$disconnect` and a `subscribe`
   * message name only the connection; its subscriptions sort under it, so one query ends them all.
   */
  liveConnection: (connectionId: string) => ({ pk: `LIVE#${connectionId}`, sk: 'CONN' }),
  liveSubscription: (connectionId: string, executionId: string) => ({ pk: `LIVE#${connectionId}`, sk: `SUB#${executionId}` }),
  liveSubscriptionPrefix: 'SUB#',
  /** gsi1: the connections watching an execution (the notifier's lookup); sort key: connection id. */
  liveSubscribers: (accountId: string, executionId: string) => `${acct(accountId)}#EXEC#${executionId}#LIVE`,
} as const;

/** Counter attribute names on the COUNTERS item. */
export const counters = {
  tasksTotal: 'tasks_total',
  taskStatus: (status: TaskStatus) => `tasks_status_${status}`,
  taskPriority: (priority: TaskPriority) => `tasks_priority_${priority}`,
  workflowsTotal: 'workflows_total',
  workflowStatus: (status: WorkflowStatus) => `workflows_status_${status}`,
  executionsTotal: 'executions_total',
  executionStatus: (status: ExecutionStatus) => `executions_status_${status}`,
  /** Workflow tasks of runs (one per node per execution), by their status in that run. */
  runTasksTotal: 'run_tasks_total',
  runTaskStatus: (status: RunTaskStatus) => `run_tasks_status_${status}`,
  /** Runner attempts executing now, and attempts waiting out a retry backoff (`/metrics` workers). */
  workersActive: 'workers_active',
  workersIdle: 'workers_idle',
  /** Outbound webhooks of the account: the list total, and the per-account limit's condition. */
  webhooksTotal: 'webhooks_total',
} as const;

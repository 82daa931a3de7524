/**
 * EventBridge sources and patterns, defined once: CDK builds its rules from these, and the local
 * bus (functions/adapters/local/local-bus.ts) matches events against the very same objects.
 * Pure data: no CDK or SDK imports.
 */

export const EXECUTION_STATUS_SOURCE = 'aws.states';
export const EXECUTION_STATUS_DETAIL_TYPE = 'Step Functions Execution Status Change';

/** Status changes of the machines whose ARN starts with `machineArnPrefix` (one stage's generated machines). */
export const EXECUTION_STATUS_PATTERN = (machineArnPrefix: string) => ({
  source: [EXECUTION_STATUS_SOURCE],
  detailType: [EXECUTION_STATUS_DETAIL_TYPE],
  detail: { stateMachineArn: [{ prefix: machineArnPrefix }] },
});

/** Domain events on the stage's custom bus: `source` is this, `detail-type` is the event name, `detail` the envelope. */
export const DOMAIN_EVENT_SOURCE = 'stepwise';

/**
 * Stepwise's own events (functions/core/events/catalog.ts INTERNAL_EVENT_TYPES, e.g. `execution.log`
 * for live updates) share the bus under this source, so rules on ALL_DOMAIN_EVENTS never see them.
 */
export const INTERNAL_EVENT_SOURCE = 'stepwise.internal';

/** A rule's pattern in CDK's spelling (`detailType`); the local bus reads the same object. */
export interface BusPattern {
  readonly source: readonly string[];
  readonly detailType?: readonly string[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Every domain event (webhook delivery decides per subscription which ones it wants). */
export const ALL_DOMAIN_EVENTS: BusPattern = { source: [DOMAIN_EVENT_SOURCE] };

/**
 * Event triggers (functions/trigger-dispatcher): every domain event, because any catalog type may
 * be listed by a workflow; the dispatcher looks the account's subscribers up by type. Internal
 * events (another source) never start workflows.
 */
export const WORKFLOW_TRIGGER_EVENTS: BusPattern = { source: [DOMAIN_EVENT_SOURCE] };

/** Each new execution log line (internal: for live updates, never delivered to webhooks). */
export const EXECUTION_LOG_EVENTS: BusPattern = { source: [INTERNAL_EVENT_SOURCE], detailType: ['execution.log'] };

/**
 * What live updates tell subscribers (functions/core/live): a run's own progress and its log lines.
 * One pattern over both sources, because a rule has one pattern; no catalog event is named
 * `execution.log`, so pairing the lists adds nothing unwanted. The user's to-do `task.*` events
 * (created, updated, deleted) are not listed: they belong to no execution.
 */
export const LIVE_UPDATE_EVENT_TYPES = [
  'workflow.started',
  'workflow.completed',
  'workflow.failed',
  'workflow.cancelled',
  'task.started',
  'task.retrying',
  'task.completed',
  'task.failed',
  'execution.log',
] as const;
export const LIVE_UPDATE_EVENTS: BusPattern = { source: [DOMAIN_EVENT_SOURCE, INTERNAL_EVENT_SOURCE], detailType: LIVE_UPDATE_EVENT_TYPES };

import type { DomainEvent } from '../events/catalog.ts';
import type { FilterValue, WorkflowTrigger } from './trigger.ts';

/**
 * How many event-triggered runs may chain (run A's event starts B, whose event starts C, …) before
 * the next link is dropped. Each run carries its depth in `input.trigger.depth`; runs started any
 * other way are depth 0, so the first event-triggered run is depth 1.
 */
export const MAX_TRIGGER_DEPTH = 5;

type EventTrigger = Extract<WorkflowTrigger, { type: 'event' }>;

/** Every filter key holds: the value at the dotted path equals the expected value, or one of the listed ones. */
export function matchesFilter(filter: EventTrigger['filter'], event: Pick<DomainEvent, 'data'>): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, expected]) => {
    const actual = valueAt({ data: event.data }, path);
    const options: readonly FilterValue[] = Array.isArray(expected) ? expected : [expected as FilterValue];
    return options.some((option) => option === actual || (option === null && actual === undefined));
  });
}

function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/** The chain depth recorded in an event-triggered run's input (0 for anything else). */
export function depthOf(input: unknown): number {
  const trigger = (input as { trigger?: { type?: unknown; depth?: unknown } } | null)?.trigger;
  return trigger?.type === 'event' && typeof trigger.depth === 'number' && Number.isInteger(trigger.depth) && trigger.depth > 0 ? trigger.depth : 0;
}

/** The workflow an event is about (`data.workflow_id`), if it names one. */
export function workflowOf(event: Pick<DomainEvent, 'data'>): string | undefined {
  const id = event.data.workflow_id;
  return typeof id === 'string' ? id : undefined;
}

/** The run an event came from (`data.execution_id`), if any. */
export function executionOf(event: Pick<DomainEvent, 'data'>): string | undefined {
  const id = event.data.execution_id;
  return typeof id === 'string' ? id : undefined;
}

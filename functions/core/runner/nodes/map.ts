import { MAX_MAP_ITEMS_PER_RUN, mapItemLimitMessage } from '../../../../statemachines/task-runner-contract.ts';
import { nonRetryable } from '../errors.ts';
import { readJsonPath } from '../resolve-templates.ts';
import { describe, toJson, type NodeExecutor } from './run.ts';

/** `map`: resolves items the compiler could not read straight from the state; the native Map iterates. */
export const map: NodeExecutor = {
  async resolve_items(run) {
    const raw = run.params.items;
    // `$.path` is normally lowered to ItemsPath by the compiler; reading it here keeps the action total.
    const path = typeof raw === 'string' ? readJsonPath(run.ctx.input, raw.trim()) : undefined;
    const items = path ? path.value : await run.templates.resolve(raw, 'items');
    if (!Array.isArray(items)) throw nonRetryable(`map items must resolve to an array, got ${describe(items)}`);
    if (items.length > MAX_MAP_ITEMS_PER_RUN) throw nonRetryable(mapItemLimitMessage(items.length), { items: items.length, limit: MAX_MAP_ITEMS_PER_RUN });
    return { action: 'resolve_items', items: toJson(items) as unknown[] };
  },
};

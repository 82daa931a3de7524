import { nonRetryable } from '../errors.ts';
import { isPlainObject } from '../resolve-templates.ts';
import { evaluate, expressionScope, truthy, type NodeExecutor } from './run.ts';

/** `choice`: the first condition that holds names the branch; the native Choice state after it routes. */
export const choice: NodeExecutor = {
  async choose(run) {
    const choices = Array.isArray(run.params.choices) ? (run.params.choices as unknown[]).filter(isPlainObject) : [];
    const scope = await expressionScope(
      run,
      choices.map((c) => (typeof c.when === 'string' ? c.when : '')),
    );
    for (const [i, option] of choices.entries()) {
      if (typeof option.when !== 'string' || typeof option.next !== 'string') throw nonRetryable(`choices[${i}] needs a when and a next`);
      const value = await evaluate(run, option.when, scope, `choices[${i}].when`);
      if (await truthy(value)) {
        run.log('debug', 'Choice matched', { index: i, next: option.next });
        return { action: 'choose', next: option.next };
      }
    }
    const fallback = typeof run.params.default === 'string' ? run.params.default : null;
    run.log('debug', fallback === null ? 'No choice matched; branches skipped' : 'No choice matched; using the default', { next: fallback });
    return { action: 'choose', next: fallback };
  },
};

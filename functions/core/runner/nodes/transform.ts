import { nonRetryable } from '../errors.ts';
import { evaluate, executed, expressionScope, recordsOf, toJson, type NodeExecutor } from './run.ts';

/** `transform`: a JSONata expression over `input` (default {input, steps}), evaluated where a time limit can stop it. */
export const transform: NodeExecutor = {
  async execute(run) {
    const expression = run.params.expression;
    if (typeof expression !== 'string') throw nonRetryable('transform needs an expression');
    // The expression itself is never template-resolved: pasting values into code would let data become code.
    const data = run.params.input !== undefined ? await run.templates.resolve(run.params.input, 'input') : await expressionScope(run, [expression]);
    const output = toJson(await evaluate(run, expression, data, 'transform expression'));
    return executed(output, undefined, recordsOf(output));
  },
};

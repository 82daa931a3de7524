import { executed, recordsOf, toJson, type NodeExecutor } from './run.ts';

/** `pass`: reaches the runner only when its result holds templates or another node reads it (else a native Pass). */
export const pass: NodeExecutor = {
  async execute(run) {
    const output = toJson(await run.templates.resolve(run.params.result, 'result'));
    return executed(output, undefined, recordsOf(output));
  },
};

import { AppError } from '../core/errors.ts';
import type { DefinitionCompiler } from '../core/workflows/ports.ts';
import type { DefinitionSource } from '../core/workflows/workflow.ts';
import { compileWorkflow, isError, parseWorkflow, type WorkflowIr } from '../../statemachines/index.ts';

/**
 * The pure compiler bound to this deployment's task runner and machine names. Compilation can
 * still refuse a valid-looking definition (a machine over the 1 MB / history limits): that is
 * the client's 400, with the issues listed, not a server error.
 */
export function workflowCompiler(settings: { taskRunnerArn: string; stateMachineArnPrefix: string; partition?: string; jobsProject?: string; training?: { roleArn: string; bucket: string; region: string } }): DefinitionCompiler {
  return {
    analyse(source: DefinitionSource) {
      const parsed = parseWorkflow(source);
      return { ir: parsed.ok ? parsed.ir : undefined, issues: parsed.issues };
    },
    compile(ir: WorkflowIr, context: { accountId: string; workflowId: string }) {
      const compiled = compileWorkflow(ir, { taskRunnerArn: settings.taskRunnerArn, stateMachineArnPrefix: settings.stateMachineArnPrefix, ...(settings.partition ? { partition: settings.partition } : {}), ...(settings.jobsProject ? { jobsProject: settings.jobsProject } : {}), ...(settings.training ? { training: settings.training } : {}), ...context });
      if (!compiled.ok) {
        const errors = compiled.issues.filter(isError);
        const first = errors[0];
        throw new AppError('validation_error', first?.message ?? 'The definition cannot be compiled', {
          field: first?.path ?? 'definition',
          details: { issues: errors.map((i) => ({ field: i.path, node: i.node, code: i.code, message: i.message })) },
        });
      }
      return compiled.json;
    },
  };
}

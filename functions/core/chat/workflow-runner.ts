import type { ExecutionService } from '../executions/execution-service.ts';
import { isId } from '../ids.ts';
import type { Principal } from '../principal.ts';
import type { WorkflowRepository } from '../workflows/ports.ts';
import type { Workflow } from '../workflows/workflow.ts';
import { bestMatch } from './fuzzy.ts';
import type { WorkflowRunner, WorkflowRunResult } from './ports.ts';

/** Names are matched over the account's newest workflows, like task names over the newest tasks. */
export const WORKFLOW_MATCH_WINDOW = 300;
const PAGE = 100;

/**
 * "Run the nightly export workflow": the name is matched like a task name (fuzzy, asking when
 * several fit), only active workflows are considered, and the run starts through the same
 * executions service as `POST /workflows/{id}/run`. A run cannot be taken back, so only an exact
 * name (ignoring case, accents and punctuation) or id starts one; a looser match is offered for
 * confirmation instead ("run the A wf workflow" must not start `conc-wf`).
 */
export class ExecutionWorkflowRunner implements WorkflowRunner {
  constructor(
    private readonly workflows: Pick<WorkflowRepository, 'get' | 'list'>,
    private readonly executions: Pick<ExecutionService, 'start'>,
  ) {}

  async run(principal: Principal, nameQuery: string, input?: unknown): Promise<WorkflowRunResult> {
    const chosen = isId('workflow', nameQuery.trim()) ? await this.workflows.get(principal.accountId, nameQuery.trim()) : await this.match(principal, nameQuery);
    if (!chosen || 'kind' in chosen) return chosen ?? { kind: 'not_found' };
    const execution = await this.executions.start(principal, chosen.id, { input: isObject(input) ? input : undefined });
    return { kind: 'started', workflow: { id: chosen.id, name: chosen.name }, execution: { id: execution.id, status: execution.status } };
  }

  private async match(principal: Principal, nameQuery: string): Promise<Workflow | WorkflowRunResult> {
    const candidates: Workflow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.workflows.list(principal.accountId, { status: 'active' }, { limit: PAGE, offset: 0, cursor });
      candidates.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && candidates.length < WORKFLOW_MATCH_WINDOW);
    const found = bestMatch(nameQuery, candidates, (w) => w.name);
    if (found.kind === 'none') return { kind: 'not_found' };
    if (found.kind === 'ambiguous') return { kind: 'ambiguous', candidates: found.items.map((w) => ({ id: w.id, name: w.name })) };
    if (found.score < 1) return { kind: 'unsure', candidate: { id: found.item.id, name: found.item.name } };
    return found.item;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

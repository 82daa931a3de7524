/**
 * FlowCtl's JavaScript client shape on Stepwise (`stepwise/compat/flowctl`): the seed's
 * `new FlowCtlClient('http://localhost:8080').createWorkflow(workflowData)` works with only its
 * import changed. FlowCtl's API takes no credential and Stepwise's needs one: pass `{ token }` or
 * `{ apiKey }` as the second argument, or set STEPWISE_TOKEN / STEPWISE_API_KEY. Answers are the
 * API's bodies; errors throw StepwiseApiError with the API's code, message and field.
 */
import { unwrap } from '../errors.ts';
import type { operations, StepwiseClient } from '../index.ts';
import { facadeClient, type FacadeOptions } from './credentials.ts';

type Query<Op extends keyof operations> = operations[Op] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Body<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export class FlowCtlClient {
  readonly client: StepwiseClient;

  constructor(baseUrl?: string, options: Omit<FacadeOptions, 'baseUrl'> = {}) {
    this.client = facadeClient({ ...options, ...(baseUrl ? { baseUrl } : {}) });
  }

  /** Create a workflow; `run: true` in the data also queues its first run (FlowCtl's create-and-queue). */
  createWorkflow(workflow: Body<'createWorkflow'>) {
    return unwrap(this.client.POST('/api/v1/workflows', { body: workflow }));
  }

  getWorkflow(id: string) {
    return unwrap(this.client.GET('/api/v1/workflows/{id}', { params: { path: { id } } }));
  }

  listWorkflows(params: Query<'listWorkflows'> = {}) {
    return unwrap(this.client.GET('/api/v1/workflows', { params: { query: params } }));
  }

  /** Cancels every running execution of the workflow. */
  cancelWorkflow(id: string) {
    return unwrap(this.client.PUT('/api/v1/workflows/{id}/cancel', { params: { path: { id } } }));
  }

  getWorkflowTasks(id: string) {
    return unwrap(this.client.GET('/api/v1/workflows/{id}/tasks', { params: { path: { id } } }));
  }

  getTask(id: string) {
    return unwrap(this.client.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
  }

  /** Starts a run of the workflow (Stepwise's route; FlowCtl queues runs at creation). */
  runWorkflow(id: string, input: Record<string, unknown> = {}) {
    return unwrap(this.client.POST('/api/v1/workflows/{id}/run', { params: { path: { id } }, body: { input } }));
  }

  health() {
    return unwrap(this.client.GET('/api/v1/health'));
  }

  getMetrics() {
    return unwrap(this.client.GET('/api/v1/metrics'));
  }
}

export default FlowCtlClient;

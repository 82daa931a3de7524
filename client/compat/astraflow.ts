/**
 * AstraFlow's SDK shape on Stepwise (`stepwise/compat/astraflow`): the seed's
 * `new AstraClient('YOUR_TOKEN').getTasks({ status: 'active' })` works with only its import changed.
 * Methods are the Python SDK's names in camelCase, each one typed call of the generated client;
 * answers are the API's bodies (a task list also carries AstraFlow's `tasks`, `page` and `total`),
 * errors throw StepwiseApiError with the API's code, message and field.
 */
import { unwrap } from '../errors.ts';
import type { operations, StepwiseClient } from '../index.ts';
import { facadeClient, type FacadeOptions } from './credentials.ts';

type Query<Op extends keyof operations> = operations[Op] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Body<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export class AstraClient {
  readonly client: StepwiseClient;

  /** `token`: an OAuth access token (AstraFlow's Bearer token), a session token or an `sk_` API key. */
  constructor(token?: string, options: Omit<FacadeOptions, 'token' | 'apiKey'> = {}) {
    this.client = facadeClient({ ...options, ...(token ? { token } : {}) });
  }

  getTasks(params: Query<'listTasks'> = {}) {
    return unwrap(this.client.GET('/api/v1/tasks', { params: { query: params } }));
  }

  getTask(id: string) {
    return unwrap(this.client.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
  }

  createTask(task: Body<'createTask'>) {
    return unwrap(this.client.POST('/api/v1/tasks', { body: task }));
  }

  updateTask(id: string, changes: Body<'replaceTask'>) {
    return unwrap(this.client.PUT('/api/v1/tasks/{id}', { params: { path: { id } }, body: changes }));
  }

  deleteTask(id: string) {
    return unwrap(this.client.DELETE('/api/v1/tasks/{id}', { params: { path: { id } } }));
  }

  getUsers(params: Query<'listUsers'> = {}) {
    return unwrap(this.client.GET('/api/v1/users', { params: { query: params } }));
  }

  createUser(user: Body<'createUser'>) {
    return unwrap(this.client.POST('/api/v1/users', { body: user }));
  }

  createWebhook(webhook: Body<'createWebhook'>) {
    return unwrap(this.client.POST('/api/v1/webhooks', { body: webhook }));
  }
}

export default AstraClient;

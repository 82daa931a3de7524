/**
 * Every key format in one place. Each tenant-owned item's partition key starts with its account,
 * so a query built from a principal can only ever read that principal's tenant.
 */
import type { TaskPriority, TaskStatus } from '../../core/tasks/task.ts';

const acct = (accountId: string) => `ACCT#${accountId}`;

export const keys = {
  account: (accountId: string) => ({ pk: acct(accountId), sk: 'ACCOUNT' }),
  user: (accountId: string, userId: string) => ({ pk: acct(accountId), sk: `USER#${userId}` }),
  userPrefix: 'USER#',
  /** gsi1 on account items: every account, for platform admins. */
  allAccounts: 'ACCOUNTS',
  /** Global uniqueness claim for a username or email; both share one namespace because login accepts either. */
  login: (login: string) => ({ pk: `LOGIN#${login}`, sk: 'LOGIN' }),
  counters: (accountId: string) => ({ pk: acct(accountId), sk: 'COUNTERS' }),
  apiKey: (accountId: string, keyId: string) => ({ pk: acct(accountId), sk: `APIKEY#${keyId}` }),
  apiKeyPrefix: 'APIKEY#',
  /** gsi1: a user's API keys (their own list; removal when the user goes). */
  apiKeysOfUser: (accountId: string, userId: string) => `${acct(accountId)}#USER#${userId}#APIKEYS`,
  session: (accountId: string, sessionId: string) => ({ pk: acct(accountId), sk: `SESSION#${sessionId}` }),
  /** gsi1: a user's sessions, to end them all when the user is deactivated. */
  sessionsOfUser: (accountId: string, userId: string) => `${acct(accountId)}#USER#${userId}#SESSIONS`,
  /** Failed-login counters, one item per name (or address) per window; global because login precedes tenancy. */
  loginFailures: (kind: 'login' | 'ip', value: string, windowStart: number) => ({ pk: `LOGINFAIL#${kind}#${value}`, sk: String(windowStart) }),

  task: (accountId: string, taskId: string) => ({ pk: acct(accountId), sk: `TASK#${taskId}` }),
  taskPrefix: 'TASK#',
  /** gsi1: tasks by status, newest first. */
  taskByStatus: (accountId: string, status: TaskStatus) => `${acct(accountId)}#TASK#STATUS#${status}`,
  /** gsi2: tasks by priority, newest first. */
  taskByPriority: (accountId: string, priority: TaskPriority) => `${acct(accountId)}#TASK#PRIORITY#${priority}`,
  /** gsi3: tasks with a due date, soonest first; sort key `<due ISO>#<task id>`. */
  taskByDue: (accountId: string) => `${acct(accountId)}#TASK#DUE`,
  accountPrefix: acct,

} as const;

/** Counter attribute names on the COUNTERS item. */
export const counters = {
  tasksTotal: 'tasks_total',
  taskStatus: (status: TaskStatus) => `tasks_status_${status}`,
  taskPriority: (priority: TaskPriority) => `tasks_priority_${priority}`,
} as const;

/**
 * The command table, in the order `stepwise --help` lists them. A new command group is one module
 * in this folder (a `CommandModule`: see tasks.ts for the pattern) and one line here.
 */
import type { CommandModule } from '../command.ts';
import approvals from './approvals.ts';
import auth from './auth.ts';
import executions from './executions.ts';
import run from './run.ts';
import secrets from './secrets.ts';
import tasks from './tasks.ts';
import webhooks from './webhooks.ts';
import workflows from './workflows.ts';

export const COMMANDS: readonly CommandModule[] = [auth, tasks, workflows, run, executions, approvals, webhooks, secrets];

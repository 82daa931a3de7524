import { DynamoWorkflowRepository } from '../adapters/dynamodb/workflow-repository.ts';
import { slice } from './stepwise.ts';

/**
 * Repositories more than one slice reads, built once per instance: the workflows API, runs,
 * triggers, chat and insight all read workflows through this one.
 */
export const workflowRepositoryOf = slice(({ db, table }) => new DynamoWorkflowRepository(db, table));

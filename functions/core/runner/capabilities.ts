import type { NodeType } from '../../../statemachines/node-types.ts';

/**
 * Node types that validate and compile but that the task runner does not execute yet (statemachines/README.md#node-types
 * maps them to Glue, SageMaker, CodeBuild, ECS and task-token callbacks): a run fails at such a
 * node, and a dry run (`POST /workflows/validate`) warns about it.
 */
export const NOT_YET_EXECUTED: ReadonlySet<NodeType> = new Set(['etl', 'ml_training', 'ci', 'generic', 'subworkflow', 'approval']);

/** The account secret that signs webhook nodes' deliveries unless a node names its own (`signing_secret`). */
export const WEBHOOK_SECRET_KEY = 'WEBHOOK_SECRET';

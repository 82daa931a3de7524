import { WorkflowService } from '../core/workflows/workflow-service.ts';
import { DynamoSecretMetadataRepository } from '../adapters/dynamodb/secret-metadata-repository.ts';
import { workflowCompiler } from '../adapters/workflow-compiler.ts';
import { DynamoDataSourceRepository } from '../adapters/dynamodb/data-source-repository.ts';
import { LOCAL_DATA_SOURCE } from '../core/data-sources/data-source.ts';
import { builtInDataSource } from './data-sources.ts';
import type { WorkflowDeps } from '../workflows/operations.ts';
import { executionsOf } from './executions.ts';
import { slice } from './stepwise.ts';
import { triggersOf } from './triggers.ts';
import { workflowRepositoryOf } from './repositories.ts';

/** Where generated machines live: `stepwise-<stage>` unless CDK names the prefix (STATE_MACHINE_PREFIX). */
export const machinePrefixOf = (stepwise: { config: { STATE_MACHINE_PREFIX?: string | undefined; STEPWISE_STAGE: string } }): string =>
  stepwise.config.STATE_MACHINE_PREFIX ?? `stepwise-${stepwise.config.STEPWISE_STAGE}`;

/**
 * The workflows API's slice: the compiler (with yaml and jsonata, bundled only into the functions
 * that import this module), the workflow service, and the runs and triggers a save or `run: true` touches.
 */
export const workflowsOf = slice((stepwise): WorkflowDeps => {
  const { db, table, platform } = stepwise;
  const prefix = machinePrefixOf(stepwise);
  const compiler = workflowCompiler(platform.compilerTargets(prefix));
  const secretMetadata = new DynamoSecretMetadataRepository(db, table);
  const dataSources = new DynamoDataSourceRepository(db, table);
  const workflows = new WorkflowService(workflowRepositoryOf(stepwise), compiler, platform.provisioner(prefix), stepwise.clock);
  return {
    compiler,
    workflows,
    // Resolved on use: a save that starts no run never builds the run machinery.
    get runs() {
      return executionsOf(stepwise);
    },
    get triggers() {
      return triggersOf(stepwise).triggers;
    },
    publicBaseUrl: stepwise.config.PUBLIC_BASE_URL,
    secretKeys: async (accountId) => (await secretMetadata.list(accountId)).map((s) => s.key),
    dataSourceNames: async (accountId) => [...(builtInDataSource(stepwise, accountId) ? [LOCAL_DATA_SOURCE] : []), ...(await dataSources.list(accountId)).map((s) => s.name)],
  };
});

/**
 * CDK app: `npx cdk deploy --all -c stage=prod`. Stacks are environment-agnostic (account and
 * region come from the CLI's credentials at deploy time), so `cdk synth` runs offline.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsoleConfigStack, ConsoleStack, withConsoleOrigin } from '../lib/console-stack.ts';
import { stageConfig } from '../lib/stage-config.ts';
import { createStepwiseStacks } from '../lib/stepwise.ts';

const app = new App();

const stage = contextString(app, 'stage') ?? 'dev';
const config = stageConfig(stage, {
  corsOrigins: contextString(app, 'corsOrigins'),
  chatEngine: contextString(app, 'chatEngine'),
  bedrockModelId: contextString(app, 'bedrockModelId'),
  emailSender: contextString(app, 'emailSender'),
  platformAdmins: contextString(app, 'platformAdmins'),
});

// The web console (docs/deploy.md#console): its site first, so the API allows its origin for CORS;
// then config.json with the stage's API and WebSocket URLs.
const site = new ConsoleStack(app, `${config.stackPrefix}-Console`, { config, description: `Stepwise ${config.stage} (${config.appVersion}): web console (S3 + CloudFront)` });
const stacks = createStepwiseStacks(app, withConsoleOrigin(config, site));
const consoleConfig = new ConsoleConfigStack(app, `${config.stackPrefix}-ConsoleConfig`, {
  config,
  description: `Stepwise ${config.stage} (${config.appVersion}): the console's API and WebSocket URLs`,
  site,
  apiUrl: stacks.api.api.url,
  liveUrl: stacks.events.live.stage.url,
});

consoleConfig.addStackDependency(site, 'config.json goes into the console bucket');

Tags.of(app).add('project', 'stepwise');
Tags.of(app).add('stepwise:stage', config.stage);

// Unacknowledged cdk-nag errors fail synth; every acknowledgement sits next to the resource it
// covers, with its reason (summarised in docs/deploy.md).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();

function contextString(scope: App, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context '${key}' must be a string, got ${JSON.stringify(value)}`);
  return value;
}

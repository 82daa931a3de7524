/**
 * Removes what a stage's functions created at run time and `cdk destroy` leaves behind
 * (docs/deploy.md#removing-a-stage): per-account API keys, workflow state machines, schedules,
 * account secrets. Lists by default; deletes with --apply.
 *
 *   npm run cleanup -- --stage pr-42            # what would go
 *   npm run cleanup -- --stage pr-42 --apply    # delete (secrets with a 7-day recovery window)
 *   npm run cleanup -- --stage pr-42 --apply --recovery-window-days 0
 *
 * prod* stages keep their data on purpose; cleaning one needs --include-prod as well.
 */
import { parseArgs } from 'node:util';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { StageCleanup } from '../functions/adapters/aws/stage-cleanup.ts';
import { isProdStage, stageConfig } from '../lib/stage-config.ts';

const say = (line: string) => void process.stdout.write(`${line}\n`);
const fail = (line: string) => void process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    stage: { type: 'string' },
    region: { type: 'string' },
    apply: { type: 'boolean', default: false },
    'include-prod': { type: 'boolean', default: false },
    'recovery-window-days': { type: 'string', default: '7' },
  },
});

if (!values.stage) {
  fail('usage: npm run cleanup -- --stage <stage> [--apply] [--recovery-window-days 7] [--include-prod] [--region <region>]');
  process.exit(2);
}
const stage = stageConfig(values.stage).stage;
if (isProdStage(stage) && !values['include-prod']) {
  fail(`${stage} is a prod stage: its data is retained on purpose. Add --include-prod to clean it anyway.`);
  process.exit(2);
}
const recoveryWindowDays = Number(values['recovery-window-days']);
if (!Number.isInteger(recoveryWindowDays) || !(recoveryWindowDays === 0 || (recoveryWindowDays >= 7 && recoveryWindowDays <= 30))) {
  fail('--recovery-window-days must be 0 (delete at once) or 7–30');
  process.exit(2);
}

const region = values.region ?? process.env.AWS_REGION;
const clients = {
  apiGateway: new APIGatewayClient({ region, maxAttempts: 8, retryMode: 'adaptive' }),
  stepFunctions: new SFNClient({ region, maxAttempts: 8, retryMode: 'adaptive' }),
  scheduler: new SchedulerClient({ region, maxAttempts: 8, retryMode: 'adaptive' }),
  secrets: new SecretsManagerClient({ region, maxAttempts: 8, retryMode: 'adaptive' }),
};
const cleanup = new StageCleanup(clients, stage);
const found = await cleanup.find();
say(`stage ${stage}: ${found.apiKeys.length} API keys, ${found.stateMachines.length} state machines, ${found.schedules.length} schedules, ${found.secrets.length} account secrets`);
for (const key of found.apiKeys) say(`  api key        ${key.name} (${key.id})`);
for (const arn of found.stateMachines) say(`  state machine  ${arn}`);
for (const name of found.schedules) say(`  schedule       ${name}`);
for (const name of found.secrets) say(`  secret         ${name}`);
if (!values.apply) {
  say('Nothing deleted: add --apply to delete these.');
} else {
  await cleanup.remove(found, { recoveryWindowDays });
  say('Deleted.');
}

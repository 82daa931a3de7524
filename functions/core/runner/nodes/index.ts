/**
 * The node executors, one per node type: a missing type is a type error, so the registry
 * (statemachines/node-types.ts) and what the runner can do cannot drift apart.
 */
import type { NodeType } from '../../../../statemachines/node-types.ts';
import { approval } from './approval.ts';
import { choice } from './choice.ts';
import { ci } from './ci.ts';
import { etl } from './etl.ts';
import { fail } from './fail.ts';
import { fetchData } from './fetch-data.ts';
import { generic } from './generic.ts';
import { httpRequest } from './http-request.ts';
import { lambda } from './lambda.ts';
import { map } from './map.ts';
import { mlTraining } from './ml-training.ts';
import { parallel } from './parallel.ts';
import { pass } from './pass.ts';
import type { NodeExecutor } from './run.ts';
import { sendEmail } from './send-email.ts';
import { subworkflow } from './subworkflow.ts';
import { transform } from './transform.ts';
import { wait } from './wait.ts';
import { webhook } from './webhook.ts';

export const NODE_EXECUTORS: Readonly<Record<NodeType, NodeExecutor>> = {
  'http.request': httpRequest,
  webhook,
  transform,
  fetch_data: fetchData,
  send_email: sendEmail,
  wait,
  choice,
  parallel,
  map,
  pass,
  fail,
  lambda,
  subworkflow,
  approval,
  etl,
  ml_training: mlTraining,
  ci,
  generic,
};

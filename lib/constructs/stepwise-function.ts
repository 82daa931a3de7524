import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, type ILocalBundling, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { LAMBDA_BUILD, LAMBDA_HANDLER } from '../definitions/lambda-build.ts';
import type { StageConfig } from '../stage-config.ts';

/** Repository root, found from this file so synth works from any working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Variables the construct owns; callers cannot override them by accident. */
const RESERVED_ENV = ['STEPWISE_MODE', 'STEPWISE_STAGE', 'APP_VERSION', 'LOG_LEVEL'] as const;

/**
 * A file in a function's bundle, `target` relative to the bundle: copied from `source` (relative
 * to the repository root), or written by `generator`, a repository script run with tsx whose
 * stdout is the file (lib/ never imports function code, so what needs it runs apart).
 */
export type BundledFile = { readonly target: string } & ({ readonly source: string } | { readonly generator: string; readonly args: readonly string[] });

export interface StepwiseFunctionProps {
  readonly config: StageConfig;
  /** Handler module relative to the repository root, e.g. `functions/tasks/handler.ts`. */
  readonly entry: string;
  readonly description?: string;
  /** Variables shared by a group of functions (e.g. every API function gets TABLE_NAME). */
  readonly sharedEnvironment?: Readonly<Record<string, string>>;
  /** This function's own variables, merged with the shared ones. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** A fixed name, for functions others must name before they exist (the task runner, in machine policies). */
  readonly functionName?: string;
  /** Files (paths relative to the repository root) copied into the bundle, for code that reads them at run time. */
  readonly bundledFiles?: readonly BundledFile[];
}

/**
 * The one way Stepwise builds a Lambda: Node 22 on arm64, ESM bundle from local esbuild,
 * source maps, X-Ray, a retained-or-not log group, and a role that starts with nothing but
 * permission to write its own logs. Grants are added by the stack that knows what the code needs.
 */
export class StepwiseFunction extends Construct implements iam.IGrantable {
  readonly function: LambdaFunction;
  readonly role: iam.Role;
  readonly logGroup: LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: StepwiseFunctionProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    // An explicit role instead of AWSLambdaBasicExecutionRole: that managed policy lets the
    // function create any log group in the account; this one can only write to its own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Stepwise ${config.stage} ${id} function`,
    });
    this.logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;

    this.function = new LambdaFunction(this, 'Function', {
      code: Code.fromAsset(REPO_ROOT, {
        // Hash what is deployed, not the repository: unchanged code keeps its asset.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: local bundling always succeeds or fails synth with esbuild's message.
          image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
          local: new EsbuildBundling(isAbsolute(props.entry) ? props.entry : join(REPO_ROOT, props.entry), props.bundledFiles ?? []),
        },
      }),
      handler: LAMBDA_HANDLER,
      ...(props.functionName ? { functionName: props.functionName } : {}),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? config.lambda.memorySize,
      timeout: props.timeout ?? config.lambda.timeout,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      environment: mergeEnvironment(id, baseEnvironment(config), props.sharedEnvironment, props.environment),
    });

    this.enableTracing();

    // Pinned by the design: the bundle targets node22 and the code is tested on that line.
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Runtime is pinned to nodejs22.x on purpose: the esbuild target, the dependency set (middy 6, jose 6) and the test matrix are validated on Node 22, which Lambda supports into 2027. Moving to nodejs24.x is a deliberate upgrade, not a default bump.',
    });
  }

  /**
   * Attaches a policy of its own to the function's role, and creates the function only after it:
   * otherwise CloudFormation may create (and API Gateway invoke) the function before the policy
   * exists, and the first requests after a deploy fail with AccessDenied (docs/deploy.md#first-deploy).
   */
  attachPolicy(policy: iam.Policy): void {
    this.role.attachInlinePolicy(policy);
    this.function.node.addDependency(policy);
  }

  /**
   * Active X-Ray tracing, with its wildcard permission kept in a policy of its own so the
   * acknowledgement below covers X-Ray only and not whatever is later granted on the role.
   */
  private enableTracing(): void {
    const cfn = this.function.node.defaultChild as CfnFunction;
    cfn.tracingConfig = { mode: 'Active' };
    const xray = new iam.Policy(this, 'XRayWrite', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    this.function.node.addDependency(xray);
    Validations.of(xray).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions (the IAM service authorization reference lists no resource type for them), so Resource "*" is the only valid value. This policy holds nothing else.',
    });
  }
}

/**
 * esbuild in the synth process, with the settings every function shares (lib/definitions/lambda-build.ts).
 * Not NodejsFunction: it always passes `--outfile`, and code splitting (what keeps lazily imported
 * adapters out of a function's cold start) needs an output directory.
 */
class EsbuildBundling implements ILocalBundling {
  constructor(
    private readonly entry: string,
    private readonly files: readonly BundledFile[],
  ) {}

  tryBundle(outputDir: string): boolean {
    buildSync({ ...LAMBDA_BUILD, entryPoints: [this.entry], outdir: outputDir, absWorkingDir: REPO_ROOT });
    for (const f of this.files) {
      mkdirSync(join(outputDir, dirname(f.target)), { recursive: true });
      if ('source' in f) cpSync(join(REPO_ROOT, f.source), join(outputDir, f.target));
      else writeFileSync(join(outputDir, f.target), execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, f.generator), ...f.args], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }));
    }
    return true;
  }
}

function baseEnvironment(config: StageConfig): Record<string, string> {
  return {
    STEPWISE_MODE: 'aws',
    STEPWISE_STAGE: config.stage,
    APP_VERSION: config.appVersion,
    LOG_LEVEL: config.logLevel,
  };
}

/**
 * base + shared + own. A key defined twice is almost always a wiring mistake (e.g. a function
 * pointing TABLE_NAME elsewhere), so it fails synth instead of silently winning.
 */
export function mergeEnvironment(
  id: string,
  base: Readonly<Record<string, string>>,
  ...layers: (Readonly<Record<string, string>> | undefined)[]
): Record<string, string> {
  const merged: Record<string, string> = { ...base };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (key in merged) {
        const why = (RESERVED_ENV as readonly string[]).includes(key) ? 'is set by StepwiseFunction' : 'is defined twice';
        throw new Error(`${id}: environment variable ${key} ${why}`);
      }
      merged[key] = value;
    }
  }
  return merged;
}

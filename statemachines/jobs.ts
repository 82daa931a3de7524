/**
 * How `generic` and `ci` nodes run on AWS (statemachines/README.md, "Jobs"; docs/deploy.md, "Jobs"):
 * three states per node.
 *
 * 1. `<id>`: a runner Task (`prepare_job`) records the attempt and resolves the params' templates into
 *    CodeBuild environment variables (PLAINTEXT: nodes with `{{secrets.KEY}}` are refused at compile on
 *    AWS, see `jobSecretIssue`);
 * 2. `<id> (job)`: `arn:aws:states:::codebuild:startBuild.sync` on the stage's one jobs project with
 *    the buildspec below, `TimeoutSecondsPath` = the job's timeout, the node's Retry policy;
 * 3. `<id> (record)` / `<id> (job failed)`: a runner Task (`record_job`) records the outcome.
 *
 * The buildspecs are fixed text, so nothing a workflow supplies is ever parsed as buildspec YAML; what
 * varies arrives in environment variables, and the shell only ever sees them as quoted words.
 */
import { quoteForShell } from './command-line.ts';

/** Variables the buildspecs read; a node's own environment may not use these prefixes. */
export const JOB_VARIABLE_PREFIXES = ['STEPWISE_', 'CODEBUILD_'] as const;

/**
 * generic: STEPWISE_ARGV is the argv with every word single-quoted (`quoteForShell`), so `eval` runs
 * exactly those words as one simple command: no expansion, no operators.
 */
export const GENERIC_BUILDSPEC = [
  'version: 0.2',
  'phases:',
  '  build:',
  '    commands:',
  '      - eval "$STEPWISE_ARGV"',
  '',
].join('\n');

/**
 * ci: a shallow clone (https or ssh only: GIT_ALLOW_PROTOCOL), the checked-out sha printed as
 * `STEPWISE_COMMIT=<sha>` (read back from the build log), then the command with `sh -c` in the checkout.
 */
export const CI_BUILDSPEC = [
  'version: 0.2',
  'env:',
  '  shell: bash',
  '  variables:',
  '    GIT_ALLOW_PROTOCOL: "https:ssh"',
  '    GIT_TERMINAL_PROMPT: "0"',
  'phases:',
  '  build:',
  '    commands:',
  '      - git clone --quiet --depth 1 --no-tags ${STEPWISE_BRANCH:+--branch "$STEPWISE_BRANCH"} -- "$STEPWISE_REPO_URL" "$CODEBUILD_SRC_DIR/stepwise-repo"',
  '      - cd "$CODEBUILD_SRC_DIR/stepwise-repo" && echo "STEPWISE_COMMIT=$(git rev-parse HEAD)" && sh -c "$STEPWISE_COMMAND"',
  '',
].join('\n');

export const jobBuildspec = (type: 'generic' | 'ci') => (type === 'generic' ? GENERIC_BUILDSPEC : CI_BUILDSPEC);

/** STEPWISE_ARGV for GENERIC_BUILDSPEC. */
export const argvVariable = (argv: readonly string[]) => quoteForShell(argv);

/** CodeBuild accepts 5..2160 minutes; the state's TimeoutSecondsPath enforces the node's own (shorter) timeout. */
export const MAX_JOB_TIMEOUT_SECONDS = 8 * 60 * 60;

/** On AWS a `ci` repository must be reachable from CodeBuild: https:// or ssh (never a path on this machine). */
export const isNetworkRepoUrl = (url: string) => /^(https:\/\/|ssh:\/\/)\S+$|^[A-Za-z0-9_.-]+@[A-Za-z0-9.-]+:\S+$/.test(url);

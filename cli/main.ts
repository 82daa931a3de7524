/**
 * `stepwise`: the command-line client (bin/stepwise.js runs it). commander parses the command
 * line; every command is built on the typed client (client/). `main` returns the exit code rather
 * than exiting, so tests run it in process as well as through the real bin.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { actor, type RunState } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { DEFAULT_API_URL } from './context.ts';
import type { Io } from './io.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(io: Io, state: RunState): Command {
  const program = new Command('stepwise')
    .description('Drive Stepwise from a terminal: tasks, workflows, runs, logs, webhooks and secrets.')
    .version(version, '-V, --version')
    .option('--api-url <url>', `the API (default $STEPWISE_API_URL, else ${DEFAULT_API_URL})`)
    .option('--live-url <url>', 'the live-updates WebSocket API on AWS (stack output LiveUrl; default $STEPWISE_LIVE_URL, else the API’s own /ws)')
    .option('--json', 'print the API’s JSON (streams: one JSON document per line)')
    .option('--no-color', 'no colours (also NO_COLOR=1; colours are only ever used on a terminal)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText(
      'after',
      `
Credentials: STEPWISE_API_KEY or STEPWISE_TOKEN (for scripts), else the session \`stepwise login\` keeps
in $XDG_CONFIG_HOME/stepwise/config.json (~/.config/stepwise/config.json).
Exit codes: 0 success, 1 an API error or a run that did not complete, 2 a usage error.`,
    );
  const act = actor(io, state);
  for (const register of COMMANDS) register(program, act);
  return program;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const state: RunState = { exitCode: 0 };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code) ? 0 : 2;
    throw error;
  }
  return state.exitCode;
}

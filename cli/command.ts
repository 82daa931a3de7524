/**
 * The glue between commander and the commands: `act(fn)` turns a command function into a
 * commander action that builds the Context from the global options, runs it, and turns what it
 * returns (or throws) into the exit code. A command module is one function that adds its commands
 * to the program; cli/commands/index.ts lists them.
 */
import type { Command } from 'commander';
import { Context, type GlobalOptions } from './context.ts';
import type { Io } from './io.ts';

export type CommandFn<O = Record<string, unknown>> = (ctx: Context, args: string[], options: O) => Promise<number | void>;

export type Act = <O = Record<string, unknown>>(fn: CommandFn<O>) => (...params: unknown[]) => Promise<void>;

/** A command module: adds its commands (or one command group) to the program. */
export type CommandModule = (program: Command, act: Act) => void;

export interface RunState {
  exitCode: number;
}

export function actor(io: Io, state: RunState): Act {
  return (fn) =>
    async (...params) => {
      const command = params.at(-1) as Command;
      const options = command.opts();
      const args = params.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
      let ctx: Context | undefined;
      try {
        ctx = new Context(io, command.optsWithGlobals() as GlobalOptions);
        state.exitCode = (await fn(ctx, args, options as never)) ?? 0;
      } catch (error) {
        const out = ctx?.out ?? new Context(io, { json: Boolean((command.optsWithGlobals() as GlobalOptions).json), apiUrl: 'http://127.0.0.1' }).out;
        state.exitCode = out.error(error);
      } finally {
        ctx?.prompt.close();
      }
    };
}

/** For repeatable, comma-separated options (`--tag a --tag b,c`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

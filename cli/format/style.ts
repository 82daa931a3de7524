/**
 * Colours only where a person reads them: the stream is a terminal, NO_COLOR is unset or empty
 * (no-color.org), TERM is not `dumb`; FORCE_COLOR=1 turns them on anyway, FORCE_COLOR=0 off.
 * picocolors' own detection also colours under CI=true, which a pipe in CI must not get.
 */
import picocolors from 'picocolors';

export type Style = ReturnType<typeof picocolors.createColors>;

export function colorsEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

export const createStyle = (enabled: boolean): Style => picocolors.createColors(enabled);

// oxlint-disable-next-line no-control-regex -- matching the escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g;

/** The width a string takes on screen (escape sequences take none). */
export const visibleLength = (text: string) => [...text.replace(ANSI, '')].length;

export const stripAnsi = (text: string) => text.replace(ANSI, '');

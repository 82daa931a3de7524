/**
 * The logger port: what Stepwise code logs through, in every layer. Shaped like Powertools'
 * GenericLogger (a message, then structured fields), so any structured logger fits; the composition
 * root builds one per instance (functions/root/stepwise.ts) and hands each consumer the slice it
 * needs (`Pick<Logger, 'error'>` for code that only reports failures). Callers pass ids and
 * outcomes, never request bodies, credentials or secret values (docs/secrets.md).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Code that only ever reports failures. */
export type ErrorLogger = Pick<Logger, 'error'>;

/** Discards everything: for tests and for code whose caller chose not to hear. */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

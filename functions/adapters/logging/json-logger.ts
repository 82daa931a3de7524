import type { LogFields, Logger, LogLevel } from '../../core/logger.ts';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The logger port as one JSON line per event (stdout: CloudWatch Logs on AWS, the terminal locally),
 * so Logs Insights can query fields. Powertools Logger was measured as the alternative in the
 * bench (docs/benchmarks.md#logger-powertools-or-the-house-logger): 20-odd KB more in every bundle
 * and a few ms more at every cold start, for sampling and context injection Stepwise does not use.
 */
export function createJsonLogger(minLevel: LogLevel = 'info', sink: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const log = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    sink(JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...fields }));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

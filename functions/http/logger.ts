type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * One JSON line per event, so CloudWatch Logs Insights can query fields. Callers pass ids and
 * outcomes, never request bodies or credentials.
 */
export function createLogger(minLevel: Level = 'info', sink: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  const log = (level: Level, message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    sink(JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...fields }));
  };
  return {
    debug: (m: string, f?: Record<string, unknown>) => log('debug', m, f),
    info: (m: string, f?: Record<string, unknown>) => log('info', m, f),
    warn: (m: string, f?: Record<string, unknown>) => log('warn', m, f),
    error: (m: string, f?: Record<string, unknown>) => log('error', m, f),
  };
}

export type Logger = ReturnType<typeof createLogger>;

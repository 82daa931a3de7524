/** A dependency the health endpoint reports on. */
export interface HealthProbe {
  readonly name: string;
  check(): Promise<void>;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  version: string;
  timestamp: string;
  checks: Record<string, { status: 'ok' | 'error'; latency_ms: number; message?: string }>;
}

export async function healthReport(probes: readonly HealthProbe[], version: string, now: Date): Promise<HealthReport> {
  const entries = await Promise.all(
    probes.map(async (probe) => {
      const started = performance.now();
      try {
        await probe.check();
        return [probe.name, { status: 'ok' as const, latency_ms: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        const message = error instanceof Error ? error.name : 'unknown error';
        return [probe.name, { status: 'error' as const, latency_ms: Math.round(performance.now() - started), message }] as const;
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  const healthy = entries.every(([, c]) => c.status === 'ok');
  return { status: healthy ? 'healthy' : 'unhealthy', version, timestamp: now.toISOString(), checks };
}

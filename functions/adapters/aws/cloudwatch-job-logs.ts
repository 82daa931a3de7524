import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { JobLogs } from '../../core/runner/ports.ts';

/**
 * The end of a CodeBuild job's log (docs/api.md, "Jobs"): one GetLogEvents from the end of the
 * stream (`startFromHead: false` answers the newest events, up to 1 MB), cut to `maxBytes`. The client
 * comes from a factory so only runs with a job load the SDK.
 */
export class CloudWatchJobLogs implements JobLogs {
  constructor(private readonly client: () => Promise<CloudWatchLogsClient>) {}

  async tail(location: { groupName: string; streamName: string }, maxBytes: number): Promise<{ lines: string[]; truncated: boolean }> {
    const [client, { GetLogEventsCommand }] = await Promise.all([this.client(), import('@aws-sdk/client-cloudwatch-logs')]);
    const answer = await client.send(new GetLogEventsCommand({ logGroupName: location.groupName, logStreamName: location.streamName, startFromHead: false }));
    const all = (answer.events ?? []).map((e) => (e.message ?? '').replace(/\n$/, ''));
    const lines: string[] = [];
    let bytes = 0;
    for (let i = all.length - 1; i >= 0; i--) {
      bytes += Buffer.byteLength(all[i]!) + 1;
      if (bytes > maxBytes) return { lines: lines.toReversed(), truncated: true };
      lines.push(all[i]!);
    }
    return { lines: lines.toReversed(), truncated: false };
  }
}

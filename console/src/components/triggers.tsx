import cronstrue from 'cronstrue';
import { api, enc } from '../lib/api.ts';
import type { Workflow } from '../lib/api-types.ts';
import { useAction } from '../lib/hooks.ts';
import { ErrorNotice } from './ui.tsx';

interface Trigger {
  type?: string;
  cron?: string;
  timezone?: string;
  events?: string[];
  event?: string;
  filter?: Record<string, unknown>;
}

/** A cron expression in words ("At 09:00, Monday through Friday"), or why it cannot be read. */
export function cronInWords(cron: string): string {
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return 'an expression this console cannot put in words';
  }
}

/** How the workflow's runs start (docs/api.md#triggers): manual, schedule, webhook or events. */
export default function Triggers({ workflow, onUrl }: { workflow: Workflow; onUrl: (url: string) => void }) {
  const trigger = (workflow.trigger ?? { type: 'manual' }) as Trigger;
  const rotate = useAction(async () => {
    const token = await api.post<{ webhook_url: string }>(`/workflows/${enc(workflow.id)}/webhook-token`);
    onUrl(token.webhook_url);
  });
  return (
    <section aria-labelledby="triggers-heading">
      <h2 id="triggers-heading">Triggers</h2>
      <dl class="facts" data-testid="triggers">
        <div>
          <dt>Type</dt>
          <dd>{trigger.type ?? 'manual'}</dd>
        </div>
        {trigger.type === 'schedule' && trigger.cron && (
          <>
            <div>
              <dt>Schedule</dt>
              <dd>
                {cronInWords(trigger.cron)} ({trigger.timezone ?? 'UTC'})
              </dd>
            </div>
            <div>
              <dt>Cron</dt>
              <dd>
                <code>{trigger.cron}</code>
              </dd>
            </div>
          </>
        )}
        {trigger.type === 'event' && (
          <div>
            <dt>Event types</dt>
            <dd>{(trigger.events ?? (trigger.event ? [trigger.event] : [])).join(', ')}</dd>
          </div>
        )}
        {trigger.type === 'event' && trigger.filter && (
          <div>
            <dt>Filter</dt>
            <dd>
              <code>{JSON.stringify(trigger.filter)}</code>
            </dd>
          </div>
        )}
        {trigger.type === 'manual' && (
          <div>
            <dt>Runs</dt>
            <dd>when started here or with POST /workflows/{'{id}'}/run</dd>
          </div>
        )}
      </dl>
      {trigger.type === 'webhook' && (
        <>
          <p class="muted">The webhook URL holds its token, so it is shown only when it is made. A new one replaces the old.</p>
          <ErrorNotice error={rotate.error} title="Could not make a new webhook URL" />
          <button type="button" class="secondary" disabled={rotate.busy} onClick={() => void rotate.run()}>
            New webhook URL
          </button>
        </>
      )}
    </section>
  );
}

import * as z from 'zod';
import type { Process } from '../core/triggers/trigger-service.ts';
import { processTriggerType } from '../core/triggers/trigger.ts';
import { PaginationSchema } from '../shared/schemas.ts';

export const HookPath = z.object({
  workflow_id: z.string().min(1).max(64).meta({ description: 'The webhook-triggered workflow’s id (wf_…)' }),
  token: z.string().min(1).max(128).meta({ description: 'The webhook token shown once when the trigger was created or rotated' }),
});

/** The run's input, as the caller sent it. */
export const HookBody = z
  .record(z.string(), z.unknown(), { error: 'the body must be a JSON object; it becomes the run’s input' })
  .meta({ id: 'WebhookTriggerBody', description: 'Any JSON object; an empty body is {}' });

export const WebhookTokenSchema = z
  .object({
    workflow_id: z.string(),
    webhook_url: z.string().meta({ description: 'POST here to start a run; shown only in this response' }),
    token: z.string(),
    message: z.string(),
  })
  .meta({ id: 'WebhookToken' });

export const TRIGGER_TYPES = ['manual', 'time_based', 'event_based'] as const;

export const ProcessSchema = z
  .object({
    process_id: z.string(),
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    trigger_type: z.enum(TRIGGER_TYPES).meta({ description: 'manual; schedule → time_based; event and webhook → event_based' }),
    trigger: z.record(z.string(), z.unknown()).meta({ description: 'The workflow’s trigger, e.g. {type: "schedule", cron, timezone}' }),
    schedule: z.string().nullable().meta({ description: 'The cron expression of a schedule trigger' }),
    timezone: z.string().nullable(),
    is_active: z.boolean().meta({ description: 'The workflow’s status is active (paused and archived workflows do not run)' }),
    status: z.string(),
    last_execution: z.string().nullable().meta({ description: 'When the latest run started' }),
    last_execution_id: z.string().nullable(),
    last_execution_status: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Process' });

export const ProcessListSchema = z
  .object({ data: z.array(ProcessSchema), processes: z.array(ProcessSchema), pagination: PaginationSchema })
  .meta({ id: 'ProcessList' });

/** Behflow's process: a workflow seen by how it starts. */
export function processView({ workflow: wf, stats }: Process): z.output<typeof ProcessSchema> {
  const trigger = wf.trigger ?? { type: 'manual' as const };
  return {
    process_id: wf.id,
    id: wf.id,
    name: wf.name,
    description: wf.description,
    trigger_type: processTriggerType(trigger),
    trigger: { ...trigger },
    schedule: trigger.type === 'schedule' ? trigger.cron : null,
    timezone: trigger.type === 'schedule' ? trigger.timezone : null,
    is_active: wf.status === 'active',
    status: wf.status,
    last_execution: stats?.lastRunAt ?? null,
    last_execution_id: stats?.lastExecutionId ?? null,
    last_execution_status: stats?.lastStatus ?? null,
    created_at: wf.createdAt,
    updated_at: wf.updatedAt,
  };
}

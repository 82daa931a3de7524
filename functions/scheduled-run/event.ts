/** What each workflow's EventBridge Scheduler schedule sends (adapters/aws/eventbridge-schedules.ts), and what the local cron loop passes. */
export interface ScheduledRunEvent {
  account_id: string;
  workflow_id: string;
  /** The slot, filled in by Scheduler from `<aws.scheduler.scheduled-time>`. */
  scheduled_time: string;
}

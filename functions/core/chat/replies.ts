/**
 * The assistant's wording. Replies are always composed from what was actually done (never by a
 * model), so an answer cannot claim a change that did not happen.
 */
import type { Task, TaskStatus } from '../tasks/task.ts';
import type { ChatTaskFilter, HelpReason, TaskHandle } from './chat.ts';

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export const STATUS_LABEL: Record<TaskStatus, string> = {
  pending: 'pending',
  in_progress: 'in progress',
  blocked: 'blocked',
  completed: 'done',
  cancelled: 'cancelled',
};

/** "Fri 2026-01-09", plus the time when it is not the end of the day ("Thu 2026-01-08 17:00 UTC"). */
export function formatDue(iso: string): string {
  const d = new Date(iso);
  const date = `${WEEKDAY[d.getUTCDay()]} ${iso.slice(0, 10)}`;
  const time = iso.slice(11, 16);
  return time === '23:59' ? date : `${date} ${time} UTC`;
}

export const quote = (name: string): string => `“${name}”`;

/** The facts of a task after its name, for confirmations and list lines. */
export function taskDetails(task: Task, options: { status?: boolean } = {}): string {
  const parts = [
    ...(options.status === false ? [] : [STATUS_LABEL[task.status]]),
    `${task.priority} priority`,
    ...(task.dueDate ? [`due ${formatDue(task.dueDate)}`] : []),
    ...(task.tags.length ? [task.tags.map((t) => `#${t}`).join(' ')] : []),
  ];
  return parts.join(', ');
}

export function numbered(tasks: readonly Task[]): string {
  return tasks.map((t, i) => `${i + 1}. ${quote(t.name)} — ${taskDetails(t)}`).join('\n');
}

/** "urgent tasks tagged #work due this week" from a list filter. */
export function describeFilter(filter: ChatTaskFilter): string {
  const words = [
    ...(filter.openOnly && !filter.status && filter.dueLabel !== 'overdue' ? ['open'] : []),
    ...(filter.status ? [STATUS_LABEL[filter.status]] : []),
    ...(filter.dueLabel === 'overdue' ? ['overdue'] : []),
    ...(filter.priority ? [`${filter.priority}-priority`] : []),
    'tasks',
    ...(filter.tag ? [`tagged #${filter.tag}`] : []),
    ...(filter.dueLabel && filter.dueLabel !== 'overdue' ? [filter.dueLabel] : []),
    ...(filter.nameQuery ? [`matching ${quote(filter.nameQuery)}`] : []),
  ];
  return words.join(' ');
}

export function listReply(filter: ChatTaskFilter, shown: readonly Task[], total: number): string {
  const what = describeFilter(filter);
  if (total === 0) return `You have no ${what}.`;
  const heading = total === 1 ? `You have 1 ${what.replace(/\btasks\b/, 'task')}:` : `You have ${total} ${what}:`;
  const more = total > shown.length ? `\n…and ${total - shown.length} more (showing the first ${shown.length}).` : '';
  return `${heading}\n${numbered(shown)}${more}`;
}

export function whichOne(candidates: readonly TaskHandle[], tasks: readonly Task[], what = 'task'): string {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const lines = candidates.map((c, i) => {
    const task = byId.get(c.id);
    return `${i + 1}. ${quote(c.name)}${task ? ` — ${taskDetails(task)}` : ''}`;
  });
  return `Which ${what} do you mean?\n${lines.join('\n')}\nReply with the number (“the second one”) or the name.`;
}

const EXAMPLES = [
  '• Create: “Create a task to review the docs by Friday #docs high priority”, “remind me to call Sam tomorrow at 5pm”',
  '• List: “show my urgent tasks”, “what’s due this week?”, “list tasks tagged #work”, “what’s blocked?”, “what’s overdue?”',
  '• Change: “mark review the docs as done”, “start it”, “block it”, “reopen it”, “make it urgent”, “move it to next Monday”, “rename it to Review API docs”, “tag it #q4”',
  '• Delete: “delete the docs task”',
  '• Workflows: “run the nightly export workflow”',
].join('\n');

export function helpReply(reason: HelpReason, message?: string): string {
  switch (reason) {
    case 'greeting':
      return `Hi! I can create, find, update and delete your tasks, and run workflows. For example:\n${EXAMPLES}`;
    case 'thanks':
      return 'You’re welcome! Anything else?';
    case 'missing_name':
      return 'What should the task be called? For example: “create a task to call Sam tomorrow”.';
    case 'invalid_workflow_input':
      return 'The workflow input must be a JSON object, for example: “run the export workflow with {"day": "2026-01-01"}”.';
    case 'help':
      return `Here is what I understand:\n${EXAMPLES}\nDates: today, tomorrow, Friday, next Monday, in 3 days, next week, 2026-12-01, December 1 (UTC; a day without a time means the end of that day). Priorities: low, medium, high, urgent. Tags: #word.`;
    case 'unknown':
      return `Sorry, I didn’t understand${message ? ` “${truncate(message, 80)}”` : ' that'}. Here is what I can do:\n${EXAMPLES}`;
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

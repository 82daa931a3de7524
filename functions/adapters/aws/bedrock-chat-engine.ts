import { ConverseCommand, type BedrockRuntimeClient, type ConverseCommandInput, type Message, type Tool } from '@aws-sdk/client-bedrock-runtime';
import * as z from 'zod';
import { CONTEXT_MESSAGES, type ChatContext, type ChatIntent, type ChatMessage, type ChatTaskFilter, type Interpretation, type TaskEdit } from '../../core/chat/chat.ts';
import { parseDateValue } from '../../core/chat/dates.ts';
import type { ChatEngine } from '../../core/chat/ports.ts';
import { formatDue } from '../../core/chat/replies.ts';
import { parseTaskRef } from '../../core/chat/rules-engine.ts';
import { TASK_PRIORITIES, TASK_STATUS_ALIASES, TASK_STATUSES, type TaskStatus } from '../../core/tasks/task.ts';

/** Past this the model is abandoned and the rules parser answers (Lambda's own timeout is 10 s). */
export const BEDROCK_TIMEOUT_MS = 6000;

const PRIORITY = { type: 'string', enum: [...TASK_PRIORITIES] };
const STATUS = { type: 'string', enum: [...TASK_STATUSES] };
const DAY_OR_INSTANT = 'ISO 8601: YYYY-MM-DD for a whole day, or a date-time with Z';
const TASK_REF =
  'Which existing task: its id (task_…) if known, "it" for the task the conversation is about, "the second one" for a position in the last list, otherwise the words the user used for it (matched against task names).';

/** The operations the model may call; each maps to one ChatIntent (the same ones the rules parser produces). */
export const CHAT_TOOLS: Tool[] = [
  {
    toolSpec: {
      name: 'create_task',
      description: 'Create a task.',
      inputSchema: {
        json: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'Short task name, without the date, priority or tags' },
            description: { type: 'string' },
            priority: PRIORITY,
            due_date: { type: 'string', description: `Deadline, ${DAY_OR_INSTANT}` },
            tags: { type: 'array', items: { type: 'string' }, description: 'Tags without #' },
          },
          required: ['name'],
        },
      },
    },
  },
  {
    toolSpec: {
      name: 'list_tasks',
      description: 'List the user’s tasks, optionally filtered. All filters combine.',
      inputSchema: {
        json: {
          type: 'object',
          properties: {
            status: STATUS,
            priority: PRIORITY,
            tag: { type: 'string', description: 'Tag without #' },
            due_after: { type: 'string', description: `Only tasks due on or after this, ${DAY_OR_INSTANT}` },
            due_before: { type: 'string', description: `Only tasks due on or before this, ${DAY_OR_INSTANT}` },
            overdue: { type: 'boolean', description: 'Only open tasks whose deadline has passed' },
            open_only: { type: 'boolean', description: 'Leave out completed and cancelled tasks' },
            name_contains: { type: 'string', description: 'Words the task name should contain' },
          },
        },
      },
    },
  },
  {
    toolSpec: {
      name: 'update_task',
      description: 'Change an existing task: status, priority, name, due date, description or tags. Give only what changes.',
      inputSchema: {
        json: {
          type: 'object',
          properties: {
            task: { type: 'string', description: TASK_REF },
            name: { type: 'string', description: 'New name' },
            description: { type: ['string', 'null'] },
            status: STATUS,
            priority: PRIORITY,
            due_date: { type: ['string', 'null'], description: `New deadline, ${DAY_OR_INSTANT}; null removes it` },
            add_tags: { type: 'array', items: { type: 'string' } },
            remove_tags: { type: 'array', items: { type: 'string' } },
          },
          required: ['task'],
        },
      },
    },
  },
  {
    toolSpec: {
      name: 'delete_task',
      description: 'Delete an existing task.',
      inputSchema: { json: { type: 'object', properties: { task: { type: 'string', description: TASK_REF } }, required: ['task'] } },
    },
  },
  {
    toolSpec: {
      name: 'run_workflow',
      description: 'Start a run of one of the user’s workflows.',
      inputSchema: {
        json: {
          type: 'object',
          properties: {
            workflow: { type: 'string', description: 'The workflow’s name as the user said it, or its id (wf_…)' },
            input: { type: 'object', description: 'Input for the run, if the user gave any' },
          },
          required: ['workflow'],
        },
      },
    },
  },
];

/**
 * Amazon Bedrock through the Converse API: the model only chooses tool calls; the calls become the
 * same intents the rules parser produces, and the reply is composed from what was done. A call
 * that does not validate is dropped; none left means "nothing usable" and the rules parser answers.
 */
export class BedrockChatEngine implements ChatEngine {
  readonly name = 'bedrock' as const;

  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly options: { modelId: string; timeoutMs?: number },
  ) {}

  async interpret(message: string, context: ChatContext): Promise<Interpretation> {
    const out = await this.client.send(new ConverseCommand(converseInput(this.options.modelId, message, context)), {
      abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? BEDROCK_TIMEOUT_MS),
    });
    const intents = (out.output?.message?.content ?? []).flatMap((block) => {
      const intent = block.toolUse ? toolIntent(block.toolUse.name ?? '', block.toolUse.input, context.now) : undefined;
      return intent ? [intent] : [];
    });
    return { engine: 'bedrock', intents };
  }
}

export function converseInput(modelId: string, message: string, context: ChatContext): ConverseCommandInput {
  return {
    modelId,
    system: [{ text: systemPrompt(context) }],
    messages: [...conversation(context.recent), { role: 'user', content: [{ text: message }] }],
    toolConfig: { tools: CHAT_TOOLS },
    inferenceConfig: { maxTokens: 1024, temperature: 0 },
  };
}

function systemPrompt(context: ChatContext): string {
  const today = formatDue(new Date(Date.UTC(context.now.getUTCFullYear(), context.now.getUTCMonth(), context.now.getUTCDate(), 23, 59, 59)).toISOString());
  const lines = [
    'You are the task assistant of Stepwise. Turn the user’s latest message into calls of the provided tools: several calls if it asks for several things, none if it asks for nothing they can do. Never invent tasks, ids or workflows.',
    `Today is ${today} (UTC). A deadline given as a day means the end of that day. Weeks start on Monday.`,
  ];
  if (context.lastTasks.length > 0) {
    lines.push('Tasks the conversation is about, in order:', ...context.lastTasks.map((t, i) => `${i + 1}. ${t.id}: ${t.name}`));
  }
  return lines.join('\n');
}

/** Converse wants user and assistant turns alternating, starting with the user. */
function conversation(recent: readonly ChatMessage[]): Message[] {
  const out: { role: 'user' | 'assistant'; text: string }[] = [];
  for (const m of recent.slice(-CONTEXT_MESSAGES)) {
    const last = out.at(-1);
    if (!last && m.role === 'assistant') continue;
    if (last?.role === m.role) last.text += `\n\n${m.text}`;
    else out.push({ role: m.role, text: m.text });
  }
  if (out.at(-1)?.role === 'user') out.pop();
  return out.map((m) => ({ role: m.role, content: [{ text: m.text }] }));
}

const Status = z.enum([...TASK_STATUSES, ...(Object.keys(TASK_STATUS_ALIASES) as [string, ...string[]])]).transform((s) => TASK_STATUS_ALIASES[s] ?? (s as TaskStatus));
const Priority = z.enum(TASK_PRIORITIES);
const DateText = z.string().trim().min(1).max(64);
const Tags = z.array(z.string().trim().min(1).transform((t) => t.replace(/^#/, ''))).max(20);
const TaskText = z.string().trim().min(1).max(200);

const TOOL_INPUTS = {
  create_task: z.object({ name: TaskText, description: z.string().max(4000).optional(), priority: Priority.optional(), due_date: DateText.optional(), tags: Tags.optional(), status: Status.optional() }),
  list_tasks: z.object({
    status: Status.optional(),
    priority: Priority.optional(),
    tag: z.string().trim().min(1).max(50).optional(),
    due_after: DateText.optional(),
    due_before: DateText.optional(),
    overdue: z.boolean().optional(),
    open_only: z.boolean().optional(),
    name_contains: z.string().trim().min(1).max(200).optional(),
  }),
  update_task: z.object({
    task: TaskText,
    name: TaskText.optional(),
    description: z.string().max(4000).nullable().optional(),
    status: Status.optional(),
    priority: Priority.optional(),
    due_date: DateText.nullable().optional(),
    add_tags: Tags.optional(),
    remove_tags: Tags.optional(),
  }),
  delete_task: z.object({ task: TaskText }),
  run_workflow: z.object({ workflow: TaskText, input: z.record(z.string(), z.unknown()).optional() }),
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A date argument as a day range: ISO dates and date-times, and the phrases the rules parser knows ("friday"). */
function dayOf(text: string, now: Date): { start: Date; end: Date; due: Date } | undefined {
  if (!ISO_DAY.test(text) && /^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const at = new Date(text);
    return Number.isNaN(at.getTime()) ? undefined : { start: at, end: at, due: at };
  }
  const m = parseDateValue(text, now);
  return m ? { start: m.range.start, end: m.range.end, due: m.due } : undefined;
}

/** One tool call as an intent, or undefined when it does not validate (unknown tool, bad arguments). */
export function toolIntent(name: string, input: unknown, now: Date): ChatIntent | undefined {
  switch (name) {
    case 'create_task': {
      const p = TOOL_INPUTS.create_task.safeParse(input);
      if (!p.success) return undefined;
      const due = p.data.due_date === undefined ? undefined : dayOf(p.data.due_date, now);
      if (p.data.due_date !== undefined && !due) return undefined;
      const { name: taskName, description, priority, tags, status } = p.data;
      return { kind: 'create_task', task: { name: taskName, description, priority, tags, status, dueDate: due?.due.toISOString() } };
    }
    case 'list_tasks': {
      const p = TOOL_INPUTS.list_tasks.safeParse(input);
      if (!p.success) return undefined;
      const after = p.data.due_after === undefined ? undefined : dayOf(p.data.due_after, now);
      const before = p.data.due_before === undefined ? undefined : dayOf(p.data.due_before, now);
      if ((p.data.due_after !== undefined && !after) || (p.data.due_before !== undefined && !before)) return undefined;
      const filter: ChatTaskFilter = {
        status: p.data.status,
        priority: p.data.priority,
        tag: p.data.tag?.replace(/^#/, ''),
        nameQuery: p.data.name_contains,
        ...(p.data.overdue
          ? { dueBefore: now.toISOString(), openOnly: true, dueLabel: 'overdue' }
          : {
              dueAfter: after?.start.toISOString(),
              // "On or before" a day includes all of it; an exact instant is its own bound.
              dueBefore: before ? new Date(before.end.getTime() === before.start.getTime() ? before.end.getTime() + 1 : before.end.getTime()).toISOString() : undefined,
              dueLabel: dueLabel(p.data.due_after, p.data.due_before),
              openOnly: p.data.open_only,
            }),
      };
      return { kind: 'list_tasks', filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as ChatTaskFilter };
    }
    case 'update_task': {
      const p = TOOL_INPUTS.update_task.safeParse(input);
      if (!p.success) return undefined;
      const target = parseTaskRef(p.data.task);
      const due = typeof p.data.due_date === 'string' ? dayOf(p.data.due_date, now) : undefined;
      if (!target || (typeof p.data.due_date === 'string' && !due)) return undefined;
      const changes: TaskEdit = {
        name: p.data.name,
        description: p.data.description,
        status: p.data.status,
        priority: p.data.priority,
        dueDate: p.data.due_date === null ? null : due?.due.toISOString(),
        addTags: p.data.add_tags,
        removeTags: p.data.remove_tags,
      };
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as TaskEdit;
      return Object.keys(defined).length > 0 ? { kind: 'update_task', target, changes: defined } : undefined;
    }
    case 'delete_task': {
      const p = TOOL_INPUTS.delete_task.safeParse(input);
      const target = p.success ? parseTaskRef(p.data.task) : undefined;
      return target ? { kind: 'delete_task', target } : undefined;
    }
    case 'run_workflow': {
      const p = TOOL_INPUTS.run_workflow.safeParse(input);
      if (!p.success) return undefined;
      return { kind: 'run_workflow', workflow: p.data.workflow, ...(p.data.input !== undefined ? { input: p.data.input } : {}) };
    }
    default:
      return undefined;
  }
}

function dueLabel(after: string | undefined, before: string | undefined): string | undefined {
  if (after && before) return `due ${after} to ${before}`;
  if (before) return `due by ${before}`;
  if (after) return `due from ${after}`;
  return undefined;
}

/** The engine with its client, the SDK loaded here on first use. One retry: a second slow attempt would outlast the fallback's budget. */
export async function createBedrockChatEngine(region: string, modelId: string): Promise<BedrockChatEngine> {
  const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
  return new BedrockChatEngine(new BedrockRuntimeClient({ region, maxAttempts: 2 }), { modelId });
}

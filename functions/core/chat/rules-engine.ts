/**
 * The default chat engine: a deterministic, offline parser from plain English to intents. It
 * knows a fixed set of phrasings (docs/api.md#chat lists them with examples) and says so, with
 * examples, when a message is none of them. Every pattern is tried in a fixed order, so the same
 * message always means the same thing.
 */
import type { TaskPriority, TaskStatus } from '../tasks/task.ts';
import type { ChatContext, ChatIntent, ChatTaskFilter, HelpReason, Interpretation, TaskEdit, TaskHandle, TaskRef } from './chat.ts';
import { addDays, findDate, hasLeadWord, parseDateValue, startOfDay, type DateMatch } from './dates.ts';
import { bestMatch, normalize } from './fuzzy.ts';
import type { ChatEngine } from './ports.ts';

export class RulesChatEngine implements ChatEngine {
  readonly name = 'rules' as const;

  async interpret(message: string, context: ChatContext): Promise<Interpretation> {
    return { engine: 'rules', intents: parseMessage(message, context.now) };
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const PRIORITY_WORD = '(low|medium|normal|high|urgent|critical|top)';
const PRIORITY_OF: Record<string, TaskPriority> = { low: 'low', medium: 'medium', normal: 'medium', high: 'high', important: 'high', urgent: 'urgent', critical: 'urgent', top: 'urgent' };

/** Status words as people say them, longest first so "not started" wins over "started". */
const STATUS_WORDS: [string, TaskStatus][] = [
  ['not started', 'pending'],
  ['not done', 'pending'],
  ['in progress', 'in_progress'],
  ['in-progress', 'in_progress'],
  ['on hold', 'blocked'],
  ['to do', 'pending'],
  ['to-do', 'pending'],
  ['completed', 'completed'],
  ['complete', 'completed'],
  ['finished', 'completed'],
  ['closed', 'completed'],
  ['done', 'completed'],
  ['started', 'in_progress'],
  ['active', 'in_progress'],
  ['ongoing', 'in_progress'],
  ['underway', 'in_progress'],
  ['doing', 'in_progress'],
  ['blocked', 'blocked'],
  ['stuck', 'blocked'],
  ['pending', 'pending'],
  ['todo', 'pending'],
  ['open', 'pending'],
  ['incomplete', 'pending'],
  ['undone', 'pending'],
  ['cancelled', 'cancelled'],
  ['canceled', 'cancelled'],
  ['abandoned', 'cancelled'],
];
const STATUS_WORD = `(${STATUS_WORDS.map(([w]) => w.replace(/[-\s]/g, '[-\\s]')).join('|')})`;
const statusOf = (word: string): TaskStatus | undefined => STATUS_WORDS.find(([w]) => w === word.toLowerCase().replace(/\s+/g, ' '))?.[1];

const ORDINALS: Record<string, number> = { first: 0, second: 1, third: 2, fourth: 3, fifth: 4, sixth: 5, seventh: 6, eighth: 7, ninth: 8, tenth: 9, last: -1 };
const TAG = '#?[\\p{L}\\p{N}][\\p{L}\\p{N}_-]*';
/** `#work` is a tag; `#42` (an issue or PR number) stays part of the name. */
const HASHTAG = /(?<![\p{L}\p{N}_&#])#(?!\d+(?![\p{L}\p{N}_-]))([\p{L}\p{N}][\p{L}\p{N}_-]*)/gu;
const QUOTED = /["“]([^"”]+)["”]|(?<![\p{L}\p{N}])['‘]([^'’]+)['’](?![\p{L}\p{N}])/u;

const re = (source: string) => new RegExp(source, 'iu');

// ---------------------------------------------------------------------------------------------
// Messages and clauses

/** Verbs that start a second command after " and " ("…and make it urgent"); kept narrow so "bread and milk" stays one name. */
const AND_THEN = /\s+and\s+(?=(?:then\s+)?(?:(?:make|mark|set|tag|rename|move|reschedule|delete|remove|start|block|complete|finish)\s+(?:it|that|this|them)\b|(?:show|list)\s+(?:me\s+)?(?:all\s+)?(?:my\s+|the\s+)?tasks\b))/iu;
/** Commands a new sentence may start with; other sentences stay with the one before (descriptions). */
const COMMAND_START = /^(?:please\s+)?(?:make|mark|set|change|rename|move|reschedule|delete|remove|show|list|tag|complete|finish|start|block|unblock|reopen|cancel|run|execute|create|add|prioriti[sz]e|what|which|also|then)\b/iu;

export function parseMessage(message: string, now: Date): ChatIntent[] {
  return splitClauses(message).map((clause) => parseClause(clause, now));
}

function splitClauses(message: string): string[] {
  const parts = message
    .split(/\s*(?:;|\n+|,?\s+and\s+then\s+|,\s*then\s+)\s*/iu)
    .flatMap((p) => p.split(AND_THEN))
    .flatMap((p) => {
      // Sentences: split on ". " but rejoin a sentence that is not a command (a description going on).
      const sentences = p.split(/(?<=[\p{L}\p{N})"”'])[.!?]\s+(?=\S)/u);
      const out: string[] = [];
      for (const s of sentences) {
        if (out.length > 0 && !COMMAND_START.test(s)) out[out.length - 1] += `. ${s}`;
        else out.push(s);
      }
      return out;
    })
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length > 0 ? parts : [message];
}

const POLITE_PREFIX = re(
  "^(?:(?:please|pls|plz|kindly|ok(?:ay)?|so|now|also|and|then|hey|hi|hello|yo|oh|um+|well|alright|right)\\b[,!.]?\\s+|(?:can|could|would|will)\\s+you\\s+(?:please\\s+)?|(?:let'?s|lets)\\s+|go\\s+ahead\\s+and\\s+)",
);
const WANT_PREFIX = re("^(?:i(?:'d|\\s+would)\\s+like\\s+(?:you\\s+)?to|i\\s+want\\s+(?:you\\s+)?to|i\\s+wanna)\\s+");
const POLITE_SUFFIX = re('[\\s,]*(?:please|pls|thanks|thank\\s+you|thx|for\\s+me)[.!]*$');

function parseClause(raw: string, now: Date): ChatIntent {
  let text = raw.trim().replace(/\s+/g, ' ');
  const whole = text.replace(/[.!?]+$/u, '').toLowerCase();
  const social = socialIntent(whole);
  if (social) return social;

  let previous: string;
  let wantsTo = false;
  do {
    previous = text;
    text = text.replace(POLITE_PREFIX, '');
    if (WANT_PREFIX.test(text)) {
      wantsTo = true;
      text = text.replace(WANT_PREFIX, '');
    }
    text = text.replace(POLITE_SUFFIX, '').replace(/[\s.!?]+$/u, '');
  } while (text !== previous);
  if (!text) return help('unknown');

  const intent =
    socialIntent(text.toLowerCase()) ??
    strongCreate(text, now) ??
    listTasks(text, now) ??
    runWorkflow(text) ??
    tagChange(text) ??
    dueClear(text) ??
    rename(text) ??
    deleteTask(text) ??
    setField(text, now) ??
    statusChange(text) ??
    priorityChange(text) ??
    dueChange(text, now) ??
    weakCreate(text, now);
  if (intent) return intent;
  // "I want to buy a car": not a command we know, so it is something to do.
  return wantsTo ? draftFrom(text, now) : help('unknown');
}

const help = (reason: HelpReason): ChatIntent => ({ kind: 'help', reason });

function socialIntent(lower: string): ChatIntent | undefined {
  if (/^(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening))(?:\s+there)?[\s!,.]*$/u.test(lower)) return help('greeting');
  if (/^(?:(?:great|cool|nice|perfect|awesome|ok|okay|got\s+it)[,!.]?\s*)?(?:thanks|thank\s+you|thx|ty|cheers)(?:\s+(?:so\s+much|a\s+lot|very\s+much|again))?[\s!.]*$/u.test(lower)) return help('thanks');
  if (/^(?:great|cool|nice|perfect|awesome|ok|okay|got\s+it|alright)[\s!.]*$/u.test(lower)) return help('thanks');
  if (/^(?:help|\?+|what\s+can\s+you\s+do|what\s+do\s+you\s+(?:do|understand)|how\s+does\s+this\s+work|how\s+do\s+i\s+use\s+(?:this|you)|commands|examples)[\s?!.]*$/u.test(lower)) return help('help');
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Creating

const STRONG_CREATE = re(
  `^(?:create|add|make|new|set\\s+up|setup|open|put\\s+(?:in|down)|log|record|schedule|jot\\s+down|write\\s+down)(?:\\s+(?:me|us))?(?:\\s+(?:a|an|another|one|the|this|some))?(?:\\s+new)?(?:\\s+(low|medium|normal|high|urgent|critical|top|important)(?:[\\s-]+priority)?)?\\s+(?:task|todo|to-do|to\\s+do|item|reminder|ticket)s?\\b(.*)$`,
);
const LABELLED_CREATE = re('^(?:new\\s+)?(?:task|todo|to-?do|reminder)\\s*[:\\-–]\\s*(.+)$');
const REMIND = re('^remind\\s+(?:me|us)\\s+(?:to|about|of)\\s+(.+)$');

function strongCreate(text: string, now: Date): ChatIntent | undefined {
  const m = STRONG_CREATE.exec(text);
  if (m) return draftFrom(m[2] ?? '', now, m[1] ? PRIORITY_OF[m[1].toLowerCase()] : undefined);
  const labelled = LABELLED_CREATE.exec(text) ?? REMIND.exec(text);
  return labelled ? draftFrom(labelled[1]!, now) : undefined;
}

// Only verbs that mean "make a task" are dropped; "schedule the review" keeps its verb as the name.
const WEAK_CREATE = re('^(?:add|create|new)\\s+(.+)$');
const NEED_TO = re("^(?:make\\s+sure\\s+(?:to|that)?|i\\s+(?:need|have|must|should|gotta|ought)(?:\\s+to)?|i've\\s+got\\s+to|i\\s+got\\s+to|need\\s+to|have\\s+to|must|don'?t\\s+(?:let\\s+me\\s+)?forget\\s+(?:to|about)|remember\\s+to)\\s+(.+)$");
const TO_MY_LIST = re('\\s+(?:to|on|in)\\s+(?:my|the)\\s+(?:task\\s+list|tasks|todo\\s+list|to-?do\\s+list|todos|list)$');

function weakCreate(text: string, now: Date): ChatIntent | undefined {
  const m = NEED_TO.exec(text) ?? WEAK_CREATE.exec(text);
  return m ? draftFrom(m[1]!.replace(TO_MY_LIST, ''), now) : undefined;
}

const DESCRIPTION = re('(?:,?\\s+(?:and\\s+)?with\\s+(?:a\\s+|the\\s+)?(?:description|notes?|details)\\s*[:\\-]?|[,;.]?\\s+(?:description|desc|notes?|details)\\s*:)\\s*(.+)$');
const KEYWORD_TAGS = re(`\\s+(?:and\\s+)?(?:(?:tagged|labell?ed)(?:\\s+(?:with|as))?|with\\s+(?:the\\s+)?(?:tags?|labels?)|tags?\\s*:)\\s+(${TAG}(?:\\s*(?:,|and|&)\\s*${TAG})*)`);
const PRIORITY_PATTERNS: [RegExp, (m: RegExpExecArray) => TaskPriority][] = [
  [re(`(?:\\s+(?:with|at|as))?(?:\\s+(?:a|an))?\\s+${PRIORITY_WORD}[\\s-]+priority\\b`), (m) => PRIORITY_OF[m[1]!.toLowerCase()]!],
  [re(`\\s+(?:with\\s+)?priority\\s*(?::|=|of|is)?\\s*${PRIORITY_WORD}\\b`), (m) => PRIORITY_OF[m[1]!.toLowerCase()]!],
  [re('\\s+(?:it\'?s\\s+|is\\s+|as\\s+)?(?:very\\s+|super\\s+)?(?:urgent(?:ly)?|asap|critical|as\\s+soon\\s+as\\s+possible)\\b'), () => 'urgent'],
  [re('\\s+!{2,}'), () => 'urgent'],
  [re('\\s+(?:it\'?s\\s+|is\\s+)?(?:very\\s+)?important\\b'), () => 'high'],
  [re('\\s+(?:not\\s+urgent|whenever|someday|no\\s+rush|low-?key)\\b'), () => 'low'],
  [re('\\s+p([0-3])\\b'), (m) => (['urgent', 'high', 'medium', 'low'] as const)[Number(m[1])]!],
];

/** A new task from free text: description, tags, priority and due date come out, the rest is the name. */
function draftFrom(rest: string, now: Date, presetPriority?: TaskPriority): ChatIntent {
  let text = ` ${rest.trim()} `;
  let description: string | undefined;
  const d = DESCRIPTION.exec(text);
  if (d) {
    description = unquote(d[1]!.trim());
    text = `${text.slice(0, d.index)} `;
  }

  let quotedName: string | undefined;
  const q = QUOTED.exec(text);
  if (q) {
    quotedName = (q[1] ?? q[2])!.trim();
    text = `${text.slice(0, q.index)} ${text.slice(q.index + q[0].length)}`;
  }

  const tags: string[] = [];
  const keywordTags = KEYWORD_TAGS.exec(text);
  if (keywordTags) {
    tags.push(...splitTags(keywordTags[1]!));
    text = `${text.slice(0, keywordTags.index)} ${text.slice(keywordTags.index + keywordTags[0].length)}`;
  }
  text = text.replace(HASHTAG, (_all, tag: string) => {
    tags.push(tag);
    return ' ';
  });

  let priority = presetPriority;
  for (const [pattern, value] of PRIORITY_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    priority ??= value(m);
    text = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`;
  }

  let dueDate: string | undefined;
  const due = findDate(text, now, (m) => isDeadline(text, m));
  if (due) {
    dueDate = due.due.toISOString();
    text = `${text.slice(0, due.index)} ${text.slice(due.index + due.length)}`;
  }

  const name = cleanName(quotedName ?? text);
  if (!name) return help('missing_name');
  return {
    kind: 'create_task',
    task: {
      name,
      ...(description ? { description } : {}),
      ...(priority ? { priority } : {}),
      ...(dueDate ? { dueDate } : {}),
      ...(tags.length ? { tags: [...new Set(tags)] } : {}),
    },
  };
}

/**
 * Whether a date phrase inside a new task's text is its deadline: "by friday", "tomorrow" and a
 * date at the end are; "monday" in "plan the monday meeting" is part of the name.
 */
function isDeadline(text: string, match: DateMatch): boolean {
  const phrase = text.slice(match.index, match.index + match.length);
  const after = text.slice(match.index + match.length);
  return hasLeadWord(text, match) || /^[\s,.;!?]*$/u.test(after) || /^(?:today|tonight|tomorrow|tmrw|tmr|in\s)/iu.test(phrase);
}

const LEADING_FILLER = re('^(?:[:\\-–,]\\s*|(?:called|named|titled|to|for|about|that\\s+says|saying|which\\s+is|that|so\\s+i\\s+can|of)\\s+)');
const TRAILING_FILLER = re('(?:\\s*[,:\\-–]|\\s+(?:and|with|due))$');

function cleanName(raw: string): string {
  let name = raw.replace(/\s+/g, ' ').trim();
  let previous: string;
  do {
    previous = name;
    name = name.replace(LEADING_FILLER, '').replace(TRAILING_FILLER, '').replace(/[\s.!?,;]+$/u, '').trim();
  } while (name !== previous);
  return capitalize(unquote(name));
}

/** "review docs" → "Review docs"; a first word with capitals of its own ("iPhone") is left alone. */
function capitalize(name: string): string {
  const first = name.split(' ')[0] ?? '';
  return first === first.toLowerCase() ? name.charAt(0).toUpperCase() + name.slice(1) : name;
}

function unquote(text: string): string {
  const m = /^["“'‘](.*)["”'’]$/su.exec(text.trim());
  return (m ? m[1]! : text).trim();
}

function splitTags(text: string): string[] {
  return text
    .split(/\s*(?:,|\band\b|&|\s)\s*/u)
    .map((t) => t.replace(/^#/, '').trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Listing

const LIST_START = re(
  "^(?:show|list|display|view|see|find|search(?:\\s+for)?|get(?!\\s+rid)|give|tell|what|what's|whats|what’s|which|any|do\\s+i\\s+have|have\\s+i\\s+got|are\\s+there|is\\s+there|how\\s+many|check(?!\\s+off)|pull\\s+up|bring\\s+up)\\b",
);
const TASK_NOUN = re('\\b(?:tasks?|todos?|to-?dos|items?|things|work|stuff|list|agenda|plate)\\b');
/** "urgent tasks", "my open todos due friday": a noun phrase about tasks. */
const TASKS_PHRASE = re('^(?:(?:all|my|our|the|open|any)\\s+)*(?:\\S+\\s+){0,3}(?:tasks|todos|to-?dos)\\b');
/** Verbs that make a message a command even when it mentions "tasks" ("delete all done tasks"). */
const COMMAND_VERB = re(
  '^(?:add|create|make|new|delete|remove|trash|erase|mark|complete|finish|close|start|begin|block|unblock|reopen|cancel|rename|move|reschedule|postpone|set|change|update|tag|label|run|execute|trigger|prioriti[sz]e|escalate)\\b',
);
const WHAT_NEXT = re("^(?:what(?:'s|\\s+is)?\\s+next|what\\s+(?:should|do|must|can)\\s+i\\s+(?:do|work\\s+on)(?:\\s+next)?|what(?:'s|\\s+is)\\s+on\\s+my\\s+(?:plate|list|agenda))");

function listTasks(text: string, now: Date): ChatIntent | undefined {
  if (WHAT_NEXT.test(text)) return { kind: 'list_tasks', filter: { openOnly: true, ...listFilter(text, now) } };
  const filter = listFilter(text, now);
  const hasFilter = Object.keys(filter).length > 0;
  const asks = LIST_START.test(text) && (TASK_NOUN.test(text) || hasFilter);
  if (!asks && (COMMAND_VERB.test(text) || !TASKS_PHRASE.test(text))) return undefined;
  return { kind: 'list_tasks', filter };
}

const LIST_STATUS: [RegExp, TaskStatus | 'open'][] = [
  [re('\\b(?:blocked|stuck|on\\s+hold)\\b'), 'blocked'],
  [re('\\b(?:not[\\s-]started|pending|new)\\b'), 'pending'],
  [re('\\b(?:in[\\s-]progress|ongoing|started|doing|working\\s+on|active|underway)\\b'), 'in_progress'],
  [re('\\b(?:done|completed?|finished|closed)\\b'), 'completed'],
  [re('\\b(?:cancell?ed|abandoned)\\b'), 'cancelled'],
  [re('\\b(?:open|outstanding|remaining|unfinished|incomplete|left|not\\s+done|to\\s*-?\\s*do|todo)\\b'), 'open'],
];

function listFilter(text: string, now: Date): ChatTaskFilter {
  const filter: { -readonly [K in keyof ChatTaskFilter]: ChatTaskFilter[K] } = {};
  let rest = ` ${text} `;

  const named = re('\\s+(?:about|named|called|matching|mentioning|containing|with\\s+(?:the\\s+)?name)\\s+(.+?)\\s*$').exec(rest);
  if (named) {
    filter.nameQuery = unquote(named[1]!.trim());
    rest = rest.slice(0, named.index);
  }

  const hashtag = new RegExp(HASHTAG.source, 'u').exec(rest);
  const keywordTag = re(`\\b(?:tagged|labell?ed|with\\s+(?:the\\s+)?(?:tag|label)|tag)\\s+(?:with\\s+|as\\s+)?(${TAG})`).exec(rest);
  if (keywordTag) filter.tag = keywordTag[1]!.replace(/^#/, '');
  else if (hashtag) filter.tag = hashtag[1];
  rest = rest.replace(HASHTAG, ' ');

  if (re('\\b(?:overdue|late|past\\s+due|missed)\\b').test(rest)) {
    filter.dueBefore = now.toISOString();
    filter.dueLabel = 'overdue';
  } else if (re('\\b(?:due\\s+soon|coming\\s+up|upcoming)\\b').test(rest)) {
    filter.dueAfter = startOfDay(now).toISOString();
    filter.dueBefore = addDays(startOfDay(now), 7).toISOString();
    filter.dueLabel = 'due in the next 7 days';
  } else {
    const date = findDate(rest, now);
    if (date) {
      const phrase = rest.slice(date.index, date.index + date.length).trim();
      const before = /^(?:due\s+)?(?:by|before|until|till)\b/iu.test(phrase);
      if (!before) filter.dueAfter = date.range.start.toISOString();
      filter.dueBefore = date.range.end.toISOString();
      filter.dueLabel = /^due\b/iu.test(phrase) ? phrase : `due ${phrase}`;
      rest = `${rest.slice(0, date.index)} ${rest.slice(date.index + date.length)}`;
    }
  }

  const priority = re(`\\b${PRIORITY_WORD}(?:[\\s-]+priority)?\\b`).exec(rest) ?? re(`\\bpriority\\s*(?::|=|is)?\\s*${PRIORITY_WORD}\\b`).exec(rest);
  if (priority) filter.priority = PRIORITY_OF[priority[1]!.toLowerCase()];
  else if (re('\\bimportant\\b').test(rest)) filter.priority = 'high';

  for (const [pattern, status] of LIST_STATUS) {
    if (!pattern.test(rest)) continue;
    if (status === 'open') filter.openOnly = true;
    else filter.status = status;
    break;
  }
  // "What's due" means what is still to be done.
  if ((filter.dueBefore || filter.dueAfter) && !filter.status) filter.openOnly = true;
  return filter;
}

// ---------------------------------------------------------------------------------------------
// Workflows

const RUN = re('^(?:run|execute|trigger|launch|kick\\s*off|fire(?:\\s+off)?|invoke|start)\\s+(.+)$');
const WORKFLOW_NOUN = '(?:workflow|flow|process|pipeline|job|automation)';

function runWorkflow(text: string): ChatIntent | undefined {
  const m = RUN.exec(text);
  if (!m) return undefined;
  let rest = m[1]!;
  let input: unknown;
  const withInput = /\s+with\s+(?:the\s+)?(?:input|payload|data|params|parameters)?\s*[:=]?\s*(\{[\s\S]*\})\s*$/iu.exec(rest);
  if (withInput) {
    try {
      input = JSON.parse(withInput[1]!);
    } catch {
      return help('invalid_workflow_input');
    }
    rest = rest.slice(0, withInput.index);
  }
  rest = rest.replace(/\s+(?:now|again|please)$/iu, '');
  const named = re(`^(?:the\\s+|my\\s+|our\\s+|a\\s+)?${WORKFLOW_NOUN}\\s+(?:called\\s+|named\\s+)?(.+)$`).exec(rest);
  const suffixed = re(`^(?:the\\s+|my\\s+|our\\s+|a\\s+)?(.+?)\\s+${WORKFLOW_NOUN}$`).exec(rest);
  const isStart = /^start\b/iu.test(text);
  // "start X" alone is starting work on a task; it runs a workflow only when it says so.
  if (isStart && !named && !suffixed) return undefined;
  const workflow = unquote((named?.[1] ?? suffixed?.[1] ?? rest.replace(/^(?:the|my|our)\s+/iu, '')).trim());
  if (!workflow) return undefined;
  return { kind: 'run_workflow', workflow, ...(input !== undefined ? { input } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Changing tasks

function update(targetText: string, changes: TaskEdit): ChatIntent | undefined {
  const target = parseTaskRef(targetText);
  return target ? { kind: 'update_task', target, changes } : undefined;
}

const TAG_PATTERNS: [RegExp, 'add' | 'remove', number, number][] = [
  [re(`^(?:tag|label)\\s+(.+?)\\s+(?:with|as)\\s+(${TAG}(?:\\s*(?:,|and|&)?\\s*${TAG})*)$`), 'add', 1, 2],
  [re(`^(?:tag|label)\\s+(.+?)\\s+((?:#[\\p{L}\\p{N}][\\p{L}\\p{N}_-]*[\\s,]*)+)$`), 'add', 1, 2],
  [re('^add\\s+(?:the\\s+)?(?:tags?|labels?)\\s+(.+?)\\s+to\\s+(.+)$'), 'add', 2, 1],
  [re('^add\\s+((?:#[\\p{L}\\p{N}][\\p{L}\\p{N}_-]*[\\s,]*(?:and\\s+)?)+)\\s*to\\s+(.+)$'), 'add', 2, 1],
  [re('^(?:remove|delete|drop|take\\s+off|untag)\\s+(?:the\\s+)?(?:tags?|labels?)\\s+(.+?)\\s+from\\s+(.+)$'), 'remove', 2, 1],
  [re('^(?:remove|delete|drop|take)\\s+((?:#[\\p{L}\\p{N}][\\p{L}\\p{N}_-]*[\\s,]*(?:and\\s+)?)+)\\s*(?:off\\s+)?from\\s+(.+)$'), 'remove', 2, 1],
];

function tagChange(text: string): ChatIntent | undefined {
  for (const [pattern, action, targetGroup, tagsGroup] of TAG_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const tags = splitTags(m[tagsGroup]!);
    if (tags.length === 0) continue;
    return update(m[targetGroup]!, action === 'add' ? { addTags: tags } : { removeTags: tags });
  }
  return undefined;
}

const DUE_CLEAR = [
  re('^(?:clear|remove|delete|drop|unset|take\\s+off)\\s+(?:the\\s+)?(?:due\\s+date|deadline|due)\\s+(?:of|from|for|on)\\s+(.+)$'),
  re('^(.+?)\\s+(?:has|have|needs)\\s+no\\s+(?:due\\s+date|deadline)(?:\\s+anymore)?$'),
];

function dueClear(text: string): ChatIntent | undefined {
  for (const pattern of DUE_CLEAR) {
    const m = pattern.exec(text);
    if (m) return update(m[1]!, { dueDate: null });
  }
  return undefined;
}

const RENAME = [
  re('^(?:rename|retitle)\\s+(?:the\\s+)?(?:task\\s+)?["“]([^"”]+)["”]\\s+(?:to|as|into)\\s+(.+)$'),
  re('^(?:rename|retitle)\\s+(.+)\\s+(?:to|as|into)\\s+(.+)$'),
  re('^(?:change|update|set)\\s+(?:the\\s+)?(?:name|title)\\s+of\\s+(.+)\\s+to\\s+(.+)$'),
  re("^(?:change|update|set)\\s+(.+?)(?:'s|’s)\\s+(?:name|title)\\s+to\\s+(.+)$"),
  re('^call\\s+(it|that|this(?:\\s+one)?)\\s+(.+)$'),
];

function rename(text: string): ChatIntent | undefined {
  for (const pattern of RENAME) {
    const m = pattern.exec(text);
    if (!m) continue;
    const name = cleanName(m[2]!);
    if (name) return update(m[1]!, { name });
  }
  return undefined;
}

const DELETE = re('^(?:delete|remove|trash|erase|discard|get\\s+rid\\s+of|scrap|destroy|bin|nuke)\\s+(.+)$');

function deleteTask(text: string): ChatIntent | undefined {
  const m = DELETE.exec(text);
  if (!m) return undefined;
  const target = parseTaskRef(m[1]!.replace(TO_MY_LIST, '').replace(/\s+from\s+(?:my|the)\s+(?:tasks|list|task\s+list|todo\s+list)$/iu, ''));
  return target ? { kind: 'delete_task', target } : undefined;
}

/** "set X to done", "change the priority of X to high", "move X to friday": the value says which field. */
const SET_FIELD = [
  re('^(?:set|change|update|put|switch|move|turn|make)\\s+(?:the\\s+)?(status|priority|due\\s+date|deadline|description|notes?)\\s+(?:of|for|on)\\s+(.+?)\\s+(?:to|as|into)\\s+(.+)$'),
  re("^(?:set|change|update|switch)\\s+(.+?)(?:'s|’s)\\s+(status|priority|due\\s+date|deadline|description|notes?)\\s+(?:to|as)\\s+(.+)$"),
];
const SET_VALUE = re('^(?:set|change|update|put|switch|move|turn|make|mark)\\s+(.+)$');

function setField(text: string, now: Date): ChatIntent | undefined {
  const explicit = SET_FIELD[0]!.exec(text);
  const possessive = SET_FIELD[1]!.exec(text);
  if (explicit || possessive) {
    const [field, target, value] = explicit ? [explicit[1]!, explicit[2]!, explicit[3]!] : [possessive![2]!, possessive![1]!, possessive![3]!];
    const changes = fieldChange(field.toLowerCase(), value, now);
    return changes ? update(target, changes) : undefined;
  }
  const m = SET_VALUE.exec(text);
  if (!m) return undefined;
  // Try each " to "/" as " split, left to right: task names may contain "to" themselves.
  const body = m[1]!;
  const splits = [...body.matchAll(/\s+(?:to|as|into|in)\s+/giu)];
  for (const s of splits) {
    const target = body.slice(0, s.index);
    const value = body.slice(s.index + s[0].length);
    const changes = valueChange(value, now);
    if (changes) return update(target, changes);
  }
  return undefined;
}

function fieldChange(field: string, value: string, now: Date): TaskEdit | undefined {
  if (field === 'status') {
    const status = statusOf(value.trim());
    return status ? { status } : undefined;
  }
  if (field === 'priority') {
    const p = re(`^${PRIORITY_WORD}(?:[\\s-]+priority)?$`).exec(value.trim());
    return p ? { priority: PRIORITY_OF[p[1]!.toLowerCase()]! } : undefined;
  }
  if (field.startsWith('description') || field.startsWith('note')) return { description: unquote(value.trim()) };
  if (/^(?:none|nothing|no\s+date|never)$/iu.test(value.trim())) return { dueDate: null };
  const date = parseDateValue(value, now);
  return date ? { dueDate: date.due.toISOString() } : undefined;
}

function valueChange(value: string, now: Date): TaskEdit | undefined {
  const v = value.trim();
  const status = statusOf(v.replace(/^(?:be\s+)?/iu, ''));
  if (status) return { status };
  const p = re(`^(?:a\\s+|an\\s+)?${PRIORITY_WORD}(?:[\\s-]+priority)?$`).exec(v);
  if (p) return { priority: PRIORITY_OF[p[1]!.toLowerCase()]! };
  const date = parseDateValue(v, now);
  return date ? { dueDate: date.due.toISOString() } : undefined;
}

const STATUS_PATTERNS: [RegExp, TaskStatus | undefined][] = [
  [re(`^mark\\s+(.+?)\\s+(?:as\\s+)?${STATUS_WORD}$`), undefined],
  [re(`^(it|that|this)(?:'s|’s)\\s+(?:now\\s+|all\\s+)?${STATUS_WORD}$`), undefined],
  [re(`^(.+?)\\s+(?:is|are|was|has\\s+been)\\s+(?:now\\s+|all\\s+)?${STATUS_WORD}$`), undefined],
  [re('^(?:complete|finish|close|finalize|wrap\\s+up|tick\\s+off|check\\s+off|cross\\s+off)\\s+(.+)$'), 'completed'],
  [re("^(?:i(?:'ve|\\s+have)?\\s+)?(?:finished|completed|done\\s+with|wrapped\\s+up)\\s+(.+)$"), 'completed'],
  [re('^(?:start|begin|resume|pick\\s+up)\\s+(?:working\\s+on\\s+|on\\s+)?(.+)$'), 'in_progress'],
  [re("^(?:i(?:'m|\\s+am)\\s+)?(?:working\\s+on|starting(?:\\s+on)?|work\\s+on)\\s+(.+)$"), 'in_progress'],
  [re('^unblock\\s+(.+)$'), 'in_progress'],
  [re('^block\\s+(.+?)(?:\\s+(?:because|since|as|until|while|waiting)\\b.*)?$'), 'blocked'],
  [re('^(?:reopen|re-open|uncomplete|undo|restart|reset)\\s+(.+)$'), 'pending'],
  [re('^(?:cancel|abandon|call\\s+off)\\s+(.+)$'), 'cancelled'],
];

function statusChange(text: string): ChatIntent | undefined {
  for (const [pattern, fixed] of STATUS_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const status = fixed ?? statusOf(m[2]!);
    if (!status) continue;
    const intent = update(m[1]!, { status });
    if (intent) return intent;
  }
  return undefined;
}

const PRIORITY_CHANGE: [RegExp, TaskPriority | undefined][] = [
  [re(`^(?:make|mark)\\s+(.+?)\\s+(?:as\\s+)?(?:a\\s+|an\\s+)?${PRIORITY_WORD}(?:[\\s-]+priority)?$`), undefined],
  [re(`^(it|that|this)(?:'s|’s)\\s+(?:now\\s+)?(?:a\\s+|an\\s+)?(?:very\\s+)?${PRIORITY_WORD}(?:[\\s-]+priority)?$`), undefined],
  [re(`^(.+?)\\s+(?:is|are)\\s+(?:now\\s+)?(?:a\\s+|an\\s+)?(?:very\\s+)?${PRIORITY_WORD}(?:[\\s-]+priority)?$`), undefined],
  [re(`^(?:bump|raise|lower|drop|downgrade|upgrade)\\s+(?:the\\s+)?priority\\s+(?:of|for|on)\\s+(.+?)\\s+to\\s+${PRIORITY_WORD}$`), undefined],
  [re(`^(?:bump|raise|lower|drop|downgrade|upgrade|escalate)\\s+(.+?)\\s+to\\s+${PRIORITY_WORD}(?:\\s+priority)?$`), undefined],
  [re('^escalate\\s+(.+)$'), 'urgent'],
  [re('^(?:prioriti[sz]e)\\s+(.+)$'), 'high'],
  [re('^(?:de-?prioriti[sz]e)\\s+(.+)$'), 'low'],
];

function priorityChange(text: string): ChatIntent | undefined {
  for (const [pattern, fixed] of PRIORITY_CHANGE) {
    const m = pattern.exec(text);
    if (!m) continue;
    const priority = fixed ?? PRIORITY_OF[m[2]!.toLowerCase()];
    if (priority) return update(m[1]!, { priority });
  }
  return undefined;
}

const DUE_CHANGE = [
  re('^(?:move|reschedule|postpone|push(?:\\s+back)?|defer|delay|shift|bring\\s+forward|pull\\s+in)\\s+(.+)$'),
  re('^(?:set|change|make)\\s+(.+)$'),
  re('^(.+)$'),
];

/** "move X to friday", "make it due tomorrow", "X is due next week". */
function dueChange(text: string, now: Date): ChatIntent | undefined {
  for (const [i, pattern] of DUE_CHANGE.entries()) {
    const m = pattern.exec(text);
    if (!m) continue;
    const body = m[1]!;
    const joints =
      i === 0
        ? /\s+(?:to|until|till|for|by|on)\s+/giu
        : i === 1
          ? /\s+(?:due|deadline)\s+(?:to\s+|is\s+)?/giu
          : /(?:\s+(?:is|are)\s+(?:now\s+)?|'s\s+|’s\s+)(?:due|deadline)\s+(?:is\s+)?/giu;
    for (const j of body.matchAll(joints)) {
      const date = parseDateValue(body.slice(j.index + j[0].length), now);
      if (date) return update(body.slice(0, j.index), { dueDate: date.due.toISOString() });
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Naming tasks

const PRONOUN = re(
  "^(?:it|that|this|that\\s+one|this\\s+one|that\\s+task|this\\s+task|the\\s+task|same\\s+one|the\\s+same\\s+one|the\\s+one\\s+i\\s+just\\s+(?:created|made|added|mentioned)|the\\s+new\\s+(?:one|task)|the\\s+latest(?:\\s+(?:one|task))?|my\\s+last\\s+task)$",
);
const ORDINAL = re('^(?:the\\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|(\\d{1,2})(?:st|nd|rd|th))(?:\\s+(?:one|task|item|option))?(?:\\s+(?:on|in|from)\\s+(?:the|that|this)\\s+list)?$');
const NUMBERED = re('^(?:number|no\\.?|#|option|task\\s+#?|item\\s+#?)\\s*(\\d{1,2})$');
const TASK_ID = /^task_[0-9A-HJKMNP-TV-Z]{26}$/iu;

/** A position a message names ("the second one", "#3", "last"): 0-based, -1 for the last. */
export function parseOrdinal(text: string): number | undefined {
  const t = text.trim().replace(/[.!?]+$/u, '');
  const m = ORDINAL.exec(t);
  if (m) return m[2] ? Number(m[2]) - 1 : ORDINALS[m[1]!.toLowerCase()];
  const n = NUMBERED.exec(t) ?? /^(\d{1,2})$/u.exec(t);
  return n ? Number(n[1]) - 1 : undefined;
}

/** How a message names a task: a pronoun, a position in the last list, an id, or (part of) its name. */
export function parseTaskRef(raw: string): TaskRef | undefined {
  let text = raw.trim().replace(/[.!?]+$/u, '').replace(/\s+/g, ' ');
  if (PRONOUN.test(text)) return { kind: 'last' };
  const index = parseOrdinal(text);
  if (index !== undefined) return { kind: 'ordinal', index };
  if (TASK_ID.test(text)) return { kind: 'id', id: `task_${text.slice(5).toUpperCase()}` };
  let previous: string;
  do {
    previous = text;
    text = unquote(
      text
        .replace(/^(?:the|my|our|a|an|this|that)\s+/iu, '')
        .replace(/^(?:task|todo|to-do|item)\s+(?:called|named|titled)?\s*/iu, '')
        .replace(/^(?:called|named|titled)\s+/iu, '')
        .replace(/\s+(?:task|todo|to-do|item)$/iu, ''),
    );
  } while (text !== previous);
  return text ? { kind: 'name', query: text } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Answers to "which one?"

export type Choice = { readonly kind: 'pick'; readonly index: number } | { readonly kind: 'all' } | { readonly kind: 'cancel' };

/**
 * Reads a message as the answer to a "which one?" question over `candidates`, or undefined when it
 * is not one (then it is a new request and the question is dropped).
 */
export function parseChoice(message: string, candidates: readonly TaskHandle[]): Choice | undefined {
  const text = message
    .trim()
    .replace(/[.!?]+$/u, '')
    .replace(/^(?:(?:i\s+mean|i\s+meant|the\s+one\s+(?:called|named)|it'?s|go\s+with|pick|choose|use|take|ok(?:ay)?|yes|yeah)[,:]?\s+)+/iu, '')
    .replace(/\s+please$/iu, '')
    .trim();
  if (/^(?:none|neither|cancel|never\s*mind|nevermind|forget\s+it|nothing|no|nope|stop|abort)(?:\s+of\s+(?:them|those))?$/iu.test(text)) return { kind: 'cancel' };
  if (/^(?:both|all|all\s+of\s+them|each\s+of\s+them|every\s+one|both\s+of\s+them)$/iu.test(text)) return { kind: 'all' };
  // A yes/no question offers one candidate: a bare yes picks it.
  if (candidates.length === 1 && /^(?:yes|yeah|yep|yup|y|ok(?:ay)?|sure|correct|right|do\s+it|go(?:\s+ahead)?|confirm(?:ed)?|that\s+one|run\s+it|start\s+it)$/iu.test(text)) return { kind: 'pick', index: 0 };
  const index = parseOrdinal(text);
  if (index !== undefined) return { kind: 'pick', index };
  const wanted = normalize(unquote(text));
  const exact = candidates.findIndex((c) => normalize(c.name) === wanted || c.id.toLowerCase() === text.toLowerCase());
  if (exact >= 0) return { kind: 'pick', index: exact };
  const fuzzy = bestMatch(unquote(text), candidates, (c) => c.name);
  if (fuzzy.kind === 'unique' && fuzzy.score >= 0.7) return { kind: 'pick', index: candidates.indexOf(fuzzy.item) };
  return undefined;
}

import type { Clock } from '../clock.ts';
import { conflict, notFound, validationError } from '../errors.ts';
import type { PageRequest } from '../pagination.ts';
import type { Principal } from '../principal.ts';
import { EMAIL_TEMPLATE_ID_PATTERN, EMAIL_TEMPLATE_ID_RULE, type EmailTemplate } from './email-template.ts';
import type { EmailTemplateRepository, Outbox, OutboxEntry } from './ports.ts';

export interface EmailTemplateInput {
  subject: string;
  text: string;
  html: string;
}

/**
 * Email templates of the caller's account. Every key comes from the principal, so another account's
 * template id is simply not there (404). The route table gives the scopes (read: workflows:read).
 */
export class EmailTemplateService {
  constructor(
    private readonly templates: EmailTemplateRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  list(principal: Principal): Promise<EmailTemplate[]> {
    return this.templates.list(principal.accountId);
  }

  async get(principal: Principal, id: string): Promise<EmailTemplate> {
    checkId(id);
    const template = await this.templates.get(principal.accountId, id);
    if (!template) throw notFound('Email template', id);
    return template;
  }

  async create(principal: Principal, input: EmailTemplateInput & { id: string }): Promise<EmailTemplate> {
    checkId(input.id);
    const at = this.clock.now().toISOString();
    const template: EmailTemplate = { accountId: principal.accountId, id: input.id, subject: input.subject, text: input.text, html: input.html, createdAt: at, updatedAt: at };
    if ((await this.templates.put(template, { mustNotExist: true })) === 'exists') throw conflict(`Email template '${input.id}' already exists; use PUT to replace it`, 'id');
    return template;
  }

  /** PUT: replaces the template, or creates it under that id. */
  async put(principal: Principal, id: string, input: EmailTemplateInput): Promise<{ template: EmailTemplate; created: boolean }> {
    checkId(id);
    const existing = await this.templates.get(principal.accountId, id);
    const at = this.clock.now().toISOString();
    const template: EmailTemplate = { accountId: principal.accountId, id, ...pick(input), createdAt: existing?.createdAt ?? at, updatedAt: at };
    const outcome = await this.templates.put(template, existing ? { mustExist: true } : { mustNotExist: true });
    if (outcome === 'exists' || outcome === 'missing') throw conflict(`Email template '${id}' changed meanwhile; retry`, 'id');
    return { template, created: outcome === 'created' };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    checkId(id);
    if (!(await this.templates.delete(principal.accountId, id))) throw notFound('Email template', id);
  }

  outboxPage(principal: Principal, page: PageRequest): Promise<{ items: OutboxEntry[]; total: number; nextCursor: string | undefined }> {
    return this.outbox.list(principal.accountId, page);
  }
}

const pick = (input: EmailTemplateInput): EmailTemplateInput => ({ subject: input.subject, text: input.text, html: input.html });

function checkId(id: string): void {
  if (!EMAIL_TEMPLATE_ID_PATTERN.test(id)) throw validationError('id', `id ${EMAIL_TEMPLATE_ID_RULE}`);
}

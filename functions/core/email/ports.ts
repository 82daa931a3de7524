import type { PageRequest } from '../pagination.ts';
import type { EmailTemplate } from './email-template.ts';

export interface EmailTemplateRepository {
  list(accountId: string): Promise<EmailTemplate[]>;
  get(accountId: string, id: string): Promise<EmailTemplate | undefined>;
  /** Creates or replaces; answers whether it created. */
  put(template: EmailTemplate, options: { mustExist?: boolean; mustNotExist?: boolean }): Promise<'created' | 'replaced' | 'exists' | 'missing'>;
  delete(accountId: string, id: string): Promise<boolean>;
}

/** One message as it leaves: already rendered. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** AWS: SES; local: SMTP when SMTP_URL is set, else the outbox. Throws MailFailure. */
export interface MailSender {
  /** Where the message went (`ses`, `smtp`, `outbox`), for the node's log. */
  readonly transport: string;
  send(accountId: string, email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** `retryable`: a throttle or an unreachable server; otherwise the message itself was refused. */
export class MailFailure extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'MailFailure';
    this.retryable = retryable;
  }
}

export interface OutboxEntry extends OutgoingEmail {
  readonly id: string;
  readonly sentAt: string;
}

/** Local mode's record of every email that would have gone out (GET /api/v1/outbox). */
export interface Outbox {
  append(accountId: string, entry: OutboxEntry): Promise<void>;
  /** Newest first. */
  list(accountId: string, page: PageRequest): Promise<{ items: OutboxEntry[]; total: number; nextCursor: string | undefined }>;
}

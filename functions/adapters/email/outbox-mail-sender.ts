import { ulid } from 'ulid';
import type { MailSender, Outbox, OutgoingEmail } from '../../core/email/ports.ts';

/** Local mode without SMTP_URL: every email lands in the account's outbox (GET /api/v1/outbox) instead of leaving the machine. */
export class OutboxMailSender implements MailSender {
  readonly transport = 'outbox';
  constructor(
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(accountId: string, email: OutgoingEmail): Promise<{ messageId: string }> {
    const at = this.now();
    const id = `msg_${ulid(at.getTime())}`;
    await this.outbox.append(accountId, { id, ...email, sentAt: at.toISOString() });
    return { messageId: id };
  }
}

import type { Transporter } from 'nodemailer';
import { MailFailure, type MailSender, type OutgoingEmail } from '../../core/email/ports.ts';

/** SMTP reply codes 4xx are temporary (try later); anything else refused the message. */
const isTemporary = (error: { responseCode?: number; code?: string }) =>
  (typeof error.responseCode === 'number' && error.responseCode >= 400 && error.responseCode < 500) || ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS'].includes(error.code ?? '');

/**
 * Local mode with SMTP_URL (smtp://user:pass@host:port, smtps:// for TLS): nodemailer, loaded on first
 * send. The error never quotes the URL, which may carry the server's password.
 */
export class SmtpMailSender implements MailSender {
  readonly transport = 'smtp';
  private transporter: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}

  async send(_accountId: string, email: OutgoingEmail): Promise<{ messageId: string }> {
    this.transporter ??= import('nodemailer').then((m) => m.default.createTransport(this.url));
    const transporter = await this.transporter;
    try {
      const info = (await transporter.sendMail({ from: this.from, to: email.to, subject: email.subject, text: email.text, html: email.html })) as { messageId?: string };
      return { messageId: info.messageId ?? '' };
    } catch (error) {
      const e = error as { message?: string; responseCode?: number; code?: string };
      throw new MailFailure(`the SMTP server refused the email${e.responseCode ? ` (${e.responseCode})` : e.code ? ` (${e.code})` : ''}`, isTemporary(e));
    }
  }
}

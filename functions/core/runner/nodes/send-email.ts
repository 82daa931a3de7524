import { isEmailAddress, renderEmail } from '../../email/email-template.ts';
import { MailFailure } from '../../email/ports.ts';
import { cancelled, nonRetryable } from '../errors.ts';
import { isPlainObject } from '../resolve-templates.ts';
import { asRecord, executed, previousRecords, type NodeExecutor } from './run.ts';

/** One node sends at most this many emails; a larger audience is a batch job, not one step. */
export const MAX_EMAILS_PER_NODE = 10_000;
const KEPT_ERRORS = 5;

/**
 * `send_email` (CloudFlow's campaign step): one email per record of the previous step, to the record's
 * `email` field unless `to` names the recipients, with the record and `data` filling the template's
 * placeholders. A recipient that cannot be sent to counts in `failed`; a missing template fails the node.
 */
export const sendEmail: NodeExecutor = {
  async execute(run) {
    const email = run.deps.email;
    if (!email) throw nonRetryable('send_email has no mail transport here: the stage names no sender identity (EMAIL_SENDER, set with -c emailSender; docs/deploy.md)');
    const p = asRecord(await run.templates.resolve(run.params));
    const templateId = String(p.template_id);
    const template = await email.templates.get(run.ctx.accountId, templateId);
    if (!template) throw nonRetryable(`email template "${templateId}" does not exist in this account (POST /api/v1/email-templates)`, { template_id: templateId });

    const data = isPlainObject(p.data) ? p.data : {};
    const fixed = p.to === undefined ? undefined : Array.isArray(p.to) ? p.to.map(String) : [String(p.to)];
    const records = (await previousRecords(run)) ?? [{}];
    const messages: { to: unknown; vars: Record<string, unknown> }[] = [];
    for (const record of records) {
      const vars = { ...(isPlainObject(record) ? record : { value: record }), ...data };
      for (const to of fixed ?? [isPlainObject(record) ? record.email : undefined]) messages.push({ to, vars });
    }
    if (messages.length > MAX_EMAILS_PER_NODE) throw nonRetryable(`send_email would send ${messages.length} emails; one node sends at most ${MAX_EMAILS_PER_NODE}`);

    run.log('info', 'Sending emails', { template_id: templateId, emails: messages.length, transport: email.sender.transport });
    let sent = 0;
    const errors: { index: number; error: string }[] = [];
    for (const [index, message] of messages.entries()) {
      if (run.ctx.signal.aborted) throw cancelled();
      if (!isEmailAddress(message.to)) {
        errors.push({ index, error: message.to === undefined ? 'the record has no email field' : 'not an email address' });
        continue;
      }
      try {
        await email.sender.send(run.ctx.accountId, { to: message.to, ...renderEmail(template, message.vars) });
        sent++;
      } catch (error) {
        if (!(error instanceof MailFailure)) throw error;
        errors.push({ index, error: error.message });
      }
    }
    const failed = errors.length;
    if (failed > 0) run.log('warn', 'Some emails were not sent', { failed, first_errors: errors.slice(0, KEPT_ERRORS) });
    run.log('info', 'Emails sent', { sent, failed });
    return executed({ sent, failed, ...(failed > 0 ? { errors: errors.slice(0, KEPT_ERRORS) } : {}) }, { sent, failed }, { processed: sent, failed });
  },
};

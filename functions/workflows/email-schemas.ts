import * as z from 'zod';
import { EMAIL_TEMPLATE_ID_PATTERN, EMAIL_TEMPLATE_ID_RULE, MAX_BODY_CHARS, MAX_SUBJECT_CHARS, type EmailTemplate } from '../core/email/email-template.ts';
import type { OutboxEntry } from '../core/email/ports.ts';
import { PaginationSchema } from '../shared/schemas.ts';

export const EmailTemplateId = z
  .string({ error: `id ${EMAIL_TEMPLATE_ID_RULE}` })
  .regex(EMAIL_TEMPLATE_ID_PATTERN, { error: `id ${EMAIL_TEMPLATE_ID_RULE}` })
  .meta({ description: 'The template’s id, named by send_email’s template_id', example: 'tpl_welcome_v2' });

export const EmailTemplatePath = z.object({ id: EmailTemplateId });

const content = {
  subject: z.string().min(1).max(MAX_SUBJECT_CHARS).meta({ description: 'Subject line; {{var}} placeholders are filled per recipient (line breaks are taken out)' }),
  text: z.string().max(MAX_BODY_CHARS).default('').meta({ description: 'Plain-text body with {{var}} placeholders' }),
  html: z.string().max(MAX_BODY_CHARS).default('').meta({ description: 'HTML body with {{var}} placeholders; values are HTML-escaped' }),
};

export const CreateEmailTemplateBody = z.strictObject({ id: EmailTemplateId, ...content }).meta({ id: 'CreateEmailTemplate' });
export const PutEmailTemplateBody = z.strictObject(content).meta({ id: 'PutEmailTemplate' });

export const EmailTemplateSchema = z
  .object({ id: z.string(), subject: z.string(), text: z.string(), html: z.string(), created_at: z.string(), updated_at: z.string() })
  .meta({ id: 'EmailTemplate', description: 'An email template: subject, text and HTML with {{var}} placeholders' });

export const EmailTemplateListSchema = z.object({ data: z.array(EmailTemplateSchema) }).meta({ id: 'EmailTemplateList' });

export const OutboxEmailSchema = z
  .object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string(), sent_at: z.string() })
  .meta({ id: 'OutboxEmail', description: 'An email send_email would have sent (local mode without SMTP_URL)' });

export const OutboxListSchema = z.object({ data: z.array(OutboxEmailSchema), pagination: PaginationSchema }).meta({ id: 'OutboxList' });

export function emailTemplateView(t: EmailTemplate): z.output<typeof EmailTemplateSchema> {
  return { id: t.id, subject: t.subject, text: t.text, html: t.html, created_at: t.createdAt, updated_at: t.updatedAt };
}

export function outboxView(e: OutboxEntry): z.output<typeof OutboxEmailSchema> {
  return { id: e.id, to: e.to, subject: e.subject, text: e.text, html: e.html, sent_at: e.sentAt };
}

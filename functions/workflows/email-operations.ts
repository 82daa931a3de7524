import type { EmailTemplateService } from '../core/email/email-template-service.ts';
import { paginationView } from '../core/pagination.ts';
import { operation, type Operation } from '../http/operation.ts';
import { PagingQuery, toPageRequest } from '../shared/schemas.ts';
import {
  CreateEmailTemplateBody,
  EmailTemplateListSchema,
  EmailTemplatePath,
  EmailTemplateSchema,
  OutboxListSchema,
  PutEmailTemplateBody,
  emailTemplateView,
  outboxView,
} from './email-schemas.ts';

/** `/email-templates` (send_email's templates) and `/outbox` (local mode's sent mail); merged into the workflows resource. */
export function emailOperations(service: () => EmailTemplateService): Record<string, Operation> {
  return {
    listEmailTemplates: operation({ response: EmailTemplateListSchema, description: 'The account’s email templates, sorted by id.' }, async ({ principal }) => ({
      status: 200,
      body: { data: (await service().list(principal)).map(emailTemplateView) },
    })),

    createEmailTemplate: operation(
      { body: CreateEmailTemplateBody, response: EmailTemplateSchema, status: 201, description: 'Create a template under its id. 409 if the id exists (PUT replaces).' },
      async ({ principal, body }) => ({ status: 201, body: emailTemplateView(await service().create(principal, body)) }),
    ),

    getEmailTemplate: operation({ params: EmailTemplatePath, response: EmailTemplateSchema }, async ({ principal, params }) => ({
      status: 200,
      body: emailTemplateView(await service().get(principal, params.id)),
    })),

    putEmailTemplate: operation(
      { params: EmailTemplatePath, body: PutEmailTemplateBody, response: EmailTemplateSchema, responses: { 201: { description: 'Created under that id', schema: EmailTemplateSchema } }, description: 'Replace the template, or create it under this id (201).' },
      async ({ principal, params, body }) => {
        const { template, created } = await service().put(principal, params.id, body);
        return { status: created ? 201 : 200, body: emailTemplateView(template) };
      },
    ),

    deleteEmailTemplate: operation({ params: EmailTemplatePath, status: 204 }, async ({ principal, params }) => {
      await service().delete(principal, params.id);
      return { status: 204 };
    }),

    listOutbox: operation(
      { query: PagingQuery, response: OutboxListSchema, description: 'Every email send_email would have sent, newest first (local mode without SMTP_URL; empty on AWS, where SES sends).' },
      async ({ principal, query }) => {
        const request = toPageRequest(query);
        const page = await service().outboxPage(principal, request);
        return { status: 200, body: { data: page.items.map(outboxView), pagination: paginationView(page, request) } };
      },
    ),
  };
}

import { EmailTemplateService } from '../core/email/email-template-service.ts';
import { DynamoEmailTemplateRepository } from '../adapters/dynamodb/email-template-repository.ts';
import { DynamoOutbox } from '../adapters/dynamodb/outbox-repository.ts';
import { slice } from './stepwise.ts';

/** Email templates and the outbox for the API (the runner reads the same table items: functions/root/runner.ts). */
export const emailTemplatesOf = slice((stepwise): EmailTemplateService =>
  new EmailTemplateService(new DynamoEmailTemplateRepository(stepwise.db, stepwise.table), new DynamoOutbox(stepwise.db, stepwise.table), stepwise.clock),
);

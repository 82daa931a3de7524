import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { MailFailure, type MailSender, type OutgoingEmail } from '../../core/email/ports.ts';

const RETRYABLE = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException', 'InternalFailure', 'ServiceUnavailable']);

/**
 * AWS: SES v2 SendEmail from the stage's verified sender identity (EMAIL_SENDER). The message is
 * rendered by Stepwise (the same escaping as local mode), so SES gets simple content, and the
 * account is a message tag, for the stage's sending reports.
 */
export class SesMailSender implements MailSender {
  readonly transport = 'ses';
  constructor(
    private readonly client: () => Promise<SESv2Client>,
    private readonly from: string,
  ) {}

  async send(accountId: string, email: OutgoingEmail): Promise<{ messageId: string }> {
    const [client, { SendEmailCommand }] = await Promise.all([this.client(), import('@aws-sdk/client-sesv2')]);
    try {
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
            },
          },
          EmailTags: [{ Name: 'stepwise_account', Value: accountId.replace(/[^A-Za-z0-9_-]/g, '_') }],
        }),
      );
      return { messageId: out.MessageId ?? '' };
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      throw new MailFailure(`SES refused the email (${name})`, RETRYABLE.has(name));
    }
  }
}

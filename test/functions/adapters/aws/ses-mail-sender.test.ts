import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SesMailSender } from '../../../../functions/adapters/aws/ses-mail-sender.ts';
import { MailFailure } from '../../../../functions/core/email/ports.ts';

const ses = mockClient(SESv2Client);
beforeEach(() => ses.reset());
const subject = () => new SesMailSender(vi.fn(async () => new SESv2Client({ region: 'eu-west-1' })), 'noreply@example.com');
const EMAIL = { to: 'ada@example.com', subject: 'Welcome, Ada', text: 'Hello Ada', html: '<p>Hello &lt;b&gt;Ada&lt;/b&gt;</p>' };

describe('SesMailSender', () => {
  it('sends one SendEmail from the stage’s sender with the rendered subject, text and HTML, tagged with the account', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: '0100-abc' });
    expect(await subject().send('acct_01ARZ3NDEKTSV4RRFFQ69G5FAV', EMAIL)).toEqual({ messageId: '0100-abc' });
    expect(ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input)).toEqual([
      {
        FromEmailAddress: 'noreply@example.com',
        Destination: { ToAddresses: ['ada@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: 'Welcome, Ada', Charset: 'UTF-8' },
            Body: { Text: { Data: 'Hello Ada', Charset: 'UTF-8' }, Html: { Data: '<p>Hello &lt;b&gt;Ada&lt;/b&gt;</p>', Charset: 'UTF-8' } },
          },
        },
        EmailTags: [{ Name: 'stepwise_account', Value: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV' }],
      },
    ]);
  });

  it('a throttle is a retryable MailFailure; a refused message is not; neither quotes the message', async () => {
    ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' })).rejectsOnce(Object.assign(new Error('Email address is not verified: ada@example.com'), { name: 'MessageRejected' }));
    const throttled = await subject().send('acct_1', EMAIL).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(MailFailure);
    expect(throttled).toMatchObject({ retryable: true, message: 'SES refused the email (TooManyRequestsException)' });
    const rejected = await subject().send('acct_1', EMAIL).catch((e: unknown) => e);
    expect(rejected).toMatchObject({ retryable: false, message: 'SES refused the email (MessageRejected)' });
  });
});

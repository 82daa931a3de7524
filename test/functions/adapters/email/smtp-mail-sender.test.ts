import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailSender } from '../../../../functions/adapters/email/smtp-mail-sender.ts';
import { MailFailure } from '../../../../functions/core/email/ports.ts';

interface Received {
  from: string;
  to: string[];
  data: string;
}

/**
 * A real SMTP listener on loopback, speaking just enough of RFC 5321 for a client that is not offered
 * STARTTLS or AUTH: greeting, EHLO, MAIL, RCPT, DATA (dot-terminated), QUIT. A recipient at refused.test
 * gets 550, one at busy.test 451.
 */
function smtpListener(received: Received[]): Promise<Server> {
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let current: Received = { from: '', to: [], data: '' };
    socket.write('220 localhost ESMTP test\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: '', to: [], data: '' };
          socket.write('250 2.0.0 Ok: queued as TEST1\r\n');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-localhost\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') {
          current.from = /<(.*)>/.exec(line)?.[1] ?? '';
          socket.write('250 2.1.0 Ok\r\n');
        } else if (verb === 'RCPT') {
          const to = /<(.*)>/.exec(line)?.[1] ?? '';
          if (to.endsWith('@refused.test')) socket.write('550 5.1.1 No such user\r\n');
          else if (to.endsWith('@busy.test')) socket.write('451 4.3.0 Try again later\r\n');
          else {
            current.to.push(to);
            socket.write('250 2.1.5 Ok\r\n');
          }
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'RSET') {
          current = { from: '', to: [], data: '' };
          socket.write('250 Ok\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 Bye\r\n');
        } else socket.write('502 5.5.2 Command not recognized\r\n');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('SmtpMailSender (SMTP_URL, local mode)', () => {
  const received: Received[] = [];
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = await smtpListener(received);
    url = `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers one message to the SMTP server: envelope from the sender, to the recipient, subject, text and HTML parts', async () => {
    const sender = new SmtpMailSender(url, 'noreply@stepwise.test');
    const { messageId } = await sender.send('acct_1', { to: 'ada@example.com', subject: 'Welcome, Ada', text: 'Hi Ada, you are loyal.', html: '<p>Hi Ada, you are <b>loyal</b>.</p>' });
    expect(messageId).toMatch(/^<.+@stepwise\.test>$/);
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail).toMatchObject({ from: 'noreply@stepwise.test', to: ['ada@example.com'] });
    expect(mail!.data).toMatch(/^From: noreply@stepwise\.test$/m);
    expect(mail!.data).toMatch(/^To: ada@example\.com$/m);
    expect(mail!.data).toMatch(/^Subject: Welcome, Ada$/m);
    expect(mail!.data).toContain('Content-Type: text/plain');
    expect(mail!.data).toContain('Hi Ada, you are loyal.');
    expect(mail!.data).toContain('Content-Type: text/html');
    expect(mail!.data).toContain('<b>loyal</b>');
  });

  it('a refused recipient (5xx) is a MailFailure not worth retrying; a temporary one (4xx) is retryable', async () => {
    const sender = new SmtpMailSender(url, 'noreply@stepwise.test');
    const refused = await sender.send('acct_1', { to: 'nobody@refused.test', subject: 's', text: 't', html: '<p>t</p>' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MailFailure);
    expect(refused).toMatchObject({ retryable: false, message: 'the SMTP server refused the email (550)' });
    const busy = await sender.send('acct_1', { to: 'later@busy.test', subject: 's', text: 't', html: '<p>t</p>' }).catch((e: unknown) => e);
    expect(busy).toMatchObject({ retryable: true, message: 'the SMTP server refused the email (451)' });
  });
});

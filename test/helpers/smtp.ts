import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';
import type { MailTransport } from '../../server/core/mailer.js';

export type TestSmtp = {
  port: number;
  received: ParsedMail[];
  transport: () => MailTransport;
  stop: () => Promise<void>;
};

/** A real SMTP server on 127.0.0.1 (random port) that parses and keeps every message. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const actualPort = (server.server.address() as AddressInfo).port;
  return {
    port: actualPort,
    received,
    transport: () => nodemailer.createTransport({ host: '127.0.0.1', port: actualPort, secure: false, ignoreTLS: true, connectionTimeout: 2000, greetingTimeout: 2000 }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

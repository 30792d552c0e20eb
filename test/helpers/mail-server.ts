// A real SMTP server on 127.0.0.1 for the notification tests (smtp-server), recording each message
// as sent and as parsed back by mailparser; optionally TLS (implicit or STARTTLS) and AUTH.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
  from: string;
  to: string[];
  /** Whether the session was encrypted (implicit TLS or STARTTLS). */
  secure: boolean;
  user?: string;
}

export interface MailServer {
  port: number;
  mails: ReceivedMail[];
  /** The PEM of its self-signed certificate (for FLOW_SMTP_CA), when it speaks TLS. */
  caFile?: string;
  close(): Promise<void>;
}

/** A self-signed certificate for localhost/127.0.0.1, made with openssl. */
export function selfSignedCert(): { key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flow-cert-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8'), certFile: cert };
}

export async function startMailServer(
  opts: { tls?: 'implicit' | 'starttls'; auth?: { user: string; password: string } } = {},
): Promise<MailServer> {
  const mails: ReceivedMail[] = [];
  const cert = opts.tls ? selfSignedCert() : undefined;
  const server = new SMTPServer({
    secure: opts.tls === 'implicit',
    ...(cert && { key: cert.key, cert: cert.cert }),
    disabledCommands: [...(opts.tls ? [] : ['STARTTLS']), ...(opts.auth ? [] : ['AUTH'])],
    authOptional: !opts.auth,
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          raw,
          parsed: await simpleParser(raw),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          ...(typeof session.user === 'string' && { user: session.user }),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, ...(cert && { caFile: cert.certFile }), close: () => new Promise((r) => server.close(() => r())) };
}

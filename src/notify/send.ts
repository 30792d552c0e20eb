// Sends one message through one channel: mail by SMTP (nodemailer), or a webhook POST, each tried
// three times with backoff. Credentials come from the environment, and every error is masked
// with them before anyone sees it.
import { readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hostname } from 'node:os';
import type { NotifyChannel } from '../workflow/types.js';
import type { Message } from './message.js';
import { webhookBody } from './webhook-body.js';

/** How a channel's message went: `answer` is what the server said (SMTP reply, HTTP status). */
export interface SendResult {
  channel: string;
  ok: boolean;
  attempts: number;
  answer?: string;
  error?: string;
}

export interface SendOptions {
  env: NodeJS.ProcessEnv;
  /** Files to attach to mail (the report, a small failed notebook). */
  attachments?: { filename: string; path: string }[];
  /** @default 3 */
  attempts?: number;
  /** Before attempt 2, doubled each time. @default 1000 */
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** SMTP settings from FLOW_SMTP_URL, or FLOW_SMTP_HOST and friends; a string says what is missing. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (smtps://, port 465). */
  secure: boolean;
  /** STARTTLS: `require` refuses a server that does not offer it; `never` does not upgrade. */
  starttls: 'auto' | 'require' | 'never';
  user?: string;
  password?: string;
  ca?: string;
  from: string;
}

export function smtpSettings(env: NodeJS.ProcessEnv): SmtpSettings | string {
  let ca: string | undefined;
  if (env.FLOW_SMTP_CA) {
    try {
      ca = readFileSync(env.FLOW_SMTP_CA, 'utf8');
    } catch (err) {
      return `FLOW_SMTP_CA names ${env.FLOW_SMTP_CA}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
  }
  const common = {
    starttls: (env.FLOW_SMTP_STARTTLS ?? 'auto') as SmtpSettings['starttls'],
    ...(ca !== undefined && { ca }),
    from: env.FLOW_SMTP_FROM ?? `flow@${hostname()}`,
  };
  if (!['auto', 'require', 'never'].includes(common.starttls))
    return `FLOW_SMTP_STARTTLS must be auto, require or never, not "${common.starttls}"`;
  if (env.FLOW_SMTP_URL) {
    let url: URL;
    try {
      url = new URL(env.FLOW_SMTP_URL);
    } catch {
      return 'FLOW_SMTP_URL is not a URL (smtp://user:password@host:587 or smtps://…:465)';
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
      return `FLOW_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`;
    const secure = url.protocol === 'smtps:';
    return {
      ...common,
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      ...(url.username && { user: decodeURIComponent(url.username) }),
      ...(url.password && { password: decodeURIComponent(url.password) }),
    };
  }
  if (!env.FLOW_SMTP_HOST) return 'no SMTP server: set FLOW_SMTP_URL (smtp://user:password@host:587), or FLOW_SMTP_HOST';
  const secure = env.FLOW_SMTP_SECURE === 'true' || env.FLOW_SMTP_SECURE === '1';
  if (env.FLOW_SMTP_PORT && !/^\d{1,5}$/.test(env.FLOW_SMTP_PORT))
    return `FLOW_SMTP_PORT must be a port number, not "${env.FLOW_SMTP_PORT}"`;
  return {
    ...common,
    host: env.FLOW_SMTP_HOST,
    port: env.FLOW_SMTP_PORT ? Number(env.FLOW_SMTP_PORT) : secure ? 465 : 587,
    secure,
    ...(env.FLOW_SMTP_USER && { user: env.FLOW_SMTP_USER }),
    ...(env.FLOW_SMTP_PASSWORD && { password: env.FLOW_SMTP_PASSWORD }),
  };
}

/** Every credential a channel could leak into an error message, to mask. */
export function channelSecrets(channel: NotifyChannel, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  if (channel.webhook) {
    const url = env[channel.webhook.urlEnv];
    if (url) {
      out.push(url);
      try {
        const u = new URL(url);
        if (u.pathname.length > 1) out.push(u.pathname + u.search);
        if (u.password) out.push(u.password);
      } catch {
        // not a URL: masked whole
      }
    }
  }
  if (channel.email) {
    for (const key of ['FLOW_SMTP_URL', 'FLOW_SMTP_PASSWORD']) if (env[key]) out.push(env[key]!);
    const s = smtpSettings(env);
    if (typeof s !== 'string' && s.password) out.push(s.password, encodeURIComponent(s.password));
  }
  return [...new Set(out.filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
}

function masker(secrets: string[]): (s: string) => string {
  return (s) => secrets.reduce((acc, v) => acc.split(v).join('***'), s);
}

/** Tries `once` up to `attempts` times, waiting retryDelayMs, then twice that, between tries. */
async function withRetries(
  channel: NotifyChannel,
  opts: SendOptions,
  mask: (s: string) => string,
  once: () => Promise<string>,
): Promise<SendResult> {
  const attempts = opts.attempts ?? 3;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let delay = opts.retryDelayMs ?? 1000;
  let error = '';
  for (let i = 1; i <= attempts; i++) {
    try {
      return { channel: channel.name, ok: true, attempts: i, answer: mask(await once()) };
    } catch (err) {
      error = mask((err as Error).message || String(err));
    }
    if (i < attempts) {
      await sleep(delay);
      delay *= 2;
    }
  }
  return { channel: channel.name, ok: false, attempts, error };
}

export async function sendMessage(channel: NotifyChannel, message: Message, opts: SendOptions): Promise<SendResult> {
  const mask = masker(channelSecrets(channel, opts.env));
  if (channel.webhook) {
    const url = opts.env[channel.webhook.urlEnv];
    if (!url)
      return {
        channel: channel.name,
        ok: false,
        attempts: 0,
        error: `$${channel.webhook.urlEnv} is not set: the webhook's URL is read from it`,
      };
    const body = JSON.stringify(webhookBody(channel.webhook.format, message));
    return withRetries(channel, opts, mask, () => postJson(url, body, channel.timeoutMs));
  }
  const settings = smtpSettings(opts.env);
  if (typeof settings === 'string') return { channel: channel.name, ok: false, attempts: 0, error: settings };
  const email = channel.email!;
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.starttls === 'require',
    ignoreTLS: settings.starttls === 'never',
    ...(settings.user && { auth: { user: settings.user, pass: settings.password ?? '' } }),
    tls: { ...(settings.ca && { ca: settings.ca }), servername: settings.host },
    connectionTimeout: channel.timeoutMs,
    greetingTimeout: channel.timeoutMs,
    socketTimeout: channel.timeoutMs,
  });
  try {
    return await withRetries(channel, opts, mask, async () => {
      const info = await transport.sendMail({
        from: email.from ?? settings.from,
        to: [...email.to],
        ...(email.cc.length && { cc: [...email.cc] }),
        subject: message.subject,
        text: message.text,
        html: message.html,
        attachments: (opts.attachments ?? []).map((a) => ({ filename: a.filename, path: a.path })),
      });
      return String(info.response ?? 'accepted');
    });
  } finally {
    transport.close();
  }
}

/** POSTs a JSON body, with no keep-alive; resolves with `HTTP <status>` for a 2xx answer, else rejects. */
function postJson(url: string, body: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new Error('the webhook URL is not a URL'));
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      reject(new Error(`the webhook URL must be http:// or https://, not ${u.protocol}//`));
      return;
    }
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      u,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'flow' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 500) text += c;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const answer = `HTTP ${status}${text.trim() ? ` ${text.trim().slice(0, 200)}` : ''}`;
          if (status >= 200 && status < 300) resolve(answer);
          else reject(new Error(`${u.host} answered ${answer}`));
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${u.host} did not answer within ${timeoutMs / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code ? `${u.host}: ${err.code} ${err.message.replace(/^.*?:\s/, '')}` : err.message)),
    );
    req.end(body);
  });
}

/** A file small enough to attach, by size. */
export function smallFile(path: string, maxBytes: number): boolean {
  try {
    return statSync(path).size <= maxBytes;
  } catch {
    return false;
  }
}

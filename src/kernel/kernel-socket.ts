// One kernel's websocket on Jupyter Server (/api/kernels/{id}/channels): messaging protocol v5.3 as JSON.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { ServerEndpoint } from './kernel-rest.js';
import { apiUrl, authHeaders } from './kernel-rest.js';

/** The protocol version flow speaks; ipykernel 6 answers it as is. */
export const PROTOCOL_VERSION = '5.3';

/**
 * ws refuses a message larger than `maxPayload` (100 MiB by default) by closing the socket,
 * which flow would read as a dead kernel. One output can be big (an image or a DataFrame
 * rendered as HTML, base64 inside JSON): 256 MiB still bounds the memory a message may take.
 */
const MAX_PAYLOAD = 256 * 2 ** 20;

/** How long a close handshake may take before the socket is destroyed. */
const CLOSE_WAIT_MS = 2000;

export type Channel = 'shell' | 'control' | 'iopub' | 'stdin';

export interface MessageHeader {
  msg_id: string;
  username: string;
  session: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A message as Jupyter Server's default (JSON) websocket protocol carries it. */
export interface KernelMessage {
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  channel: Channel;
  buffers?: unknown[];
}

/**
 * The websocket of one kernel: send requests, hear every message. Nothing process-wide: the
 * socket's listeners are its own, and close() leaves no socket or timer behind.
 */
export class KernelSocket {
  /** This client's session id, in every header and in the URL (the server routes replies by it). */
  readonly session = randomUUID();
  /** Resolves once the socket is open; rejects if it closes or fails first. */
  readonly opened: Promise<void>;
  private readonly ws: WebSocket;
  private readonly messageListeners = new Set<(msg: KernelMessage) => void>();
  private readonly closeListeners = new Set<(why: string) => void>();
  private closedWhy: string | undefined;
  /** What went wrong before the socket closed (a refused handshake, a reset), if anything. */
  private failure: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(endpoint: ServerEndpoint, kernelId: string) {
    const url = apiUrl(endpoint, `/api/kernels/${encodeURIComponent(kernelId)}/channels`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('session_id', this.session);
    this.ws = new WebSocket(url, { headers: authHeaders(endpoint), maxPayload: MAX_PAYLOAD, perMessageDeflate: false });
    // Before the 'close' listener below: its listeners see closedWhy set.
    this.ws.on('close', (code, reason) => this.closed(this.failure ?? closeText(code, reason)));
    this.opened = this.watchOpen();
    this.opened.catch(() => undefined); // a caller that never awaits it must not crash the process
    this.ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    this.ws.on('unexpected-response', (_req, res) => {
      this.failure = `the server refused the kernel websocket: HTTP ${res.statusCode}`;
      res.resume();
      this.ws.terminate();
    });
    // A failed handshake or a reset: 'close' follows, and says why with this.
    this.ws.on('error', (err) => {
      this.failure ??= err.message;
    });
  }

  /** Why the socket closed, or undefined while it is open (or opening). */
  get closedReason(): string | undefined {
    return this.closedWhy;
  }

  private watchOpen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('close', () => reject(new Error(this.closedWhy ?? 'the kernel websocket closed before it opened')));
    });
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    // Binary frames carry messages with buffers (comms, widgets): nothing flow runs needs them.
    if (isBinary) return;
    let msg: KernelMessage;
    try {
      msg = JSON.parse(data.toString()) as KernelMessage;
    } catch {
      return;
    }
    if (!msg?.header?.msg_type) return;
    for (const f of [...this.messageListeners]) f(msg);
  }

  private closed(why: string): void {
    if (this.closedWhy !== undefined) return;
    this.closedWhy = why;
    for (const f of [...this.closeListeners]) f(why);
  }

  /** Calls `f` with every message the kernel sends, on any channel; returns the unsubscribe. */
  onMessage(f: (msg: KernelMessage) => void): () => void {
    this.messageListeners.add(f);
    return () => this.messageListeners.delete(f);
  }

  /** Calls `f` once when the socket closes, whoever closed it; returns the unsubscribe. */
  onClose(f: (why: string) => void): () => void {
    this.closeListeners.add(f);
    return () => this.closeListeners.delete(f);
  }

  /**
   * Sends a request; returns its msg_id, which the replies carry as `parent_header.msg_id`.
   * @throws if the socket is not open.
   */
  send(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>): string {
    if (this.ws.readyState !== WebSocket.OPEN) throw new Error('the kernel websocket is not open');
    const header: MessageHeader = {
      msg_id: randomUUID(),
      username: 'flow',
      session: this.session,
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
    const msg: KernelMessage = { header, parent_header: {}, metadata: {}, content, channel, buffers: [] };
    this.ws.send(JSON.stringify(msg));
    return header.msg_id;
  }

  /** Closes the socket and waits until it is gone (destroyed if the handshake stalls); idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const gone = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    else if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), CLOSE_WAIT_MS);
    });
    if (await Promise.race([gone.then(() => false), stalled])) {
      this.ws.terminate();
      await gone;
    }
    clearTimeout(timer);
  }
}

/** `code 1006`, `code 1000: bye`: a close as the websocket reports it. */
function closeText(code: number, reason: Buffer): string {
  return `websocket closed, code ${code}${reason.length > 0 ? `: ${reason.toString()}` : ''}`;
}

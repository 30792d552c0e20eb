// Jupyter Server's kernels REST API over node:http(s): start, look up, interrupt and delete kernels.
import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A REST answer: its HTTP status and its body as text. */
/** Where a server is and how to authenticate; enough to talk to it. */
export interface ServerEndpoint {
  baseUrl: string;
  token: string;
}

export interface RestResponse {
  status: number;
  body: string;
}

/** What the server says of a kernel (`GET /api/kernels/{id}`); fields flow does not use are kept as they come. */
export interface KernelModel {
  id: string;
  name: string;
  execution_state?: string;
  [k: string]: unknown;
}

/** The server answered, with an HTTP error. */
export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(`${message}: HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

export interface RestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Give up (and close the socket) after this long. @default 30000 */
  timeoutMs?: number;
}

/** The URL of `path` (e.g. `/api/kernels`) on the server, which may live under a base path. */
export function apiUrl(endpoint: ServerEndpoint, path: string): URL {
  return new URL(`${endpoint.baseUrl.replace(/\/+$/, '')}${path}`);
}

/** The token as a header: a URL with `?token=` could end up in a log. */
export function authHeaders(endpoint: ServerEndpoint): Record<string, string> {
  return endpoint.token ? { Authorization: `token ${endpoint.token}` } : {};
}

/**
 * One request to the server's REST API. `agent: false`: a fresh connection closed after the
 * answer, so no keep-alive socket outlives a run (Node's global agent keeps them open).
 * Resolves once the answer is read and its socket closed; any HTTP status resolves. Rejects
 * on a network error or timeout.
 */
export function restRequest(endpoint: ServerEndpoint, method: string, path: string, opts: RestOptions = {}): Promise<RestResponse> {
  const url = apiUrl(endpoint, path);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...authHeaders(endpoint), Accept: 'application/json' };
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, agent: false, timeout: opts.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => afterClose(req, () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer within ${opts.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Closes the request's socket (the answer is read, and it is never reused) and calls `then`
 * once it is closed: a caller that awaited a request has no socket of it left, not even for a tick.
 */
function afterClose(req: ClientRequest, then: () => void): void {
  const socket = req.socket;
  if (!socket || socket.closed) return then();
  socket.once('close', then);
  socket.destroy();
}

/** `POST /api/kernels`: starts a kernel; the caller reads the answer (an error names the cause). */
export function postKernel(endpoint: ServerEndpoint, name: string, path?: string, env?: Record<string, string>): Promise<RestResponse> {
  return restRequest(endpoint, 'POST', '/api/kernels', {
    body: { name, ...(path !== undefined ? { path } : {}), ...(env ? { env } : {}) },
  });
}

/** `GET /api/kernels/{id}`: the kernel's model, or undefined when the server no longer has it. */
export async function getKernel(endpoint: ServerEndpoint, id: string): Promise<KernelModel | undefined> {
  const res = await restRequest(endpoint, 'GET', `/api/kernels/${encodeURIComponent(id)}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new HttpStatusError(`GET /api/kernels/${id}`, res.status);
  return JSON.parse(res.body) as KernelModel;
}

/** `POST /api/kernels/{id}/interrupt`: the server signals the kernel (or sends interrupt_request). */
export async function interruptKernel(endpoint: ServerEndpoint, id: string): Promise<void> {
  const res = await restRequest(endpoint, 'POST', `/api/kernels/${encodeURIComponent(id)}/interrupt`);
  if (res.status >= 300) throw new HttpStatusError(`could not interrupt kernel ${id}`, res.status);
}

/** `DELETE /api/kernels/{id}`: shuts the kernel down. A kernel the server no longer has (404) counts as done. */
export async function deleteKernel(endpoint: ServerEndpoint, id: string, timeoutMs?: number): Promise<void> {
  const res = await restRequest(endpoint, 'DELETE', `/api/kernels/${encodeURIComponent(id)}`, { timeoutMs });
  if (res.status >= 300 && res.status !== 404) throw new HttpStatusError(`could not shut down kernel ${id}`, res.status);
}

/** The kernelspec names the server offers, sorted; empty when it cannot be asked. */
export async function listKernelspecs(endpoint: ServerEndpoint): Promise<string[]> {
  try {
    const res = await restRequest(endpoint, 'GET', '/api/kernelspecs');
    const body = JSON.parse(res.body) as { kernelspecs?: Record<string, unknown> };
    return Object.keys(body.kernelspecs ?? {}).sort();
  } catch {
    return [];
  }
}

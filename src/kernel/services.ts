// Loads @jupyterlab/services for Node: ws as the WebSocket, its console noise routed to a log.
import type { ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';
import type { ServerEndpoint } from './jupyter-server.js';

type Services = typeof import('@jupyterlab/services');
let loaded: Promise<Services> | undefined;

/** Where @jupyterlab/services' console.debug/warn chatter goes (never to the terminal). */
export let servicesLog: (line: string) => void = () => {};
export function setServicesLog(f: (line: string) => void): void {
  servicesLog = f;
}

let consoleRouted = false;
/**
 * The library logs reconnects and kernel restarts with console.debug/warn/error. Those go to
 * the log instead; other console output is untouched (flow itself never uses console).
 */
function routeConsoleNoise(): void {
  if (consoleRouted) return;
  consoleRouted = true;
  for (const level of ['debug', 'warn', 'error', 'log', 'info'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      const stack = new Error().stack ?? '';
      if (stack.includes('@jupyterlab')) servicesLog(`[services ${level}] ${args.map(String).join(' ')}`);
      else original(...args);
    };
  }
}

let rejectionsGuarded = false;
/**
 * After a kernel restarts, KernelConnection calls its own reconnect() and drops the promise;
 * disposing the connection then rejects it ("Kernel connection disconnected") with nobody
 * listening, which would crash Node. Those rejections are expected: log them, nothing else.
 */
function guardServicesRejections(): void {
  if (rejectionsGuarded) return;
  rejectionsGuarded = true;
  process.on('unhandledRejection', (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (reason instanceof Error && /^Kernel connection disconnected$|^Canceled future/.test(message)) {
      servicesLog(`[services] ignored: ${message}`);
      return;
    }
    throw reason;
  });
}

export function loadServices(): Promise<Services> {
  routeConsoleNoise();
  guardServicesRejections();
  return (loaded ??= import('@jupyterlab/services'));
}

export async function makeSettings(endpoint: ServerEndpoint): Promise<ServerConnection.ISettings> {
  const { ServerConnection } = await loadServices();
  return ServerConnection.makeSettings({
    baseUrl: endpoint.baseUrl,
    wsUrl: endpoint.baseUrl.replace(/^http/, 'ws'),
    token: endpoint.token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    fetch: globalThis.fetch,
    Request: globalThis.Request,
    Headers: globalThis.Headers,
    init: { cache: 'no-store' },
  });
}

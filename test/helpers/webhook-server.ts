// An HTTP server on 127.0.0.1 that records webhook POSTs: it answers with the given statuses in
// turn (the last one from then on), or never answers at all.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  at: number;
}

export interface WebhookServer {
  url: (path?: string) => string;
  posts: ReceivedPost[];
  close(): Promise<void>;
}

export async function startWebhookServer(opts: { statuses?: number[]; neverAnswer?: boolean } = {}): Promise<WebhookServer> {
  const posts: ReceivedPost[] = [];
  const statuses = opts.statuses ?? [200];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // recorded as text
      }
      posts.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      if (opts.neverAnswer) {
        hanging.push(res);
        return;
      }
      const status = statuses[Math.min(posts.length - 1, statuses.length - 1)]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'server error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    posts,
    close: () =>
      new Promise((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

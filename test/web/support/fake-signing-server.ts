// A tiny local server for the page tests: serves a built web folder and answers /api/signing*
// with canned JSON, recording every API request so tests can check headers and bodies.
// This tests the page only; the real API is exercised by the end-to-end tests.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SigningView } from '../../../web/src/types.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface Scenario {
  token: string;
  view: SigningView;
  pdfs: Record<string, Uint8Array>;
  /** The one code that verifies; any other 6 digits get OTP_INVALID. */
  goodCode: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.ttf': 'font/ttf',
  '.pfb': 'application/octet-stream',
  '.bcmap': 'application/octet-stream',
  '.icc': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

export class FakeSigningServer {
  readonly requests: RecordedRequest[] = [];
  scenario: Scenario;
  private server: Server | null = null;
  private attemptsLeft = 5;
  private readonly root: string;
  baseUrl = '';

  constructor(root: string, scenario: Scenario) {
    this.root = root;
    this.scenario = scenario;
  }

  use(scenario: Scenario): void {
    this.scenario = scenario;
    this.attemptsLeft = 5;
    this.requests.length = 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    this.baseUrl = `http://127.0.0.1:${addr.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/api/')) {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      this.requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        authorization: req.headers.authorization,
        body,
      });
      this.api(req.method ?? 'GET', url.pathname, req.headers.authorization, body, res);
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.join(this.root, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(this.root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(data);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  }

  private api(method: string, p: string, auth: string | undefined, body: unknown, res: ServerResponse): undefined {
    const s = this.scenario;
    const json = (status: number, value: unknown): undefined => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    };
    const problem = (status: number, code: string, extra: Record<string, unknown> = {}): undefined => {
      res
        .writeHead(status, { 'Content-Type': 'application/problem+json' })
        .end(
          JSON.stringify({ type: `https://mailsign.example/problems/${code}`, title: code, status, code, ...extra }),
        );
    };
    if (auth !== `Bearer ${s.token}`) return problem(401, 'TOKEN_INVALID');

    if (method === 'GET' && p === '/api/signing') return json(200, s.view);
    const doc = /^\/api\/signing\/documents\/([^/]+)$/.exec(p);
    if (method === 'GET' && doc) {
      const bytes = s.pdfs[decodeURIComponent(doc[1] ?? '')];
      if (!bytes) return problem(404, 'NOT_FOUND');
      res.writeHead(200, { 'Content-Type': 'application/pdf' }).end(Buffer.from(bytes));
      return;
    }
    const b = (body ?? {}) as Record<string, unknown>;
    if (method === 'POST' && p === '/api/signing/otp') {
      if (!/^(\+33|0)[67]/.test(String(b.phone).replace(/\s/g, ''))) return problem(422, 'PHONE_INVALID');
      const now = Date.now();
      // A number ending in 99 plays a signer who already asked for a code a moment ago.
      if (/99$/.test(String(b.phone)))
        return problem(429, 'OTP_THROTTLED', { resendAfter: new Date(now + 25_000).toISOString() });
      return json(202, {
        expiresAt: new Date(now + 600_000).toISOString(),
        resendAfter: new Date(now + 30_000).toISOString(),
      });
    }
    if (method === 'POST' && p === '/api/signing/otp/verify') {
      if (b.code === s.goodCode) {
        s.view.you.phoneVerified = true;
        return json(200, { verified: true });
      }
      this.attemptsLeft -= 1;
      return problem(422, 'OTP_INVALID', { attemptsLeft: this.attemptsLeft });
    }
    if (method === 'POST' && p === '/api/signing/signature') {
      if (!s.view.you.phoneVerified) return problem(403, 'PHONE_NOT_VERIFIED');
      if (b.consent !== true) return problem(422, 'CONSENT_REQUIRED');
      s.view.you.status = 'signed';
      return json(200, { status: 'signed' });
    }
    if (method === 'POST' && p === '/api/signing/decline') {
      s.view.envelope.status = 'declined';
      s.view.you.status = 'declined';
      for (const signer of s.view.signers) if (signer.position === s.view.you.position) signer.status = 'declined';
      return json(200, {});
    }
    return problem(404, 'NOT_FOUND');
  }
}

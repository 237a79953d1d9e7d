// The local stack's HTTP edge on a real server: an oversize body is 413 and a malformed %-escape
// is 400, both as problem details, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack-fixture.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);

afterAll(async () => {
  await stack?.cleanup();
});

async function problemOf(response: Response) {
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

describe('local HTTP edge', () => {
  it('answers 413 PAYLOAD_TOO_LARGE to a body over 6 MB', async () => {
    const response = await fetch(`${stack.httpUrl}/api/signing/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"phone":"${'0'.repeat(6 * 1024 * 1024 + 1)}"}`,
    });
    const problem = await problemOf(response);
    expect([problem.status, problem.type, problem.body.code]).toEqual([
      413,
      'application/problem+json; charset=utf-8',
      'PAYLOAD_TOO_LARGE',
    ]);
  });

  it('answers 400 BAD_REQUEST to a malformed %-escape in an API path', async () => {
    const response = await fetch(`${stack.httpUrl}/api/signing/documents/%E0%A4%A`);
    const problem = await problemOf(response);
    expect([problem.status, problem.body.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('answers 400 BAD_REQUEST to a malformed %-escape in a page path', async () => {
    const response = await fetch(`${stack.httpUrl}/%zz.html`);
    expect((await problemOf(response)).status).toBe(400);
  });

  it('answers 400 BAD_REQUEST to a malformed %-escape in an outbox path', async () => {
    const response = await fetch(`${stack.httpUrl}/dev/outbox/mail/%E0.eml`);
    expect((await problemOf(response)).status).toBe(400);
  });
});

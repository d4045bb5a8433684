import { isValidSlackRequest } from '@slack/bolt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedBySlack } from '../../src/platforms/slack/signature.ts';
import { signSlackRequest } from '../support/slack-request.ts';

const SECRET = 'signature-test-secret';

/** Bolt's own check, the reference: what it accepts is Slack's. */
function boltAccepts(body: string, timestamp: string, signature: string): boolean {
  return isValidSlackRequest({
    signingSecret: SECRET,
    body,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
    nowMilliseconds: Number(timestamp) * 1000,
  });
}

describe('signedBySlack', () => {
  it('accepts what Slack signs and Bolt accepts, for any body', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2_000 }), (body) => {
        const headers = signSlackRequest(SECRET, body);
        const timestamp = headers['x-slack-request-timestamp'];
        const signature = headers['x-slack-signature'];
        expect(boltAccepts(body, timestamp, signature)).toBe(true);
        expect(signedBySlack(SECRET, timestamp, Buffer.from(body), signature)).toBe(true);
      }),
    );
  });

  it('refuses a changed body, timestamp, secret or signature, as Bolt does', () => {
    const body = 'payload=%7B%22type%22%3A%22view_submission%22%7D';
    const { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature } = signSlackRequest(SECRET, body);
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    const cases: [string, string, string, string][] = [
      [SECRET, timestamp, `${body} `, signature],
      [SECRET, String(Number(timestamp) + 1), body, signature],
      ['another-secret', timestamp, body, signature],
      [SECRET, timestamp, body, flipped],
      [SECRET, timestamp, body, signature.replace('v0=', 'v1=')],
      [SECRET, timestamp, body, signature.slice(0, -2)],
      [SECRET, timestamp, body, `${signature}00`],
      [SECRET, timestamp, body, `v0=${'zz'.repeat(32)}`],
      [SECRET, timestamp, body, ''],
    ];
    for (const [secret, ts, b, sig] of cases) {
      expect(signedBySlack(secret, ts, Buffer.from(b), sig)).toBe(false);
      if (secret === SECRET) expect(boltAccepts(b, ts, sig)).toBe(false);
    }
  });

  it('signs the body as bytes: a UTF-8 body checks the same as its text', () => {
    const body = 'text=caf%C3%A9 ☕ über';
    const { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature } = signSlackRequest(SECRET, body);
    expect(signedBySlack(SECRET, timestamp, Buffer.from(body, 'utf8'), signature)).toBe(true);
    expect(signedBySlack(SECRET, timestamp, Buffer.from(body, 'latin1'), signature)).toBe(false);
  });
});

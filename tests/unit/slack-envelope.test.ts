import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSlackBody } from '../../src/platforms/slack/envelope.ts';

const FORM = 'application/x-www-form-urlencoded';
const parse = (body: string) => parseSlackBody(Buffer.from(body), FORM);
const submission = (title: string) => ({
  type: 'view_submission',
  user: { id: 'U1' },
  view: { id: 'V1', callback_id: 'friction_form', state: { values: { title: { value: { value: title } } } } },
});

describe('parseSlackBody, form bodies', () => {
  it('reads a lone payload field as the form parser would, whatever its text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (title) => {
        const body = new URLSearchParams({ payload: JSON.stringify(submission(title)) }).toString();
        const parsed = parse(body);
        expect(parsed.ok).toBe(true);
        const envelope = parsed.ok ? parsed.envelope : undefined;
        expect(envelope?.kind === 'view' && envelope.body).toMatchObject(submission(title));
        // Also encoded as a browser's form would (%20 rather than +).
        const alike = parse(`payload=${encodeURIComponent(JSON.stringify(submission(title)))}`);
        expect(alike).toEqual(parsed);
      }),
    );
  });

  it('takes a payload whose encoding does not decode as the form parser takes it', () => {
    // A lone `%` and a broken UTF-8 sequence: the form parser keeps the one and replaces the other.
    const json = JSON.stringify(submission('100%'));
    const broken = `payload=${encodeURIComponent(json).replace('100%25', '100%')}`;
    const parsed = parse(broken);
    expect(parsed.ok && parsed.envelope.kind === 'view' && parsed.envelope.body).toMatchObject(submission('100%'));
    const badUtf8 = `payload=${encodeURIComponent(json).replace('100%25', '%C3%28')}`;
    const replaced = parse(badUtf8);
    expect(replaced.ok && replaced.envelope.kind === 'view' && replaced.envelope.body).toMatchObject(
      submission('\uFFFD('),
    );
  });

  it('reads other fields beside a payload, commands, and refuses what is not an interaction', () => {
    const withOther = `payload=${encodeURIComponent(JSON.stringify(submission('a')))}&other=1`;
    expect(parse(withOther)).toMatchObject({ ok: true, envelope: { kind: 'view' } });
    expect(parse('ssl_check=1&token=x')).toEqual({ ok: true, envelope: { kind: 'ssl_check' } });
    expect(parse('payload=')).toEqual({ ok: false, error: 'payload is not JSON' });
    expect(parse('payload=%7B%7D')).toEqual({ ok: false, error: 'payload has no type' });
    const event = { type: 'event_callback', event: { type: 'app_home_opened', user: 'U1' } };
    expect(parse(`payload=${encodeURIComponent(JSON.stringify(event))}`)).toEqual({
      ok: false,
      error: 'payload is not an interaction',
    });
  });
});

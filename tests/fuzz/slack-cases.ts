/**
 * Slack requests for the fuzz suite: the well-formed ones of slack-commands.ts and slack-interactions.ts, mutated,
 * encoded (or mis-encoded: a JSON body where a form belongs, `payload=null`, a whole body that is not an object) and
 * signed (or not: no signature, a wrong one, a timestamp outside ±5 minutes).
 */
import fc from 'fast-check';
import { applyMutations, junkValue, type Mutation, mutations, sometimes } from './mutations.ts';
import { type FuzzRequest, type SlackSigning, slackSigning } from './request.ts';
import { eventCallback, otherEnvelope, slashCommand } from './slack-commands.ts';
import { interaction } from './slack-interactions.ts';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Content types: the right one mostly, else one a client could get wrong. */
const contentType = (right: string) =>
  fc.oneof(
    { arbitrary: fc.constant(right), weight: 12 },
    { arbitrary: fc.constantFrom(`${right}; charset=utf-8`, right.toUpperCase()), weight: 1 },
    {
      arbitrary: fc.constantFrom<string | null>(
        null,
        'text/plain',
        right === FORM ? JSON_TYPE : FORM,
        'multipart/form-data; boundary=x',
        'application/xml',
        '',
      ),
      weight: 2,
    },
  );

/** A form body from fields; a mutated field may be any JSON value, written the way a sloppy client would. */
function formBody(fields: unknown): string {
  const params = new URLSearchParams();
  if (typeof fields !== 'object' || fields === null) return String(fields);
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const v of value) params.append(key, typeof v === 'string' ? v : JSON.stringify(v));
    else params.append(key, typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  }
  return params.toString();
}

/** What an interaction's form body may hold instead of `payload=<the JSON>`. */
const payloadWrapping = fc.oneof(
  { arbitrary: fc.constant({ how: 'payload' as const }), weight: 14 },
  { arbitrary: fc.constant({ how: 'raw-json' as const }), weight: 1 },
  { arbitrary: junkValue.map((junk) => ({ how: 'junk' as const, junk })), weight: 2 },
  {
    arbitrary: fc
      .constantFrom('payload=', 'payload', 'payload=%7B', 'payload=null&payload=1', '')
      .map((text) => ({ how: 'text' as const, text })),
    weight: 1,
  },
);

const signedAnd = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<{ built: T; mutations: Mutation[]; signing: SlackSigning }> =>
  fc.record({ built: arb, mutations, signing: slackSigning });

const commandRequest = fc
  .record({ built: slashCommand, mutations, signing: slackSigning, type: contentType(FORM) })
  .map(
    ({ built, mutations: m, signing, type }): FuzzRequest => ({
      endpoint: '/slack/events',
      kind: built.kind,
      contentType: type,
      body: formBody(applyMutations(built.fields, m)),
      signing,
    }),
  );

const interactionRequest = fc
  .record({ inner: signedAnd(interaction), wrapping: payloadWrapping, type: contentType(FORM) })
  .map(({ inner: { built, mutations: m, signing }, wrapping, type }): FuzzRequest => {
    const payload = applyMutations(built.payload, m);
    const json = JSON.stringify(payload) ?? 'undefined';
    const body =
      wrapping.how === 'payload'
        ? new URLSearchParams({ payload: json }).toString()
        : wrapping.how === 'raw-json'
          ? json
          : wrapping.how === 'junk'
            ? new URLSearchParams({ payload: JSON.stringify(wrapping.junk) ?? '' }).toString()
            : wrapping.text;
    return { endpoint: '/slack/events', kind: built.kind, contentType: type, body, signing };
  });

/** An Events API body: the envelope as JSON, or a whole body that is not an object at all. */
const eventRequest = fc
  .record({
    inner: signedAnd(fc.oneof({ arbitrary: eventCallback, weight: 6 }, { arbitrary: otherEnvelope, weight: 1 })),
    whole: sometimes(
      fc.oneof(
        junkValue.map((j) => JSON.stringify(j) ?? ''),
        fc.constantFrom('', '{', '{"type":', 'nul', '[{}]'),
      ),
    ),
    type: contentType(JSON_TYPE),
  })
  .map(
    ({ inner: { built, mutations: m, signing }, whole, type }): FuzzRequest => ({
      endpoint: '/slack/events',
      kind: built.kind,
      contentType: type,
      body: whole ?? JSON.stringify(applyMutations(built.payload, m)) ?? 'null',
      signing,
    }),
  );

/** Every kind of Slack request, well-formed or not. */
export const slackRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { arbitrary: commandRequest, weight: 3 },
  { arbitrary: interactionRequest, weight: 5 },
  { arbitrary: eventRequest, weight: 2 },
);

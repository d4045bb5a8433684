/**
 * What Slack sends to `/slack/events` (or through Socket Mode), checked with zod before Bolt sees it. Bolt trusts a
 * signed body's shape: `payload=null` crashed its receiver, `actions: null` or a shortcut without a user threw inside
 * its routing. Here each kind of request must have the fields Bolt and our listeners read, of the right types;
 * anything else is refused (400) or, when it is a kind this bot does not use, acknowledged and dropped.
 */
import { z } from 'zod';

const id = z.string().min(1).max(255);
const optionalId = z.string().max(255).optional();
const ref = z.looseObject({ id });

/** `team` and `enterprise` are null on org-wide installs; Bolt reads `.id` only when they are objects. */
const workspace = z.looseObject({ id: optionalId, enterprise_id: z.string().max(255).nullish() }).nullish();

const command = z.looseObject({
  command: z.string().regex(/^\/[^\s/]{1,32}$/),
  user_id: id,
  channel_id: id,
  trigger_id: id,
  team_id: optionalId,
  enterprise_id: optionalId,
  text: z.string().optional(),
});

const interactive = {
  user: z.looseObject({ id, team_id: z.string().max(255).nullish() }),
  team: workspace,
  enterprise: workspace,
  // Bolt reads `channel.id` whenever `channel` is there (a null would throw).
  channel: ref.optional(),
  trigger_id: optionalId,
  response_url: z.string().max(2048).optional(),
};

const viewRef = z.looseObject({
  id,
  callback_id: z.string().max(255),
  hash: z.string().max(255).optional(),
  private_metadata: z.string().max(3000).optional(),
  app_installed_team_id: z.string().max(255).nullish(),
  state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }).optional(),
});

const blockActions = z.looseObject({
  ...interactive,
  type: z.literal('block_actions'),
  actions: z
    .array(
      z.looseObject({
        action_id: id,
        block_id: optionalId,
        type: z.string().max(64).optional(),
        value: z.string().max(2000).optional(),
      }),
    )
    .min(1)
    .max(25),
  container: z.looseObject({ type: z.string().max(64) }).optional(),
  view: viewRef.optional(),
  message: z.looseObject({ ts: z.string().max(64).optional() }).optional(),
});

const viewAction = z.looseObject({
  ...interactive,
  type: z.enum(['view_submission', 'view_closed']),
  view: viewRef,
});

const shortcut = z.looseObject({
  ...interactive,
  type: z.literal('shortcut'),
  callback_id: id,
  trigger_id: id,
});

const messageAction = z.looseObject({
  ...interactive,
  type: z.literal('message_action'),
  callback_id: id,
  trigger_id: id,
  channel: ref,
  message: z.looseObject({ ts: z.string().max(64).optional() }),
});

/** The only event the app subscribes to (manifest: `bot_events`); any other is acknowledged and dropped. */
const appHomeOpened = z.looseObject({
  type: z.literal('event_callback'),
  event_id: optionalId,
  team_id: optionalId,
  authorizations: z
    .array(z.looseObject({ team_id: z.string().max(255).nullish(), enterprise_id: z.string().max(255).nullish() }))
    .optional(),
  event: z.looseObject({
    type: z.literal('app_home_opened'),
    user: id,
    channel: z.string().max(255).optional(),
    tab: z.string().max(64).optional(),
  }),
});

type Body = Record<string, unknown>;

export type SlackEnvelope =
  | { kind: 'ssl_check' }
  | { kind: 'url_verification'; challenge: string }
  /** A request of a kind this bot does not use (legacy payloads, other events): a plain ack, nothing else. */
  | { kind: 'ignored'; what: string }
  | { kind: 'command'; body: Body; command: string; channel: string; user: string }
  | { kind: 'action'; body: Body; user: string; channel?: string }
  | { kind: 'view'; body: Body; submitted: boolean; blockIds: string[] }
  | { kind: 'shortcut'; body: Body; user: string; channel?: string }
  | { kind: 'event'; body: Body; eventId?: string };

export type Parsed = { ok: true; envelope: SlackEnvelope } | { ok: false; error: string };

/** A request body as Slack sends it: form-encoded (commands, `payload=` interactions) or JSON (events). */
export function parseSlackBody(raw: Buffer, contentType: string): Parsed {
  const text = raw.toString('utf8');
  if (contentType === 'application/json') return parseJson(text, 'the body');
  const direct = lonePayload(text);
  if (direct !== undefined) return interaction(direct);
  const form = new URLSearchParams(text);
  const payload = form.get('payload');
  if (payload !== null) return interaction(payload);
  if (form.get('ssl_check') === '1') return { ok: true, envelope: { kind: 'ssl_check' } };
  return parseCommandObject(Object.fromEntries(form));
}

/** A form's `payload` field: an interaction (an event belongs in a JSON body, not here). */
function interaction(payload: string): Parsed {
  const parsed = parseJson(payload, 'payload');
  return parsed.ok && parsed.envelope.kind === 'event' ? { ok: false, error: 'payload is not an interaction' } : parsed;
}

const PAYLOAD = 'payload=';

/**
 * An interaction's body is one field, `payload=<JSON, form-encoded>`: decoded at once, natively, rather than scanned
 * character by character as a form (a submitted view is kilobytes: a tenth of the request's parsing). Undefined for
 * any other body, or one that does not decode; the form parser takes those as they are.
 */
function lonePayload(text: string): string | undefined {
  if (!text.startsWith(PAYLOAD) || text.includes('&')) return undefined;
  try {
    return decodeURIComponent(text.slice(PAYLOAD.length).replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** An envelope's `payload` as Socket Mode hands it over (already parsed). */
export function classifySlackBody(body: unknown, where = 'the body'): Parsed {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: `${where} is not an object` };
  }
  const type = (body as Body).type;
  if ((body as Body).command !== undefined) return parseCommandObject(body);
  switch (type) {
    case 'url_verification': {
      const challenge = (body as Body).challenge;
      return typeof challenge === 'string' && challenge.length <= 255
        ? { ok: true, envelope: { kind: 'url_verification', challenge } }
        : { ok: false, error: 'url_verification without a challenge' };
    }
    case 'event_callback': {
      const event = (body as Body).event;
      const eventType = typeof event === 'object' && event !== null ? (event as Body).type : undefined;
      if (eventType !== 'app_home_opened') return ignored(`event ${String(eventType).slice(0, 40)}`);
      return checked(appHomeOpened, body, (b) => ({ kind: 'event', body: b, ...optional('eventId', b.event_id) }));
    }
    case 'block_actions':
      return checked(blockActions, withoutFunctionData(body), (b) => ({
        kind: 'action',
        body: b,
        user: b.user.id,
        ...optional('channel', b.channel?.id),
      }));
    case 'view_submission':
    case 'view_closed':
      return checked(viewAction, withoutFunctionData(body), (b) => ({
        kind: 'view',
        body: b,
        submitted: b.type === 'view_submission',
        blockIds: Object.keys(b.view.state?.values ?? {}),
      }));
    case 'shortcut':
      return checked(shortcut, body, (b) => ({ kind: 'shortcut', body: b, user: b.user.id }));
    case 'message_action':
      return checked(messageAction, body, (b) => ({
        kind: 'shortcut',
        body: b,
        user: b.user.id,
        channel: b.channel.id,
      }));
    default:
      return typeof type === 'string' ? ignored(type.slice(0, 40)) : { ok: false, error: `${where} has no type` };
  }
}

function parseJson(text: string, where: string): Parsed {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: `${where} is not JSON` };
  }
  return classifySlackBody(body, where);
}

function parseCommandObject(body: object): Parsed {
  return checked(command, body, (b) => ({
    kind: 'command',
    body: b,
    command: b.command,
    channel: b.channel_id,
    user: b.user_id,
  }));
}

function checked<S extends z.ZodType<Body>>(
  schema: S,
  body: unknown,
  envelope: (body: z.infer<S>) => SlackEnvelope,
): Parsed {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, envelope: envelope(result.data) };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'the body';
  // Keys can be the sender's own strings: the answer stays short whatever they are.
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}`.slice(0, 200) };
}

const ignored = (what: string): Parsed => ({ ok: true, envelope: { kind: 'ignored', what } });

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

/**
 * Workflow-function fields make Bolt act with the token the payload carries; this app has no workflow functions, so
 * a payload never gets to choose a token.
 */
function withoutFunctionData(body: object): Body {
  const { function_data: _data, bot_access_token: _token, ...rest } = body as Body;
  return rest;
}

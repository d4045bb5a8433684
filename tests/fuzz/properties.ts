/**
 * The properties every case must keep, checked on what it made the bot do: (1) the process never dies, (2) no 5xx,
 * (3) an answer within 3 s, (4) nothing the bot sends or answers with breaks Block Kit or Adaptive Cards, (5) nothing
 * half-written in the database; and a forged Slack request gets 401.
 */

import { MESSAGE_SHORTCUTS, VIEWS } from '../../src/platforms/slack/ids.ts';
import { CARD_ACTIONS } from '../../src/platforms/teams/ids.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { viewProblems } from '../support/block-kit-views.ts';
import { abbreviate } from './mutations.ts';
import { type FuzzRequest, isForged } from './request.ts';
import { KNOWN_ACTIONS } from './slack-interactions.ts';
import type { CaseOutput } from './target.ts';

export type Property = 'died' | '5xx' | 'slow' | 'block-kit' | 'adaptive-card' | 'database' | 'forged-not-401';

export interface Violation {
  property: Property;
  /** What exactly, in words. */
  detail: string;
  /** The failure's class: the same class is one defect, whatever the case that showed it. */
  key: string;
}

/** Slack's deadline for an acknowledgement; the Bot Framework's is longer, the suite holds both to it. */
export const ANSWER_WITHIN_MS = 3000;

type Json = Record<string, unknown>;
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Numbers and quoted bits out, so one defect seen with different values is one class. */
const normalise = (text: string) =>
  abbreviate(text, 400)
    .replace(/"[^"]{0,80}"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 160);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every Adaptive Card anywhere in a JSON value (activities, attachments, task module and invoke answers). */
function adaptiveCards(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) adaptiveCards(v, found);
  else if (isRecord(value)) {
    if (value.contentType === ADAPTIVE_CARD && 'content' in value) found.push(value.content);
    else if (value.type === ADAPTIVE_CARD && 'value' in value) found.push(value.value);
    else for (const v of Object.values(value)) adaptiveCards(v, found);
  }
  return found;
}

/** A core command token the renderer should have turned into words. */
const unrendered = (value: unknown) => /\{\{(coe|friction|change-request)\b/.test(JSON.stringify(value ?? null));

/**
 * Slack refuses a message or view whose blocks share a block_id, or whose actions block has two elements with one
 * action_id (blockKitProblems and viewProblems check lengths and counts, not these).
 */
function duplicateIds(where: string, blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  const problems: string[] = [];
  const blockIds = blocks.map((b) => (isRecord(b) ? b.block_id : undefined)).filter((id) => id !== undefined);
  for (const id of new Set(blockIds.filter((id, i) => blockIds.indexOf(id) !== i))) {
    problems.push(`${where}: block_id ${JSON.stringify(id)} used twice`);
  }
  for (const [i, block] of blocks.entries()) {
    if (!isRecord(block) || !Array.isArray(block.elements)) continue;
    const ids = (block.elements as unknown[]).map((e) => (isRecord(e) ? e.action_id : undefined)).filter(Boolean);
    for (const id of new Set(ids.filter((id, j) => ids.indexOf(id) !== j))) {
      problems.push(`${where}: blocks[${i}] has action_id ${JSON.stringify(id)} twice`);
    }
  }
  return problems;
}

function slackMessageProblems(where: string, message: { text?: unknown; blocks?: unknown }): string[] {
  const problems = blockKitProblems({
    ...(message.text === undefined ? {} : { text: message.text as string }),
    ...(message.blocks === undefined ? {} : { blocks: message.blocks as unknown[] }),
  }).map((p) => `${where}: ${p}`);
  if (message.blocks !== undefined && !Array.isArray(message.blocks)) problems.push(`${where}: blocks is not a list`);
  problems.push(...duplicateIds(where, message.blocks));
  if (unrendered(message)) problems.push(`${where}: an unrendered command token`);
  return problems;
}

function slackViewProblems(where: string, view: unknown): string[] {
  if (!isRecord(view)) return [`${where}: the view is not an object`];
  const problems = viewProblems(view).map((p) => `${where} ${String(view.callback_id ?? view.type)}: ${p}`);
  problems.push(...duplicateIds(`${where} ${String(view.callback_id ?? view.type)}`, view.blocks));
  if (unrendered(view)) problems.push(`${where}: an unrendered command token`);
  return problems;
}

/** Block Kit problems in what the bot answered a Slack request with, and in the calls it made to Slack. */
function blockKit(request: FuzzRequest, output: CaseOutput): string[] {
  const problems: string[] = [];
  if (request.endpoint === '/slack/events' && output.answer.status === 200 && output.answer.body) {
    const ack = parseJson(output.answer.body);
    if (isRecord(ack)) {
      if (ack.view !== undefined) problems.push(...slackViewProblems('the ack', ack.view));
      if (ack.text !== undefined || ack.blocks !== undefined) problems.push(...slackMessageProblems('the ack', ack));
    }
  }
  for (const call of output.slackCalls) {
    if (call.method.startsWith('views.')) problems.push(...slackViewProblems(call.method, call.args.view));
    else if (call.method.startsWith('chat.') && call.method !== 'chat.getPermalink' && call.method !== 'chat.delete') {
      problems.push(...slackMessageProblems(call.method, call.args));
    }
  }
  return problems;
}

/** Adaptive Card problems in what the bot answered a Teams request with, and in what it sent the Bot Connector. */
function cards(request: FuzzRequest, output: CaseOutput): string[] {
  const problems: string[] = [];
  const check = (where: string, value: unknown) => {
    for (const card of adaptiveCards(value)) {
      problems.push(...adaptiveCardProblems(card).map((p) => `${where}: ${p}`));
      if (isRecord(card) && card.version !== '1.5') problems.push(`${where}: version ${String(card.version)}`);
      if (unrendered(card)) problems.push(`${where}: an unrendered command token`);
    }
  };
  if (request.endpoint === '/api/messages' && output.answer.body)
    check('the invoke answer', parseJson(output.answer.body));
  for (const r of output.connectorRequests) check(`connector ${r.kind}`, r.body);
  return problems;
}

/** The cause the bot gave for a failure: Bolt's "Error details", else the first error it logged. */
function causeOf(output: CaseOutput): string {
  const details = output.errorLogs.find((line) => line.startsWith('Error details:'));
  return (details ?? output.errorLogs[0] ?? '').replace(/^Error details: /, '');
}

/** What the request was, as the bot saw it (after any mutation): the part of a class key that says which request. */
export function shapeOf(request: FuzzRequest): string {
  if (request.endpoint === '/api/messages') {
    const activity = parseJson(request.body);
    if (!isRecord(activity)) return `teams body ${describeValue(activity)}`;
    const value = isRecord(activity.value) ? activity.value : {};
    const data = isRecord(value.data) ? value.data : value;
    const action =
      activity.type === 'message' || String(activity.name).startsWith('task/')
        ? known(data.coeAction, Object.values(CARD_ACTIONS), 'coeAction', true)
        : '';
    const name = activity.type === 'invoke' ? ` ${word(activity.name)}` : '';
    return `teams ${word(activity.type)}${name}${action}`;
  }
  const form = new URLSearchParams(request.body);
  if (form.has('command')) return 'slack command';
  if (form.has('payload')) {
    const payload = parseJson(form.get('payload') ?? '');
    if (!isRecord(payload)) return `slack payload ${describeValue(payload)}`;
    const type = word(payload.type);
    const actions = Array.isArray(payload.actions) ? (payload.actions as unknown[]) : [];
    const actionId = isRecord(actions[0]) ? actions[0].action_id : undefined;
    const view = isRecord(payload.view) ? payload.view : {};
    if (type === 'block_actions') return `slack ${type}${known(actionId, KNOWN_ACTIONS, 'action_id')}`;
    if (type.startsWith('view_')) return `slack ${type}${known(view.callback_id, Object.values(VIEWS), 'callback_id')}`;
    if (type === 'shortcut' || type === 'message_action') {
      return `slack ${type}${known(payload.callback_id, Object.values(MESSAGE_SHORTCUTS), 'callback_id')}`;
    }
    return `slack payload ${type}`;
  }
  const body = parseJson(request.body);
  if (!isRecord(body)) return `slack body ${describeValue(body)}`;
  const event = isRecord(body.event) ? ` ${word(body.event.type)}` : '';
  return `slack ${word(body.type)}${event}`;
}

/** A type or name as it is when it reads like one; otherwise what kind of value it is. */
function word(value: unknown): string {
  if (typeof value !== 'string') return `(type ${describeValue(value)})`;
  if (value === '') return '(empty type)';
  return /^[\w./-]{1,40}$/.test(value) ? value : '(odd type)';
}

/** ` (unknown action_id)` when the request names something the app does not have. */
function known(value: unknown, ids: readonly string[], what: string, optional = false): string {
  if (optional && value === undefined) return '';
  return typeof value === 'string' && ids.includes(value) ? '' : ` (unknown ${what})`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'not JSON';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** The content types Slack posts: interactions and commands as a form, Events API callbacks as JSON. */
const SLACK_TYPES = ['application/x-www-form-urlencoded', 'application/json'];
const mediaType = (contentType: string | null) => (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** What the case broke; empty when it kept every property. */
export function violations(request: FuzzRequest, output: CaseOutput): Violation[] {
  const found: Violation[] = [];
  const shape = shapeOf(request);
  /** `which`: the part of the class key that tells this failure from others of the property. */
  const add = (property: Property, detail: string, which: string) =>
    found.push({ property, detail, key: `${property}: ${which}` });
  const { answer } = output;
  const cause = normalise(causeOf(output));

  for (const crash of output.crashes) add('died', crash, normalise(crash));
  if (answer.status >= 500) {
    add(
      '5xx',
      `answered ${answer.status} ${answer.body.slice(0, 200)} ${cause}`.trim(),
      `${shape}: ${answer.status} ${cause}`,
    );
  }
  if (answer.status === 0) {
    add(
      'slow',
      `no answer: ${answer.error ?? ''} after ${answer.ms} ms`,
      `${shape}: no answer (${normalise(answer.error ?? '')})`,
    );
  } else if (answer.ms > ANSWER_WITHIN_MS) {
    add('slow', `answered ${answer.status} after ${answer.ms} ms`, `${shape}: answered ${answer.status} late`);
  }
  // A body of a type the endpoint never takes may be refused (415) before its signature is looked at.
  const refusedUnread = answer.status === 415 && !SLACK_TYPES.includes(mediaType(request.contentType));
  if (isForged(request) && answer.status !== 401 && !refusedUnread) {
    const s = request.signing;
    const how = s?.mode === 'skewed' ? `skewed into the ${s.seconds > 0 ? 'future' : 'past'}` : (s?.mode ?? '');
    add('forged-not-401', `signing ${JSON.stringify(s)} answered ${answer.status}`, `${how} answered ${answer.status}`);
  }
  for (const problem of blockKit(request, output)) add('block-kit', problem, normalise(problem));
  for (const problem of cards(request, output)) add('adaptive-card', problem, normalise(problem));
  for (const problem of output.databaseProblems) add('database', problem, problem.split(':')[0] ?? problem);
  return found;
}

/** The bucket a case's answer is counted in: `slack 2xx`, `teams 4xx`, `slack no answer`, plus `forged → 401`. */
export function answerBuckets(request: FuzzRequest, output: CaseOutput): string[] {
  const platform = request.endpoint === '/slack/events' ? 'slack' : 'teams';
  const { status, ms } = output.answer;
  const buckets = [status === 0 ? `${platform} no answer` : `${platform} ${Math.floor(status / 100)}xx`];
  buckets.push(status !== 0 && ms <= ANSWER_WITHIN_MS ? 'answered within 3 s' : 'not answered within 3 s');
  if (isForged(request)) buckets.push(status === 401 ? 'forged → 401' : `forged → ${status}`);
  if (output.crashes.length > 0) buckets.push('process would have died');
  for (const line of output.errorLogs) buckets.push(`bot logged: ${normalise(line).slice(0, 100)}`);
  if (output.slackCalls.length > 0) buckets.push('cases that made the bot call Slack (each call checked)');
  if (output.connectorRequests.length > 0) buckets.push('cases that made the bot call the Bot Connector (checked)');
  if (output.answer.status === 200 && output.answer.body.includes('"view"'))
    buckets.push('slack acks with a view (checked)');
  if (adaptiveCards(parseJson(output.answer.body)).length > 0) buckets.push('invoke answers with a card (checked)');
  if (
    request.endpoint === '/api/messages' &&
    !/^application\/json\b/i.test(request.contentType ?? '') &&
    status < 300
  ) {
    buckets.push('teams non-JSON content type accepted');
  }
  return buckets;
}

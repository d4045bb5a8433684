/**
 * The Slack and Teams app manifests against their official JSON Schemas, the icons, the Teams package, and the
 * commands the code answers to (src/platforms/*\/ids.ts) against the commands the manifests declare.
 *
 * Schemas come from tests/specs (vendored copies of the official ones; see its README), or SPECS_DIR when set.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync, inflateSync } from 'node:zlib';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTeamsPackage, PLACEHOLDER_APP_ID, TeamsPackageError } from '../scripts/teams-package.mjs';
import { type CoeCommand, MENTION, parseCoeCommand } from '../src/domain/coe-command.ts';
import { SLACK_EVENTS, SLASH_COMMANDS } from '../src/platforms/slack/ids.ts';
import {
  CHANGE_REQUEST_COMMAND,
  FRICTION_COMMAND,
  MESSAGE_ACTIONS,
  SEARCH_COMMANDS,
  SEARCH_PARAMETER,
  TEAMS_COMMANDS,
  TEAMS_SCOPES,
  type TeamsScope,
} from '../src/platforms/teams/ids.ts';
import { specPath } from './support/adaptive-card.ts';

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

const SLACK_EVENTS_PATH = '/slack/events';
const TEAMS_SCHEMA_URL = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json';

// ---------------------------------------------------------------------------------------------------------------
// Types: just the parts of each manifest the checks read.

interface SlackSlashCommand {
  command: string;
  url?: string;
  description: string;
  usage_hint?: string;
  should_escape?: boolean;
}
interface SlackManifest {
  _metadata?: { major_version?: number };
  display_information: { name: string; description?: string; background_color?: string };
  features: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
    bot_user?: { display_name: string };
    slash_commands?: SlackSlashCommand[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    org_deploy_enabled?: boolean;
    socket_mode_enabled?: boolean;
    token_rotation_enabled?: boolean;
  };
}
interface TeamsCommand {
  title: string;
  description: string;
}
interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  name: { short: string; full?: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles?: boolean;
    commandLists?: { scopes: string[]; commands: TeamsCommand[] }[];
  }[];
  composeExtensions?: {
    botId: string;
    commands: {
      id: string;
      type?: string;
      context?: string[];
      initialRun?: boolean;
      parameters?: { name: string }[];
    }[];
  }[];
  validDomains?: string[];
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

const slackManifest = readJson<SlackManifest>(repo('manifests/slack/manifest.json'));
const teamsManifest = readJson<TeamsManifest>(repo('manifests/teams/manifest.json'));

/** A deliberately broken copy of a manifest: the value at `path` replaced (or removed), to prove the schema bites. */
const REMOVE = Symbol('remove');
type Breakage = [label: string, path: (string | number)[], value: unknown, expectedError: string];

function breakCopy(manifest: object, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(manifest);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) throw new Error(`the manifest has no ${path.join('/')}`);
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] ?? '';
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Validators. Ajv defaults to draft-07 (what the Slack schemas declare). Non-strict, because the Slack schemas use
// non-standard keywords (`regex`, `_note`); `regex` is given pattern semantics so the schema's intent is enforced.
// The only format either schema uses is `uri`; ajv-formats is not installed, so it is checked with URL.canParse.

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { uri: (value: string) => URL.canParse(value) } });
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern, 'u').test(data),
  });
  return ajv;
}

function check(validate: ValidateFunction, manifest: unknown): string | undefined {
  if (validate(manifest)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}

/**
 * Slack: the versioned 1.0.0 schema directly, plus the top-level router (`oneOf` on `_metadata.major_version`) with
 * its remote `$ref`s (raw.githubusercontent.com/…/schemas/manifest.schema.X.json) mapped to the local copies.
 */
function slackValidators(): { v1: ValidateFunction; router: ValidateFunction } {
  const ajv = newAjv();
  const router = readJson<AnySchemaObject>(specPath('slack-manifest.schema.json'));
  const remoteRefs = JSON.stringify(router).match(/https:\/\/raw\.githubusercontent\.com\/[^"]+\.json/g) ?? [];
  for (const url of new Set(remoteRefs)) {
    ajv.addSchema(readJson<AnySchemaObject>(specPath(`slack-${basename(url)}`)), url);
  }
  const v1Url = remoteRefs.find((url) => url.endsWith('/manifest.schema.1.0.0.json'));
  const v1 = v1Url === undefined ? undefined : ajv.getSchema(v1Url);
  if (v1 === undefined) throw new Error('the Slack router schema no longer references manifest.schema.1.0.0.json');
  return { v1, router: ajv.compile(router) };
}

/** Teams 1.17 declares draft-04 (which Ajv 8 does not bundle) but uses draft-06 `const`: validate it as draft-07. */
function teamsValidator(): ValidateFunction {
  const { $schema: _draft04, ...schema } = readJson<AnySchemaObject>(specPath('teams-manifest.v1.17.schema.json'));
  return newAjv().compile(schema);
}

const slack = slackValidators();
const teams = teamsValidator();

// ---------------------------------------------------------------------------------------------------------------
// PNG reading: chunks (CRC-checked), IHDR, and 8-bit pixels unfiltered to RGBA.

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  rgba: Buffer;
}

function readPng(path: string): Png {
  const file = readFileSync(path);
  expect(file.subarray(0, 8).toString('hex'), `${path} has no PNG signature`).toBe('89504e470d0a1a0a');
  let offset = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    expect(file.readUInt32BE(offset + 8 + length), `${path}: bad CRC on ${type}`).toBe(
      crc32(file.subarray(offset + 4, offset + 8 + length)),
    );
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  if (ihdr === undefined) throw new Error(`${path}: no IHDR chunk`);
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr[8] ?? 0;
  const colorType = ihdr[9] ?? 0;
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (bitDepth !== 8 || channels === undefined || ihdr[12] !== 0) {
    throw new Error(`${path}: this reader handles 8-bit, non-interlaced grey/RGB(A) PNGs only`);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      const p = left + up - upLeft;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
      const paeth = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter ?? -1];
      if (predictor === undefined) throw new Error(`${path}: unknown filter type ${filter} on row ${y}`);
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const px = [...pixels.subarray(i * channels, (i + 1) * channels)];
    const [r, g, b, a] = channels >= 3 ? px : [px[0], px[0], px[0], px[1]];
    rgba.set([r ?? 0, g ?? 0, b ?? 0, channels === 4 || channels === 2 ? (a ?? 0) : 255], i * 4);
  }
  return { width, height, bitDepth, colorType, rgba };
}

// ---------------------------------------------------------------------------------------------------------------
// ZIP reading through the central directory (as Teams does), with each entry's CRC and size checked.

function readZip(zip: Buffer): { name: string; data: Buffer }[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  expect(end, 'no end-of-central-directory record').toBeGreaterThanOrEqual(0);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: { name: string; data: Buffer }[] = [];
  for (let n = 0; n < count; n++) {
    expect(zip.readUInt32LE(offset), `central directory entry ${n}`).toBe(0x02014b50);
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const skip = nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    expect(zip.readUInt32LE(local), `local header of ${name}`).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + compressedSize);
    expect([0, 8], `${name}: compression method`).toContain(method);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(data.length, `${name}: size`).toBe(size);
    expect(crc32(data), `${name}: CRC`).toBe(crc);
    entries.push({ name, data });
    offset += 46 + skip;
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------------------------

describe('Slack app manifest', () => {
  it('is valid against the official manifest schema 1.0.0 and the version router', () => {
    expect(slackManifest._metadata?.major_version).toBe(1);
    expect(check(slack.v1, slackManifest)).toBeUndefined();
    expect(check(slack.router, slackManifest)).toBeUndefined();
  });

  it.each<Breakage>([
    ['a name over 35 characters', ['display_information', 'name'], 'C'.repeat(36), '/display_information/name'],
    ['no display_information', ['display_information'], REMOVE, "required property 'display_information'"],
    [
      'a slash command without its slash',
      ['features', 'slash_commands', 0, 'command'],
      'coe',
      '/slash_commands/0/command',
    ],
    [
      'a slash command without a description',
      ['features', 'slash_commands', 0, 'description'],
      REMOVE,
      "'description'",
    ],
    ['an unknown settings key', ['settings', 'socketMode'], true, '/settings must NOT have additional properties'],
    // The schema spells this check `regex` (not `pattern`); newAjv() gives that keyword pattern semantics.
    ['a background colour that is not hex', ['display_information', 'background_color'], 'teal', '/background_color'],
    [
      'an interactivity URL that is not http(s)',
      ['settings', 'interactivity', 'request_url'],
      'ftp://x',
      '/request_url',
    ],
  ])('fails validation with %s', (_label, path, value, expectedError) => {
    const broken = breakCopy(slackManifest, path, value);
    expect(check(slack.v1, broken)).toContain(expectedError);
    expect(check(slack.router, broken)).toContain(expectedError);
  });

  it('is rejected by the router for an unknown major version', () => {
    expect(check(slack.router, { ...slackManifest, _metadata: { major_version: 3 } })).toBeDefined();
  });

  it('declares exactly the slash commands in SLASH_COMMANDS', () => {
    const declared = (slackManifest.features.slash_commands ?? []).map((c) => c.command);
    expect(new Set(declared).size, 'a slash command is declared twice').toBe(declared.length);
    expect([...declared].sort()).toEqual([...Object.values(SLASH_COMMANDS)].sort());
    for (const command of slackManifest.features.slash_commands ?? []) {
      // Escaped text turns @mentions into <@U123|name>, which is how `/coe role @person …` finds the person.
      expect(command.should_escape, command.command).toBe(true);
      expect(command.usage_hint, command.command).toBeTruthy();
    }
  });

  it('sends every request (commands, interactivity, events) to https://…/slack/events on one host', () => {
    const urls = [
      ...(slackManifest.features.slash_commands ?? []).map((c) => c.url),
      slackManifest.settings.interactivity.request_url,
      ...(slackManifest.settings.event_subscriptions ? [slackManifest.settings.event_subscriptions.request_url] : []),
    ];
    for (const url of urls) {
      expect(url, 'a request URL is missing').toBeDefined();
      const parsed = new URL(url ?? '');
      expect(parsed.protocol, url).toBe('https:');
      expect(parsed.pathname, url).toBe(SLACK_EVENTS_PATH);
    }
    expect(new Set(urls.map((url) => new URL(url ?? '').host)).size).toBe(1);
    expect(slackManifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('has the bot user, App Home, events, scopes and settings the bot relies on', () => {
    expect(slackManifest.display_information.name).toBe('CoE');
    expect(slackManifest.features.bot_user?.display_name).toBe('CoE');
    expect(slackManifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect([...(slackManifest.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual(
      [...SLACK_EVENTS].sort(),
    );
    const scopes = slackManifest.oauth_config.scopes.bot;
    expect(new Set(scopes).size, 'a scope is listed twice').toBe(scopes.length);
    // *:history: the outbox reconciles an in-doubt send by reading conversation history for message metadata.
    expect(scopes).toEqual(
      expect.arrayContaining([
        'commands',
        'chat:write',
        'chat:write.public',
        'im:write',
        'im:history',
        'channels:history',
        'groups:history',
        'channels:read',
        'groups:read',
        'users:read',
        // Charts: the scorecard's picture is uploaded (files:write) and shown once Slack has processed it (files:read).
        'files:write',
        'files:read',
      ]),
    );
    expect(slackManifest.settings).toMatchObject({
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    });
  });
});

describe('Teams app manifest', () => {
  it('is valid against the official 1.17 schema and points at it', () => {
    expect(teamsManifest.$schema).toBe(TEAMS_SCHEMA_URL);
    expect(teamsManifest.manifestVersion).toBe('1.17');
    expect(check(teams, teamsManifest)).toBeUndefined();
  });

  it.each<Breakage>([
    ['a short name over 30 characters', ['name', 'short'], 'C'.repeat(31), '/name/short'],
    ['no full name (required in 1.17)', ['name', 'full'], REMOVE, "required property 'full'"],
    ['a botId that is not a GUID', ['bots', 0, 'botId'], 'coe-bot', '/bots/0/botId'],
    [
      'a command title over 32 characters',
      ['bots', 0, 'commandLists', 0, 'commands', 0, 'title'],
      'x'.repeat(33),
      '/title',
    ],
    ['an accent colour that is not #rrggbb', ['accentColor'], 'teal', '/accentColor'],
    ['another manifestVersion', ['manifestVersion'], '1.16', '/manifestVersion'],
    ['an unknown top-level property', ['supportsFiles'], false, '/ must NOT have additional properties'],
    [
      'a search command title over 32 characters',
      ['composeExtensions', 0, 'commands', 1, 'title'],
      'x'.repeat(33),
      '/composeExtensions/0/commands/1/title',
    ],
    [
      'a search command offered where Teams has no such place',
      ['composeExtensions', 0, 'commands', 1, 'context'],
      ['searchBox'],
      '/composeExtensions/0/commands/1/context/0',
    ],
    [
      'a search command with six parameters',
      ['composeExtensions', 0, 'commands', 1, 'parameters'],
      Array.from({ length: 6 }, (_, i) => ({ name: `p${i}`, title: `P${i}` })),
      '/composeExtensions/0/commands/1/parameters must NOT have more than 5 items',
    ],
    [
      'a command list of 11 commands',
      ['bots', 0, 'commandLists', 0, 'commands'],
      Array.from({ length: 11 }, (_, i) => ({ title: `command ${i}`, description: 'A command' })),
      '/bots/0/commandLists/0/commands must NOT have more than 10 items',
    ],
  ])('fails validation with %s', (_label, path, value, expectedError) => {
    expect(check(teams, breakCopy(teamsManifest, path, value))).toContain(expectedError);
  });

  it('declares one command list per scope, each exactly as TEAMS_COMMANDS offers there, 10 at most', () => {
    const [bot] = teamsManifest.bots;
    expect(bot?.botId).toBe(PLACEHOLDER_APP_ID);
    expect(teamsManifest.id).toBe(PLACEHOLDER_APP_ID);
    expect([...(bot?.scopes ?? [])].sort()).toEqual([...TEAMS_SCOPES].sort());
    expect(bot?.supportsFiles).toBe(false);
    const lists = bot?.commandLists ?? [];
    expect(lists.map((list) => list.scopes)).toEqual(TEAMS_SCOPES.map((scope) => [scope]));
    for (const list of lists) {
      const scope = list.scopes[0] as TeamsScope;
      const offered = TEAMS_COMMANDS.filter((c) => c.scopes.includes(scope));
      expect(list.commands, `the ${scope} list`).toEqual(
        offered.map(({ title, description }) => ({ title, description })),
      );
      expect(list.commands.length, `the ${scope} list`).toBeLessThanOrEqual(10);
      expect(new Set(list.commands.map((c) => c.title)).size, `a command is declared twice for ${scope}`).toBe(
        list.commands.length,
      );
      // Each list on its own is what the schema allows.
      const alone = { ...teamsManifest, bots: [{ ...bot, commandLists: [list] }] };
      expect(check(teams, alone), `the ${scope} list`).toBeUndefined();
    }
  });

  it('declares every command the bot answers, and the bot answers every command declared', () => {
    const declared = new Set(
      (teamsManifest.bots[0]?.commandLists ?? []).flatMap((list) => list.commands.map((c) => c.title)),
    );
    expect([...declared].sort()).toEqual(TEAMS_COMMANDS.map((c) => c.title).sort());
    const descriptions = (teamsManifest.bots[0]?.commandLists ?? []).flatMap((l) =>
      l.commands.map((c) => c.description),
    );
    // The two forms are opened before a command is parsed; everything else is a /coe command.
    const forms = [FRICTION_COMMAND, CHANGE_REQUEST_COMMAND];
    for (const title of declared) {
      if (forms.includes(title)) continue;
      expect(parseCoeCommand(title, []).kind, `"${title}" is declared but not answered`).not.toBe('unknown');
    }
    // Exhaustive over the parser's commands (a new kind does not compile until it is here): one saying of each,
    // which must start with a declared command.
    const person = { platform: 'teams' as const, externalId: 'x' };
    const sayings: Record<Exclude<CoeCommand['kind'], 'invalid' | 'unknown'>, string> = {
      help: 'help',
      setupReviewChannel: 'setup review-channel',
      grantRole: `role ${MENTION} manager`,
      status: 'status CR-1',
      myReports: 'my reports',
      triageQueue: 'queue',
      teamAdd: 'team add Warehouse',
      teamList: 'team list',
      teamChannel: 'team channel Warehouse',
      teamMember: `team member ${MENTION} Warehouse manager`,
      teamRename: 'team rename Warehouse to Stores',
      teamMemberRemove: `team member remove ${MENTION} Warehouse`,
      teamArchive: 'team archive Warehouse',
      constraintAdd: 'constraint add priority Improve quality',
      constraintList: 'constraint list',
      constraintEnd: 'constraint end EX-1',
      sopNew: 'sop new inventory-scanning Inventory scanning',
      sopShow: 'sop show inventory-scanning v1.0',
      sopForm: 'sop new',
      sopDiff: 'sop diff inventory-scanning v1.0 v1.1',
      sopList: 'sop list',
      sopFind: 'sop find scanner',
      release: 'release',
      withdraw: 'withdraw CR-1',
      ai: 'ai chatgpt',
      trainingMine: 'training',
      trainingAssign: 'training assign',
      trainingStatus: 'training status TR-1',
      auditPlan: 'audit plan',
      auditList: 'audit list',
      auditRun: 'audit run AUD-1',
      auditPause: 'audit pause AUD-1',
      auditResume: 'audit resume AUD-1',
      auditChange: 'audit change AUD-1',
      auditStop: 'audit stop AUD-1',
      trainingCancel: 'training cancel TR-1',
      trainingDue: 'training due TR-1 2030-01-31',
      sopRetire: 'sop retire inventory-scanning',
      jobs: 'jobs',
      metrics: 'metrics 30d Warehouse',
    };
    for (const [kind, saying] of Object.entries(sayings)) {
      expect(parseCoeCommand(saying, [person]).kind, saying).toBe(kind);
      // Declared as a command, or (Teams allows 10 per list) shown in the description of one: `withdraw CR-7`.
      const command = [...declared].find((title) => saying === title || saying.startsWith(`${title} `));
      const verb = saying.split(' ')[0] as string;
      const described = descriptions.some((d) => new RegExp(`(^|[;:] )${verb} `).test(d));
      expect(
        command ?? (described || undefined),
        `"${saying}" is answered but no command list declares it`,
      ).toBeDefined();
    }
    for (const form of forms) expect(declared, form).toContain(form);
  });

  it('declares the message extension’s commands the bot answers: the message action and the search', () => {
    const [extension, ...more] = teamsManifest.composeExtensions ?? [];
    expect(more).toEqual([]);
    expect(extension?.botId).toBe(teamsManifest.bots[0]?.botId);
    const commands = extension?.commands ?? [];
    const ids = (type: string) =>
      commands
        .filter((c) => (c.type ?? 'query') === type)
        .map((c) => c.id)
        .sort();
    expect(ids('action')).toEqual(Object.values(MESSAGE_ACTIONS).sort());
    expect(ids('query')).toEqual(Object.values(SEARCH_COMMANDS).sort());
    // The search runs from the message box and the command box, lists recent standards before anything is typed, and
    // takes the words typed as the parameter the bot reads.
    expect(commands.find((c) => c.id === SEARCH_COMMANDS.findStandard)).toMatchObject({
      type: 'query',
      initialRun: true,
      context: ['compose', 'commandBox'],
      parameters: [{ name: SEARCH_PARAMETER }],
    });
  });

  it('lists the bot domain and no URL outside it', () => {
    expect(teamsManifest.validDomains).toContain('coe-bot.example.com');
    const urls = JSON.stringify(teamsManifest).match(/https:\/\/[^"\s]+/g) ?? [];
    const hosts = new Set(urls.filter((u) => u !== TEAMS_SCHEMA_URL).map((u) => new URL(u).host));
    expect([...hosts]).toEqual(['coe-bot.example.com']);
  });

  it('has a 192×192 full-colour icon and a 32×32 white-on-transparent outline icon', () => {
    expect(teamsManifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });

    const color = readPng(repo('manifests/teams/color.png'));
    expect([color.width, color.height]).toEqual([192, 192]);
    let opaque = 0;
    let coloured = 0;
    for (let i = 0; i < color.rgba.length; i += 4) {
      const [r, g, b, a] = color.rgba.subarray(i, i + 4);
      if (a === 255) opaque++;
      if (a === 255 && (r !== g || g !== b)) coloured++;
    }
    expect(opaque / (192 * 192), 'the colour icon is mostly transparent').toBeGreaterThan(0.8);
    expect(coloured / (192 * 192), 'the colour icon has no colour').toBeGreaterThan(0.3);

    const outline = readPng(repo('manifests/teams/outline.png'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let visible = 0;
    let transparent = 0;
    for (let i = 0; i < outline.rgba.length; i += 4) {
      const [r, g, b, a] = outline.rgba.subarray(i, i + 4);
      if (a === 0) {
        transparent++;
        continue;
      }
      visible++;
      expect([r, g, b], `outline pixel ${i / 4} is visible but not white`).toEqual([255, 255, 255]);
    }
    expect(visible, 'the outline icon is empty').toBeGreaterThan(0);
    expect(transparent, 'the outline icon has no transparent background').toBeGreaterThan(32 * 32 * 0.3);
  });
});

describe('Teams app package (npm run teams:package)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'coe-teams-package-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('zips manifest.json and both icons at the root, with the app id and domain substituted', () => {
    const appId = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
    const result = buildTeamsPackage({
      outPath: join(tmp, 'nested', 'coe-teams.zip'),
      appId,
      botDomain: 'coe.contoso.com',
    });
    expect(result.outPath).toBe(join(tmp, 'nested', 'coe-teams.zip'));

    const entries = readZip(readFileSync(result.outPath));
    expect(entries.map((e) => e.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const file = (name: string) => entries.find((e) => e.name === name)?.data ?? Buffer.alloc(0);
    expect(file('color.png').equals(readFileSync(repo('manifests/teams/color.png')))).toBe(true);
    expect(file('outline.png').equals(readFileSync(repo('manifests/teams/outline.png')))).toBe(true);

    const text = file('manifest.json').toString('utf8');
    const packaged = JSON.parse(text) as TeamsManifest;
    expect(packaged.id).toBe(appId);
    expect(packaged.bots[0]?.botId).toBe(appId);
    expect(packaged.validDomains).toEqual(['coe.contoso.com']);
    expect(text).not.toContain('coe-bot.example.com');
    expect(text).not.toContain(PLACEHOLDER_APP_ID);
    expect(check(teams, packaged)).toBeUndefined();
  });

  it('keeps the placeholders when no app id or domain is given, and refuses a malformed one', () => {
    const result = buildTeamsPackage({ outPath: join(tmp, 'plain.zip') });
    const manifest = readZip(readFileSync(result.outPath)).find((e) => e.name === 'manifest.json');
    expect(JSON.parse(manifest?.data.toString('utf8') ?? '{}')).toEqual(teamsManifest);

    expect(() => buildTeamsPackage({ outPath: join(tmp, 'bad.zip'), appId: 'not-a-guid' })).toThrow(TeamsPackageError);
    expect(() => buildTeamsPackage({ outPath: join(tmp, 'bad.zip'), botDomain: 'https://coe.contoso.com/' })).toThrow(
      /BOT_DOMAIN/,
    );
    expect(existsSync(join(tmp, 'bad.zip'))).toBe(false);
  });
});

/**
 * `metrics export` as a single-use download link (issue 10, Teams): the same export as Slack's file (same permission,
 * same minimum group), kept behind the SHA-256 of a random token, served once, for 15 minutes; anyone but the CoE
 * and executives is refused before anything is kept. Also the address a link starts with, and PUBLIC_URL.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import { exportLinkMessage } from '../../src/domain/metrics-export.ts';
import type { TeamRowFacts } from '../../src/domain/metrics-facts.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import { EXPORT_PATH, requestOrigin } from '../../src/export-endpoint.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import { TeamsCommands } from '../../src/platforms/teams/export.ts';
import { EXPORT_LINK_MINUTES, ExportLinkService, tokenHash } from '../../src/services/export-links.ts';
import { expectCoeError, mona, olga, wanda } from '../support/cast.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { memoryExportLinks } from '../support/memory-export-links.ts';
import { memoryMetrics } from '../support/memory-metrics.ts';
import { buildServices } from '../support/services.ts';

const ezra: PersonRef = { platform: 'teams', externalId: 'aad-ezra', displayName: 'Ezra Executive' };

const row = (team: string, members: number): TeamRowFacts => ({
  team,
  members,
  reports: 4,
  blockingReports: 1,
  trainingAssigned: members,
  trainingDoneByDue: members,
  releases: 2,
  deployedIn14: 1,
  adopted: 1,
});

async function setUp() {
  const store = new MemoryStore();
  const clock = new ManualClock('2026-11-30T10:00:00.000Z');
  const rows = [row('Dock', 6), row('Office', 3), row('Warehouse', 8)];
  const services = buildServices(store, clock, {
    metricsSource: memoryMetrics(store, undefined, undefined, () => rows),
  });
  await services.admin.bootstrapCoeMembers([olga]);
  await store.transaction(async (r) => {
    await r.people.setLayer((await r.people.identify(ezra)).id, 'executive');
    await r.people.setLayer((await r.people.identify(mona)).id, 'manager');
    await r.people.identify(wanda);
  });
  const links = memoryExportLinks();
  let tokens = 0;
  const token = () => `${String(++tokens).padStart(3, '0')}${'A'.repeat(40)}`;
  const service = new ExportLinkService(store, services.metrics, links, clock, token);
  return { store, clock, services, links, service };
}

const LINK = (token: string) => `https://coe.example.com${EXPORT_PATH}${token}`;

/** The link on the message's download button. */
function linkOf(message: { blocks: unknown[] }): string {
  const actions = message.blocks.flatMap((b) => (b as { actions?: { url?: string }[] }).actions ?? []);
  const url = actions.find((a) => a.url)?.url;
  if (!url) throw new Error('no download button');
  return url;
}

describe('metrics export as a single-use link', () => {
  it('offers the CoE a link that serves exactly the export, once, and keeps only the token’s hash', async () => {
    const { services, links, service } = await setUp();
    const message = await service.offer({ actor: olga, key: 'k1' }, undefined, LINK);
    expect(message.text).toBe(
      'CoE metrics per team, the last 90 days: 3 teams as CSV, to download. This link works once, for 15 minutes.',
    );
    expect(JSON.stringify(message.blocks)).toContain('This link works once, for 15 minutes.');
    const url = linkOf(message);
    expect(url).toBe(`https://coe.example.com/exports/001${'A'.repeat(40)}`);
    const token = url.slice(url.lastIndexOf('/') + 1);
    // The database never holds the token, only its SHA-256.
    const [stored] = [...links.rows.values()];
    expect([...links.rows.keys()]).toEqual([createHash('sha256').update(token).digest('hex')]);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored).toMatchObject({
      createdAt: new Date('2026-11-30T10:00:00.000Z'),
      expiresAt: new Date('2026-11-30T10:15:00.000Z'),
      usedAt: null,
    });
    // The same CSV as Slack's file: Office (3) and the smallest other team hidden.
    const file = await services.metrics.export({ actor: olga, key: 'k2' });
    expect(await service.download(token)).toEqual({ filename: file.filename, csv: file.csv });
    expect(file.csv).toContain('Office,too few to show');
    expect(await service.download(token)).toBeUndefined();
    expect(links.rows.get(tokenHash(token))?.usedAt).toEqual(new Date('2026-11-30T10:00:00.000Z'));
  });

  it('offers executives a link too', async () => {
    const { service } = await setUp();
    const message = await service.offer({ actor: ezra, key: 'k1' }, '30d', LINK);
    expect(message.text).toMatch(/^CoE metrics per team, the last 30 days: 3 teams/);
  });

  it('stops serving a link after 15 minutes, and forgets expired links', async () => {
    const { clock, links, service } = await setUp();
    const first = linkOf(await service.offer({ actor: olga, key: 'k1' }, undefined, LINK))
      .split('/')
      .pop() as string;
    clock.advance(EXPORT_LINK_MINUTES * 60_000 - 1);
    const second = linkOf(await service.offer({ actor: olga, key: 'k2' }, undefined, LINK))
      .split('/')
      .pop() as string;
    expect(links.rows.size).toBe(2);
    clock.advance(1);
    expect(await service.download(first)).toBeUndefined();
    expect(links.rows.size).toBe(1);
    expect(await service.download(second)).toBeDefined();
  });

  it('refuses managers and workers in words, and keeps no link', async () => {
    const { links, service } = await setUp();
    for (const who of [mona, wanda]) {
      await expectCoeError(
        service.offer({ actor: who, key: `k-${who.externalId}` }, undefined, LINK),
        'PERMISSION.DENIED',
        /^The export of every team is for the CoE and executives/,
      );
    }
    expect(links.rows.size).toBe(0);
  });

  it('does not look up a token of the wrong shape', async () => {
    const { links, service } = await setUp();
    let asked = 0;
    const consume = links.consume;
    links.consume = (...args) => {
      asked++;
      return consume(...args);
    };
    for (const token of ['', 'short', `${'A'.repeat(43)}/x`, '%2e%2e', 'A'.repeat(44)]) {
      expect(await service.download(token)).toBeUndefined();
    }
    expect(asked).toBe(0);
    expect(await service.download('B'.repeat(43))).toBeUndefined();
    expect(asked).toBe(1);
  });
});

describe('the Teams answer to metrics export', () => {
  const command = parseCoeCommand('metrics export');

  it('starts the link with PUBLIC_URL, and passes every other command on', async () => {
    const { services, service } = await setUp();
    const teams = new TeamsCommands(services.commands, service, 'https://coe.example.com/bot');
    expect(linkOf(await teams.handle({ actor: olga, key: 'k1' }, command))).toMatch(
      /^https:\/\/coe\.example\.com\/bot\/exports\/[A-Za-z0-9_-]{43}$/,
    );
    const scorecard = await teams.handle({ actor: olga, key: 'k2' }, parseCoeCommand('metrics'));
    expect(scorecard.text).toContain('CoE scorecard');
  });

  it('without an address, shows the lines to copy and tells the operator to set PUBLIC_URL', async () => {
    const { services, links, service } = await setUp();
    const teams = new TeamsCommands(services.commands, service, undefined);
    const answer = JSON.stringify(await teams.handle({ actor: olga, key: 'k1' }, command));
    expect(answer).toContain('team,reports,high_or_blocking_reports');
    expect(answer).toContain('The operator sets PUBLIC_URL');
    expect(links.rows.size).toBe(0);
  });
});

describe('the address a link starts with', () => {
  const request = (headers: Record<string, string>, encrypted = false) =>
    ({ headers, socket: { encrypted } }) as unknown as Parameters<typeof requestOrigin>[0];

  it('is the request’s own, or what a reverse proxy says it was', () => {
    expect(requestOrigin(request({ host: '127.0.0.1:3000' }))).toBe('http://127.0.0.1:3000');
    expect(requestOrigin(request({ host: 'bot.example.com' }, true))).toBe('https://bot.example.com');
    expect(
      requestOrigin(
        request({
          host: '10.0.0.5:3000',
          'x-forwarded-host': 'coe.example.com, proxy.internal',
          'x-forwarded-proto': 'https,http',
        }),
      ),
    ).toBe('https://coe.example.com');
    expect(requestOrigin(request({ host: '[::1]:3000', 'x-forwarded-proto': 'gopher' }))).toBe('http://[::1]:3000');
  });

  it('is nothing when the host is not a plain host name', () => {
    for (const host of ['', 'evil.com/path', 'a b', 'user@evil.com', 'evil.com?x=1', '-bad.com']) {
      expect(requestOrigin(request({ host }))).toBeUndefined();
    }
  });

  it('is PUBLIC_URL when set: an http(s) address, kept without its trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://coe.example.com/' }).publicUrl).toBe('https://coe.example.com');
    expect(loadConfig({ PUBLIC_URL: 'https://coe.example.com/bot/' }).publicUrl).toBe('https://coe.example.com/bot');
    expect(loadConfig({}).publicUrl).toBeUndefined();
    for (const bad of ['coe.example.com', 'ftp://coe.example.com', 'https://coe.example.com/?x=1']) {
      expect(() => loadConfig({ PUBLIC_URL: bad })).toThrow(/PUBLIC_URL .* is not the bot's public address/);
    }
  });
});

describe('a link button', () => {
  it('opens its address in Teams (Action.OpenUrl) and in Slack (a url button), carrying nothing back', () => {
    const message = exportLinkMessage({ title: 'T', filename: 'f.csv', teams: 1 }, 'https://x.example/exports/t', 15);
    const teams = JSON.stringify(renderCard(message));
    expect(teams).toContain('{"type":"Action.OpenUrl","title":"Download CSV","url":"https://x.example/exports/t"');
    expect(teams).not.toContain('Action.Submit');
    const [actions] = renderMessage(message).blocks.filter((b) => b.type === 'actions') as { elements: object[] }[];
    expect(actions?.elements).toEqual([
      expect.objectContaining({ type: 'button', url: 'https://x.example/exports/t', style: 'primary' }),
    ]);
    expect(actions?.elements[0]).not.toHaveProperty('value');
  });
});

/**
 * The core names commands, each platform writes them (issue 12): the home's first line, a form's error that points to
 * a command, and the usage note of a malformed command come out as `/coe …` in Slack (code in rich text, plain in an
 * input's error) and as the bare words said to the bot in Teams — never backticks or `/coe` there.
 */
import { describe, expect, it } from 'vitest';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import { HOME_INTRO } from '../../src/domain/help.ts';
import { coeCommand } from '../../src/domain/message.ts';
import { mrkdwn, plainWithCommands, renderMessage } from '../../src/platforms/slack/render.ts';
import { FormLayout } from '../../src/platforms/teams/cards/elements.ts';
import { renderCard, teamsText } from '../../src/platforms/teams/cards.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

describe('commands in the core’s words, written by each platform', () => {
  it('the home’s first line', () => {
    expect(mrkdwn(HOME_INTRO)).toBe(
      'Something slowing you down? Type `/friction` anywhere, or use *Report friction* on a message. Follow any report with `/coe status FR-12`.',
    );
    expect(teamsText(HOME_INTRO)).toBe(
      'Something slowing you down? Type friction anywhere, or use **Report friction** on a message. Follow any report with status FR-12.',
    );
  });

  it('an input’s error that points to a command', () => {
    const problem = `There are no teams to announce it to yet: add them with ${coeCommand('team add <name> #channel')}.`;
    expect(plainWithCommands(problem, 1000)).toBe(
      'There are no teams to announce it to yet: add them with /coe team add <name> #channel.',
    );
    const layout = new FormLayout({ teams: problem });
    expect(JSON.stringify(layout.problems())).toContain('add them with team add <name> #channel.');
  });

  it('the usage of a malformed command', async () => {
    const clock = new ManualClock('2026-12-07T10:00:00.000Z');
    const services = buildServices(new MemoryStore(clock), clock);
    const usage = await services.commands.handle(
      { actor: { platform: 'teams', externalId: 'aad-someone' }, key: 'k1' },
      parseCoeCommand('role'),
    );
    const card = JSON.stringify(renderCard(usage));
    expect(card).toContain('Usage: **role @person coe|manager|executive|worker**');
    expect(card).not.toMatch(/`|\/coe/);
    expect(JSON.stringify(renderMessage(usage).blocks)).toContain(
      'Usage: `/coe role @person coe|manager|executive|worker`',
    );
  });
});

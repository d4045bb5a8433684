import { describe, expect, it } from 'vitest';
import { SlackIdentity } from '../../src/platforms/slack/authorize.ts';

/** An `auth.test` that answers as told, counting its calls. */
function authTest(answers: (() => Promise<Record<string, string>>)[]) {
  let calls = 0;
  return {
    calls: () => calls,
    client: {
      auth: {
        test: () => {
          const answer = answers[Math.min(calls, answers.length - 1)] as () => Promise<Record<string, string>>;
          calls += 1;
          return answer();
        },
      },
    } as never,
  };
}

const ok = async () => ({ bot_id: 'B1', user_id: 'UBOT', team_id: 'T1' });
const down = async () => {
  throw new Error('fetch failed');
};
const refused = async () => {
  throw Object.assign(new Error('An API error occurred: invalid_auth'), { data: { error: 'invalid_auth' } });
};
const source = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false } as never;

describe('SlackIdentity', () => {
  it('asks Slack once and answers every request with the token and the bot ids', async () => {
    const slack = authTest([ok]);
    const identity = new SlackIdentity(slack.client, 'xoxb-1');
    const results = await Promise.all([identity.authorize(source), identity.authorize(source)]);
    expect(results[0]).toEqual({ botToken: 'xoxb-1', botId: 'B1', botUserId: 'UBOT', teamId: 'T1' });
    expect(results[1]).toEqual(results[0]);
    await identity.authorize(source);
    expect(slack.calls()).toBe(1);
  });

  it('a Slack that could not be reached at start is asked again with the next request, not failed for good', async () => {
    const slack = authTest([down, ok]);
    const identity = new SlackIdentity(slack.client, 'xoxb-1');
    const lines: string[] = [];
    const log = {
      warn: (_: object, msg: string) => lines.push(`warn ${msg}`),
      error: (_: object, msg: string) => lines.push(`error ${msg}`),
    };
    await identity.check(log);
    expect(lines).toEqual([
      'warn slack: could not reach Slack to check the bot token; asking again with the first request',
    ]);
    expect(await identity.authorize(source)).toMatchObject({ botUserId: 'UBOT' });
    expect(slack.calls()).toBe(2);
  });

  it('a refused token is said in one line at start, naming the variable and where to copy it from', async () => {
    const identity = new SlackIdentity(authTest([refused]).client, 'xoxb-wrong');
    const lines: string[] = [];
    await identity.check({ warn: (_, msg) => lines.push(msg), error: (_, msg) => lines.push(msg) });
    expect(lines).toEqual([
      `slack: Slack refused SLACK_BOT_TOKEN (invalid_auth); copy it again from your app's "OAuth & Permissions" page`,
    ]);
  });
});

/**
 * Who the bot is in Slack, asked once with `auth.test`. Bolt's own single-token set-up asks at construction and keeps
 * the answer for good — a failure included, so a Slack that could not be reached for a moment at start left every
 * later request failing until a restart. Here a success is kept, a failure is asked again with the next request, and
 * the start says in one line what is wrong with the token, if anything.
 */
import type { Authorize, AuthorizeResult } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

/** Slack's answers that mean the token itself is wrong, not the network. */
const REFUSED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

export interface TokenCheckLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class SlackIdentity {
  private known: Promise<AuthorizeResult> | undefined;

  constructor(
    private readonly client: Pick<WebClient, 'auth'>,
    private readonly token: string,
  ) {}

  /** Bolt's `authorize`: the bot's token and ids for every request. */
  readonly authorize: Authorize<boolean> = () => this.identity();

  /** At start: asks Slack once and says what is wrong, without stopping the bot (a network may come back). */
  async check(log: TokenCheckLog): Promise<void> {
    try {
      await this.identity();
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code && REFUSED.has(code)) {
        log.error(
          { code },
          `slack: Slack refused SLACK_BOT_TOKEN (${code}); copy it again from your app's "OAuth & Permissions" page`,
        );
      } else {
        log.warn(
          { err: error },
          'slack: could not reach Slack to check the bot token; asking again with the first request',
        );
      }
    }
  }

  private identity(): Promise<AuthorizeResult> {
    this.known ??= this.client.auth
      .test({ token: this.token })
      .then((r) => ({
        botToken: this.token,
        ...(r.bot_id ? { botId: r.bot_id } : {}),
        ...(r.user_id ? { botUserId: r.user_id } : {}),
        ...(r.team_id ? { teamId: r.team_id } : {}),
        ...(r.enterprise_id ? { enterpriseId: r.enterprise_id } : {}),
      }))
      .catch((error: unknown) => {
        this.known = undefined;
        throw error;
      });
    return this.known;
  }
}

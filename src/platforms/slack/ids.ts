/**
 * Every Slack identifier the app answers to lives here, so a listener and the view that renders its buttons can never
 * drift apart, and the manifest test can check the manifest against the code.
 */

/** Slash commands this app handles; each one must be declared in manifests/slack/manifest.json. */
export const SLASH_COMMANDS = {
  coe: '/coe',
} as const;

export type SlashCommand = (typeof SLASH_COMMANDS)[keyof typeof SLASH_COMMANDS];

/** Events API subscriptions this app handles; the manifest declares exactly these. */
export const SLACK_EVENTS: readonly string[] = [];

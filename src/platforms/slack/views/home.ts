/**
 * The App Home tab: the person's reports and, for CoE members, the triage queue. Pure functions.
 */
import type { HomeView, KnownBlock } from '@slack/web-api';
import { HOME_INTRO } from '../../../domain/help.ts';
import type { Message } from '../../../domain/message.ts';
import { mrkdwn, renderMessage } from '../render.ts';

const BLOCKS_PER_VIEW = 100;

export function homeView(sections: readonly Message[]): HomeView {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: mrkdwn(HOME_INTRO),
      },
    },
  ];
  for (const message of sections) blocks.push({ type: 'divider' }, ...renderMessage(message).blocks);
  return { type: 'home', blocks: blocks.slice(0, BLOCKS_PER_VIEW) };
}

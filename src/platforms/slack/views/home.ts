/**
 * The App Home tab: the person's reports and, for CoE members, the triage queue. Pure functions.
 */
import type { HomeView, KnownBlock } from '@slack/web-api';
import type { Message } from '../../../domain/message.ts';
import { renderMessage } from '../render.ts';

const BLOCKS_PER_VIEW = 100;

export function homeView(sections: readonly Message[]): HomeView {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Something slowing you down? Type `/friction` anywhere, or use *Report friction* on a message. Follow any report with `/coe status FR-12`.',
      },
    },
  ];
  for (const message of sections) blocks.push({ type: 'divider' }, ...renderMessage(message).blocks);
  return { type: 'home', blocks: blocks.slice(0, BLOCKS_PER_VIEW) };
}

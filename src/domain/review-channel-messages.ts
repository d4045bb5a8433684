/**
 * What people read when the CoE review channel is set or moved (`setup review-channel`, said in the channel): the
 * new channel is told what it is now for, the old one where review went, and whoever moved it that it is done.
 * Pure functions.
 */
import { type Message, message } from './message.ts';

/** A channel's name as a reader knows it (`#coe-review`), when the platform told us; nothing otherwise. */
export function channelLabel(name: string | undefined): string | undefined {
  const clean = name
    ?.trim()
    .replace(/^#/, '')
    .replace(/[\s*_`[\]<>]+/g, ' ')
    .trim();
  return clean ? `#${clean.length > 80 ? `${clean.slice(0, 79)}…` : clean}` : undefined;
}

/** In the new review channel. */
export const reviewChannelAnnouncement = (): Message =>
  message(
    'This channel is now the CoE review channel.',
    { type: 'heading', text: 'CoE review channel' },
    {
      type: 'paragraph',
      text: 'Friction reports and change requests will arrive here for the CoE to triage, analyse and decide.',
    },
  );

/** In the old review channel, once per move: where review went and who moved it. */
export function reviewChannelMovedNotice(to: { name?: string | undefined; by: string | null }): Message {
  const where = channelLabel(to.name);
  const text = `CoE review moved to ${where ?? 'another channel'}.`;
  return message(
    text,
    { type: 'heading', text: 'CoE review moved' },
    {
      type: 'paragraph',
      text: `New friction reports and change requests now arrive in ${where ? `**${where}**` : 'another channel'}, not here. Those already posted here stay, and their buttons still work.`,
    },
    { type: 'note', text: `Moved by ${to.by ?? 'a CoE member'}.` },
  );
}

/** To whoever ran `setup review-channel`. */
export function reviewChannelConfirmation(result: 'set' | 'moved' | 'same'): Message {
  if (result === 'same') return message('This channel is the CoE review channel already: nothing changed.');
  if (result === 'set') return message('Done: this channel is now the CoE review channel.');
  return message(
    'Done: this channel is now the CoE review channel. The old one is told where review moved; what was posted there stays, and its buttons still work.',
  );
}

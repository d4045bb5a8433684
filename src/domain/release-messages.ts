/**
 * What people see about standards and their releases: the announcement in team channels, the CoE's progress and
 * summary of a fan-out, and the registry (`sop show`, `sop list`). Pure functions.
 */
import { CHANGE_STATUS_LABELS, type ChangeStatus, changeId, IMPROVEMENT_LABELS, type Improvement } from './change.ts';
import { coeCommand, type Fact, type Message, type MessageAction, type MessageBlock } from './message.ts';
import { releaseName, type SopVersion, sopId, versionText } from './sop.ts';
import { moreValue } from './sop-text.ts';
import { SOP_TEXT_ACTIONS } from './sop-text-messages.ts';

/** Neutral action ids: each platform routes these back to the release service. */
export const RELEASE_ACTIONS = {
  deployed: 'release.deployed',
} as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export interface ReleaseView {
  id: number;
  sopKey: string;
  sopTitle: string;
  version: SopVersion;
  notes: string;
  tags: Improvement[];
  changes: { number: number; title: string }[];
  /**
   * What changed in the standard's text (announcements only): since the version before, or, for a team that skipped
   * versions, since the version that team works to.
   */
  text?: ReleaseTextChange;
  /** For a team that skipped versions (announcements only): the version it works to, and the ones released since. */
  since?: CatchUp;
}

/** The versions a team did not deploy between the one it works to and a new release, which its announcement covers. */
export interface CatchUp {
  /** The newest version the team said it deployed. */
  worksTo: SopVersion;
  /** The versions released after it and before this one, oldest first. */
  skipped: { version: SopVersion; notes: string; changes: number[] }[];
}

/** How many skipped versions an announcement names, and how much of each one's notes. */
const SKIPPED_SHOWN = 5;
const SKIPPED_NOTES_MAX = 300;

/** What a release changed in the standard's text, as the announcement says it in a few lines. */
export interface ReleaseTextChange {
  /** The version before; undefined when this is the standard's first version. */
  from: SopVersion | undefined;
  added: number;
  removed: number;
  /** The first changed lines, clipped. */
  lines: { op: 'added' | 'removed'; text: string }[];
}

/** Each tag once, however often it was given. */
const tagText = (tags: readonly Improvement[]) => [...new Set(tags)].map((t) => IMPROVEMENT_LABELS[t]).join(', ');

/** "in the channel", "in both channels", "in all 5 channels": where every announcement went. */
const inEvery = (channels: number) =>
  channels === 1 ? 'in the channel' : channels === 2 ? 'in both channels' : `in all ${channels} channels`;

/** The value of a "Deployed in my team" button: which release, for which team. */
export const deployedValue = (releaseId: number, teamId: number) => `${releaseId}:${teamId}`;

export function parseDeployedValue(value: string): { releaseId: number; teamId: number } | undefined {
  const match = /^(\d{1,9}):(\d{1,9})$/.exec(value);
  return match ? { releaseId: Number(match[1]), teamId: Number(match[2]) } : undefined;
}

/** The announcement in a team's channel, with the button its managers press once the team works to it. */
export function announcementMessage(
  release: ReleaseView,
  team: { id: number; name: string },
  deployed?: { by: string | null; at: Date },
): Message {
  const name = releaseName(release.sopKey, release.version);
  const blocks: MessageBlock[] = [
    { type: 'heading', text: clip(`New standard: ${name}`, 150) },
    {
      type: 'paragraph',
      text: `**${clip(release.sopTitle, 200)}** has a new version for ${clip(team.name, 80)}. What changed:`,
    },
    { type: 'paragraph', text: clip(release.notes, 2500) },
    {
      type: 'facts',
      facts: [
        { label: 'Improvement', value: tagText(release.tags) },
        { label: 'Changes', value: release.changes.map((c) => changeId(c.number)).join(', ') },
      ],
    },
    ...(release.since ? catchUpBlocks(release.sopKey, release.since, team.name) : []),
    ...(release.text ? textChangeBlocks(release, release.text) : []),
  ];
  const readIt: MessageAction[] = release.text
    ? [
        {
          id: SOP_TEXT_ACTIONS.more,
          label: 'Read it',
          value: moreValue({ kind: 'show', key: release.sopKey, version: release.version, page: 1 }),
        },
      ]
    : [];
  if (deployed) {
    blocks.push({
      type: 'note',
      text: `Deployed in ${clip(team.name, 80)}${deployed.by ? ` by ${deployed.by}` : ''} on ${day(deployed.at)}.`,
    });
    if (readIt.length > 0) blocks.push({ type: 'actions', actions: readIt });
  } else {
    blocks.push(
      { type: 'note', text: 'Managers: press the button once your team works to this version.' },
      {
        type: 'actions',
        actions: [
          {
            id: RELEASE_ACTIONS.deployed,
            label: 'Deployed in my team',
            value: deployedValue(release.id, team.id),
            style: 'primary',
          },
          ...readIt,
        ],
      },
    );
  }
  const since = release.since ? ` (it also covers what changed since ${versionText(release.since.worksTo)})` : '';
  return { text: `New standard: ${name}${since}. ${clip(release.notes, 300)}`, blocks };
}

/**
 * "Warehouse works to v1.0, so this covers v1.1 too": each skipped version's notes and change requests (the newest
 * few, and how many more), so a team that skipped one reads every change since the version it works to.
 */
function catchUpBlocks(key: string, since: CatchUp, team: string): MessageBlock[] {
  const count = since.skipped.length;
  const names = since.skipped.map((s) => versionText(s.version));
  const covered = count === 1 ? names[0] : `the ${count} versions in between (${names[0]} to ${names.at(-1)})`;
  const lead = `${clip(team, 80)} works to ${versionText(since.worksTo)}, so this also covers ${covered}, which it did not deploy. What changed in ${count === 1 ? names[0] : 'them'}:`;
  const shown = since.skipped.slice(-SKIPPED_SHOWN);
  const lines = shown.map((s) => {
    // Notes written from the changes name each one already: say a change request once, not twice.
    const unnamed = s.changes.map(changeId).filter((id) => !s.notes.includes(id));
    const changes = unnamed.length > 0 ? ` (${unnamed.join(', ')})` : '';
    return `**${versionText(s.version)}**${changes}\n${clip(s.notes, SKIPPED_NOTES_MAX)}`;
  });
  const blocks: MessageBlock[] = [
    { type: 'paragraph', text: lead },
    { type: 'paragraph', text: lines.join('\n\n') },
  ];
  if (count > shown.length) {
    blocks.push({
      type: 'note',
      text: `…and ${count - shown.length} earlier versions: see ${coeCommand(`sop show ${key}`)}.`,
    });
  }
  return blocks;
}

const lineCount = (n: number, sign: string) => `${sign}${n} line${n === 1 ? '' : 's'}`;

/** "The text since v1.0: +3 lines, −1 line", its first changed lines, and where to read the whole version. */
function textChangeBlocks(release: ReleaseView, change: ReleaseTextChange): MessageBlock[] {
  const version = versionText(release.version);
  const changed = change.added + change.removed;
  const summary = !change.from
    ? `**The text** of ${version}: ${lineCount(change.added, '')}, its first.`
    : changed === 0
      ? `**The text** is the same as in ${versionText(change.from)}.`
      : `**The text** since ${versionText(change.from)}: ${lineCount(change.added, '+')}, ${lineCount(change.removed, '−')}.`;
  const blocks: MessageBlock[] = [{ type: 'paragraph', text: summary }];
  if (change.from && change.lines.length > 0) {
    blocks.push({ type: 'document', blocks: change.lines.map((l) => ({ kind: 'change', op: l.op, text: l.text })) });
    if (changed > change.lines.length) {
      blocks.push({ type: 'note', text: `…and ${changed - change.lines.length} more changed.` });
    }
  }
  const diff =
    change.from && changed > 0
      ? `, what changed with ${coeCommand(`sop diff ${release.sopKey} ${versionText(change.from)} ${version}`)}`
      : '';
  blocks.push({
    type: 'note',
    text: `Read the whole of ${version} with ${coeCommand(`sop show ${release.sopKey} ${version}`)}${diff}.`,
  });
  return blocks;
}

export interface FanOutView {
  total: number;
  sent: number;
  failed: number;
  teams: number;
  deployed: number;
}

/** The CoE's view of a release going out, updated in place as announcements are delivered and teams deploy. */
export function releaseProgressMessage(release: ReleaseView, fanOut: FanOutView): Message {
  const name = releaseName(release.sopKey, release.version);
  const settled = fanOut.sent + fanOut.failed;
  const state =
    settled < fanOut.total
      ? `Announcing: sent ${fanOut.sent}/${fanOut.total}${fanOut.failed > 0 ? `, ${fanOut.failed} failed` : ''}.`
      : `Announced: sent ${fanOut.sent}/${fanOut.total}${fanOut.failed > 0 ? `, ${fanOut.failed} failed` : ''}.`;
  return {
    text: `${name} published. ${state}`,
    blocks: [
      { type: 'heading', text: clip(`Published: ${name}`, 150) },
      { type: 'paragraph', text: clip(release.notes, 2000) },
      {
        type: 'facts',
        facts: [
          { label: 'Announcements', value: state },
          { label: 'Deployed', value: `${fanOut.deployed}/${fanOut.teams} teams` },
          { label: 'Changes', value: release.changes.map((c) => changeId(c.number)).join(', ') },
          { label: 'Improvement', value: tagText(release.tags) },
        ],
      },
    ],
  };
}

/** Once every announcement went out or failed for good: the count, and where it failed. */
export function releaseSummaryMessage(
  release: ReleaseView,
  progress: { total: number; sent: number; failed: number },
  failures: readonly { where: string; error: string }[],
): Message {
  const name = releaseName(release.sopKey, release.version);
  if (progress.total === 0) {
    const text = `${name}: no team channel to announce it in. Link channels with ${coeCommand('team channel <team>')}.`;
    return { text, blocks: [{ type: 'paragraph', text }] };
  }
  const text =
    progress.failed === 0
      ? `${name}: announced ${inEvery(progress.total)}.`
      : `${name}: announced in ${progress.sent} of ${progress.total} channels; ${progress.failed} failed.`;
  const blocks: MessageBlock[] = [{ type: 'paragraph', text: `**${text}**` }];
  if (failures.length > 0) {
    blocks.push({
      type: 'facts',
      facts: failures.map((f) => ({ label: clip(f.where, 100), value: clip(f.error, 300) })),
    });
    if (progress.failed > failures.length) {
      blocks.push({ type: 'note', text: `…and ${progress.failed - failures.length} more.` });
    }
  }
  return { text, blocks };
}

/** What the publisher sees once the release is stored. */
export function releaseConfirmation(release: ReleaseView, channels: number): Message {
  const name = releaseName(release.sopKey, release.version);
  const text = `Published ${name}: announcing it in ${channels} team channel${channels === 1 ? '' : 's'}. The review channel shows the progress.`;
  return {
    text,
    blocks: [
      { type: 'heading', text: clip(`Published ${name}`, 150) },
      { type: 'paragraph', text },
    ],
  };
}

export interface SopSummary {
  key: string;
  title: string;
  version: SopVersion | undefined;
  ownerName: string | null;
  /** When it was retired: listed as such, and no new change may target it. */
  retiredAt?: Date | null;
}

export interface SopHistoryEntry {
  version: SopVersion;
  notes: string;
  tags: Improvement[];
  changes: number[];
  publishedAt: Date;
  deployed: number;
  teams: number;
}

export interface SopDetails extends SopSummary {
  baseline: { at: Date } | undefined;
  history: SopHistoryEntry[];
  changes: { number: number; title: string; status: ChangeStatus }[];
  /** More sections from other parts of the CoE loop (training, audits). */
  extra?: MessageBlock[];
  /** What the current version says: its first page, under the facts (sop-text-messages.ts). */
  text?: MessageBlock[];
}

const versionOrNone = (v: SopVersion | undefined) => (v ? versionText(v) : 'not released yet');

/** `sop show <key>`. */
export function sopMessage(sop: SopDetails): Message {
  const blocks: MessageBlock[] = [
    { type: 'heading', text: clip(`${sopId(sop.key)} · ${sop.title}`, 150) },
    {
      type: 'facts',
      facts: [
        { label: 'Current version', value: versionOrNone(sop.version) },
        { label: 'Owner', value: sop.ownerName ?? '—' },
        ...(sop.retiredAt ? [{ label: 'Retired', value: `${day(sop.retiredAt)}: it no longer applies` }] : []),
      ],
    },
    ...(sop.text ?? []),
  ];
  const history: Fact[] = sop.history.slice(0, 10).map((h) => {
    const notes = clip(h.notes, 400);
    // Notes written from the changes name each one's improvement already, "(Clarify)": say a tag once, not twice.
    const tags = h.tags.filter((t) => !notes.includes(`(${IMPROVEMENT_LABELS[t]})`));
    const details = [...(tags.length > 0 ? [tagText(tags)] : []), h.changes.map(changeId).join(', ')];
    return {
      label: `${versionText(h.version)} · ${day(h.publishedAt)}`,
      value: `${notes} (${details.join('; ')}; deployed ${h.deployed}/${h.teams} teams)`,
    };
  });
  if (sop.baseline) {
    history.push({ label: `v1.0 · ${day(sop.baseline.at)}`, value: 'Registered as the baseline.' });
  }
  blocks.push({ type: 'paragraph', text: '**History**' });
  blocks.push(history.length > 0 ? { type: 'facts', facts: history } : { type: 'paragraph', text: 'No versions yet.' });
  if (sop.history.length > 10) blocks.push({ type: 'note', text: `…and ${sop.history.length - 10} older versions.` });
  const changes = sop.changes.filter((c) => c.status !== 'released').slice(0, 15);
  if (changes.length > 0) {
    blocks.push(
      { type: 'paragraph', text: '**Change requests**' },
      {
        type: 'facts',
        facts: changes.map((c) => ({
          label: `${changeId(c.number)} · ${CHANGE_STATUS_LABELS[c.status]}`,
          value: clip(c.title, 200),
        })),
      },
    );
  }
  blocks.push(...(sop.extra ?? []));
  return { text: `${sopId(sop.key)} ${versionOrNone(sop.version)}: ${sop.title}`, blocks };
}

/** `sop list`. */
export function sopListMessage(sops: readonly SopSummary[]): Message {
  if (sops.length === 0) {
    return {
      text: 'No standards registered yet.',
      blocks: [
        { type: 'heading', text: 'Standards' },
        {
          type: 'paragraph',
          text: `None registered yet. CoE members add them with ${coeCommand('sop new <key> <title>')}.`,
        },
      ],
    };
  }
  return {
    text: `Standards: ${sops.map((s) => `${sopId(s.key)} ${versionOrNone(s.version)}${s.retiredAt ? ' (retired)' : ''}`).join(', ')}`,
    blocks: [
      { type: 'heading', text: 'Standards' },
      {
        type: 'facts',
        facts: sops.slice(0, 50).map((s) => ({
          label: `${sopId(s.key)} · ${versionOrNone(s.version)}${s.retiredAt ? ' · retired' : ''}`,
          value: clip(s.title, 200),
        })),
      },
    ],
  };
}

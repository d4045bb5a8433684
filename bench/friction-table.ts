/**
 * The friction bench's figures side by side: one column per target (bare Bolt | bot on the embedded database | bot
 * on Postgres), one table per round and one of the medians over the rounds. The targets of the issue stand next to
 * their figures, and a figure past its target says "over the target" (the bench does not fail for it).
 */
import { mb, median, ms, type Table } from './common.ts';
import { STORM_COMMAND_USERS } from './friction-storm.ts';
import { NO_ANSWER_MS, USERS } from './slack-load.ts';
import { LABELS, type TargetKind } from './targets.ts';

/** Every figure of one target in one round, as numbers (NaN where it does not apply), so rounds have medians. */
export interface Summary {
  firstStartMs: number;
  startMs: number;
  submitP50: number;
  submitP99: number;
  /** Submissions answered per second (for a bot: stored, it stores before it acks). */
  submitRate: number;
  submitted: number;
  /** CPU ms of the process tree during the storm, per submission answered. */
  cpuPerSubmission: number;
  /** CPU ms of the Postgres server during the storm, per submission answered (NaN: not on Postgres). */
  dbCpuPerSubmission: number;
  pastAck: number;
  noAnswer: number;
  /** friction_report rows after the stop, and distinct FR-<n> in the answers (bots). */
  stored: number;
  distinct: number;
  burstP99: number;
  burstCount: number;
  /** The burst whose last ack came latest: its median ack and its last (the p99 of the bursts is about this one). */
  slowestBurstMedian: number;
  slowestBurstMax: number;
  /** The main thread's time on a core over the bursts (first send to last ack of each), per ack (/proc). */
  burstMainCpuPerAck: number;
  /** The slowest burst: its main thread's time on a core and waiting for one, and its other threads' time (ms). */
  slowestBurstMainRun: number;
  slowestBurstMainWait: number;
  slowestBurstOthersRun: number;
  stormCommandP99: number;
  stormCommands: number;
  viewsOpenP99: number;
  afterWarmUpRss: number;
  idleRss: number;
  idleTree: number;
  idleProcesses: number;
  peakRss: number;
  peakTree: number;
  peakProcesses: number;
  logLines: number;
}

const TARGETS = {
  submitRatio: 3,
  submitGoal: 2,
  storedPerSecond: 500,
  ackRatio: 1.2,
  idleKb: { embedded: 380 * 1024, postgres: 150 * 1024 } as Partial<Record<TargetKind, number>>,
};

const OVER = 'over the target';

/** The median of each figure over the rounds, per target. */
export function medianSummaries(rounds: readonly Map<TargetKind, Summary>[]): Map<TargetKind, Summary> {
  const result = new Map<TargetKind, Summary>();
  const kinds = new Set(rounds.flatMap((round) => [...round.keys()]));
  for (const kind of kinds) {
    const runs = rounds.flatMap((round) => round.get(kind) ?? []);
    const first = runs[0];
    if (!first) continue;
    const middle: Summary = { ...first };
    for (const key of Object.keys(first) as (keyof Summary)[]) middle[key] = median(runs.map((run) => run[key]));
    result.set(kind, middle);
  }
  return result;
}

type Cell = (summary: Summary, kind: TargetKind, bare: Summary | undefined) => string;

interface Line {
  metric: string;
  cell: Cell;
  target?: string;
  /** Only for the bots (the bare app has no database, views or logs). */
  botsOnly?: boolean;
}

const count = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : 'n/a');
/** Marks a bot's figure past its target (the targets are the bot's; the bare app is only the yardstick). */
const mark = (text: string, over: boolean, kind: TargetKind) => (over && kind !== 'bare' ? `${text}, ${OVER}` : text);

/** bot / bare of one figure, marked past `limit`. */
const ratioCell =
  (pick: (s: Summary) => number, limit: number): Cell =>
  (summary, kind, bare) => {
    const ratio = bare ? pick(summary) / pick(bare) : Number.NaN;
    return Number.isFinite(ratio) ? mark(`${ratio.toFixed(2)}×`, ratio > limit, kind) : 'n/a';
  };

const rssCell =
  (pick: (s: Summary) => number, processes: (s: Summary) => number, idle: boolean): Cell =>
  (summary, kind) => {
    const limit = idle ? TARGETS.idleKb[kind] : undefined;
    const procs = processes(summary) > 1 ? ` (${count(processes(summary))} processes)` : '';
    return mark(`${mb(pick(summary))}${procs}`, limit !== undefined && pick(summary) > limit, kind);
  };

const LINES: Line[] = [
  {
    metric: 'first start, new database',
    cell: (s) => ms(s.firstStartMs),
    target: 'spawn → /readyz 200, creating and migrating it; not measured further',
    botsOnly: true,
  },
  {
    metric: 'start → ready',
    cell: (s) => ms(s.startMs),
    target: 'bare: → listening; bot: → /readyz 200 on that database (the one measured)',
  },
  {
    metric: 'storm: submission ack p50',
    cell: (s) => ms(s.submitP50),
    target: `${USERS} users, each sending the next when answered`,
  },
  { metric: 'storm: submission ack p99', cell: (s) => ms(s.submitP99) },
  {
    metric: 'storm: submission p99, bot / bare',
    cell: ratioCell((s) => s.submitP99, TARGETS.submitRatio),
    target: `≤ ${TARGETS.submitRatio}× (goal ${TARGETS.submitGoal}×)`,
    botsOnly: true,
  },
  {
    metric: 'storm: submissions per second',
    cell: (s, kind) => mark(`${s.submitRate.toFixed(0)}/s`, s.submitRate < TARGETS.storedPerSecond, kind),
    target: `≥ ${TARGETS.storedPerSecond} stored/s (bots)`,
  },
  { metric: 'storm: answers past 3 s', cell: (s, kind) => mark(count(s.pastAck), s.pastAck > 0, kind), target: '0' },
  {
    metric: `storm: no answer within ${NO_ANSWER_MS / 1000} s`,
    cell: (s, kind) => mark(count(s.noAnswer), s.noAnswer > 0, kind),
    target: '0',
  },
  {
    metric: 'reports stored / distinct FR-n / sent',
    cell: (s, kind) =>
      mark(
        `${count(s.stored)} / ${count(s.distinct)} / ${count(s.submitted)}`,
        s.stored !== s.submitted || s.distinct !== s.submitted,
        kind,
      ),
    target: 'each submission stored once (warm-up included)',
    botsOnly: true,
  },
  {
    metric: 'storm: CPU per submission, process',
    cell: (s) => `${s.cpuPerSubmission.toFixed(2)} ms`,
    target: 'CPU time (all threads) per answer: moves less with the neighbours',
  },
  {
    metric: 'storm: CPU per submission, Postgres',
    cell: (s) => (Number.isFinite(s.dbCpuPerSubmission) ? `${s.dbCpuPerSubmission.toFixed(2)} ms` : '—'),
    target: "the server's processes, for the Postgres column",
    botsOnly: true,
  },
  {
    metric: '/friction ack p99, bursts',
    cell: (s) => `${ms(s.burstP99)} (${count(s.burstCount)})`,
    target: `${USERS} at once, 10 bursts; (n acks)`,
  },
  {
    metric: '/friction, slowest burst',
    cell: (s) => `${ms(s.slowestBurstMedian)} / ${ms(s.slowestBurstMax)}`,
    target: 'its median / last ack: a whole burst slow, or one ack',
  },
  {
    metric: '/friction, slowest burst: threads',
    cell: (s) =>
      Number.isFinite(s.slowestBurstMainRun)
        ? `${ms(s.slowestBurstMainRun)} + ${ms(s.slowestBurstMainWait)} waiting; others ${ms(s.slowestBurstOthersRun)}`
        : 'n/a',
    target: 'main thread on a core + ready with no core free; other threads on a core',
  },
  {
    metric: '/friction bursts: CPU per ack, main thread',
    cell: (s) => (Number.isFinite(s.burstMainCpuPerAck) ? `${s.burstMainCpuPerAck.toFixed(2)} ms` : 'n/a'),
    target: "the ack's own work: a bot's form work waits for the burst's acks",
  },
  {
    metric: '/friction p99 bursts, bot / bare',
    cell: ratioCell((s) => s.burstP99, TARGETS.ackRatio),
    target: `≤ ${TARGETS.ackRatio}×`,
    botsOnly: true,
  },
  {
    metric: '/friction ack p99, during the storm',
    cell: (s) => `${ms(s.stormCommandP99)} (${count(s.stormCommands)})`,
    target: `${STORM_COMMAND_USERS} users beside the submitters; (n acks)`,
  },
  {
    metric: '/friction p99 in storm, bot / bare',
    cell: ratioCell((s) => s.stormCommandP99, TARGETS.ackRatio),
    target: `≤ ${TARGETS.ackRatio}× also during the storm`,
    botsOnly: true,
  },
  {
    metric: '/friction → views.open p99',
    cell: (s) => ms(s.viewsOpenP99),
    target: 'bursts; Slack takes a trigger for 3 s',
    botsOnly: true,
  },
  {
    metric: 'RSS 5 s after the warm-up, process',
    cell: rssCell(
      (s) => s.afterWarmUpRss,
      () => 1,
      false,
    ),
    target: 'not idle yet: the young generation is still as grown',
  },
  {
    metric: 'idle RSS, process',
    cell: rssCell(
      (s) => s.idleRss,
      () => 1,
      true,
    ),
    target: '40 s after the storm: ≤ 380 MB embedded, ≤ 150 MB Postgres',
  },
  {
    metric: 'idle RSS, process tree',
    cell: rssCell(
      (s) => s.idleTree,
      (s) => s.idleProcesses,
      true,
    ),
    target: 'the same; the Postgres server not counted',
  },
  {
    metric: 'peak RSS in the storm, process',
    cell: rssCell(
      (s) => s.peakRss,
      () => 1,
      false,
    ),
    target: 'sampled every 50 ms',
  },
  {
    metric: 'peak RSS in the storm, tree',
    cell: rssCell(
      (s) => s.peakTree,
      (s) => s.peakProcesses,
      false,
    ),
  },
  {
    metric: 'bot log lines while measured',
    cell: (s) => count(s.logLines),
    target: 'a request logs nothing at info',
    botsOnly: true,
  },
];

/** One table: a column per target measured, in `kinds` order (bare Bolt first). */
export function frictionTable(title: string, summaries: Map<TargetKind, Summary>): Table {
  const kinds = [...summaries.keys()];
  const bare = summaries.get('bare');
  const rows = LINES.map((line) => [
    line.metric,
    ...kinds.map((kind) => {
      const summary = summaries.get(kind);
      if (!summary || (line.botsOnly && kind === 'bare')) return '—';
      return line.cell(summary, kind, bare);
    }),
    line.target ?? '',
  ]);
  return { title, header: ['metric', ...kinds.map((kind) => LABELS[kind]), 'target / how'], rows };
}

/**
 * The audit plans' weekly runs: each fire at its plan's time (what the `audit:AUD-n` job does), its owner recording
 * the results the same day — one a week late, to keep the audit-accuracy figure honest. The scanning audit measures
 * within 5% until the scanners start failing, breaches twice, and passes every week after v2.0: the audits confirm
 * the improvement (seed §10). The label audit breaches once, before its own fix.
 */
import { INVENTORY_CONTROL, LOGISTICS, managerOf } from './cast.ts';
import { LABEL_CHECKLIST, SCANNING_CHECKLIST } from './setup.ts';
import type { Story } from './story.ts';

const ACCEPTABLE = 5;

/** Largest measured variance (percent) of a run, by day: the shape of the story. */
function scanningVariance(day: number, random: () => number): number[] {
  if (day === 42) return [15, 12, 9];
  if (day === 49) return [7, 6, 4];
  const top = day < 42 ? 2.5 + Math.round(random() * 4) / 2 : 0.5 + Math.round(random() * 4) / 2;
  return [top, Math.max(0, top - 1), Math.max(0, top - 1.5)];
}

function labelVariance(day: number, random: () => number): number[] {
  if (day === 9) return [8, 3, 0];
  const top = 1 + Math.round(random() * 5) / 2;
  return [top, Math.max(0, top - 1), 0];
}

/** Days whose run is recorded late, and how many days late. */
const LATE: Record<string, number> = { 'scanning:84': 9, 'labels:16': 8 };

export function auditRuns(s: Story): void {
  const { hands } = s;
  const plans = [
    {
      name: 'scanning' as const,
      weekday: 0,
      first: 7,
      checklist: SCANNING_CHECKLIST,
      owner: managerOf(INVENTORY_CONTROL),
      variance: scanningVariance,
      loud: true,
    },
    {
      name: 'labels' as const,
      weekday: 2,
      first: 9,
      checklist: LABEL_CHECKLIST,
      owner: managerOf(LOGISTICS),
      variance: labelVariance,
      loud: false,
    },
  ];
  for (const plan of plans) {
    for (const day of s.workingDays(plan.first).filter((d) => d % 7 === plan.weekday)) {
      const variances = plan.variance(day, s.random);
      const late = LATE[`${plan.name}:${day}`] ?? 0;
      let run = 0;
      s.at(day, '09:00', async () => {
        run = await hands.fireAudit(s.org.audits[plan.name], s.moment(day, '09:00'));
      });
      const recordDay = day + late;
      if (s.workingDays(recordDay).length === 0) continue;
      s.at(recordDay, '14:00', async () => {
        const number = s.org.audits[plan.name];
        const outcome = await hands.recordAudit(
          plan.owner,
          run,
          plan.checklist.map((_, i) => ({
            passed: (variances[i] ?? 0) <= ACCEPTABLE,
            variance: variances[i] ?? 0,
          })),
        );
        const due = late > 0 ? ` of ${s.dateOf(day)}, recorded ${late} days late` : '';
        if (outcome.breach && outcome.change !== null) {
          s.org.drafts.push({ plan: number, day, change: outcome.change });
          s.line(
            `AUD-${number} run${due}: largest variance ${outcome.maxVariance}% > ${ACCEPTABLE}% acceptable → breach: CR-${outcome.change} drafted in the CoE review channel (seed §7)`,
          );
        } else if (plan.loud || late > 0) {
          s.line(
            `AUD-${number} run${due}: largest variance ${outcome.maxVariance}% (acceptable ${ACCEPTABLE}%): within`,
          );
        }
      });
    }
  }
}

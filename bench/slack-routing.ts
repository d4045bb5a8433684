/**
 * What Bolt's routing costs per request in our Slack app: `app.processEvent` timed for a friction-form submission and
 * for a submission of a form no listener knows, on the real app (`createSlackPlatform`, every listener registered),
 * with the core stubbed so only Bolt, our middleware and the listener itself are measured. Reports µs of wall time
 * and of CPU (`process.cpuUsage`) per call, the median of a few rounds. Not part of `npm run bench`: a yardstick for
 * changes to how listeners are registered.
 *
 *   npx tsx bench/slack-routing.ts [iterations per round, default 20000]
 */
import { performance } from 'node:perf_hooks';
import { message } from '../src/domain/message.ts';
import { createSlackPlatform } from '../src/platforms/slack/app.ts';
import { FRICTION_FORM_BLOCKS } from '../src/platforms/slack/ids.ts';
import type { SlackServices } from '../src/platforms/slack/listeners/deps.ts';
import { frictionFormView } from '../src/platforms/slack/views/friction-form.ts';
import { FakeSlackApi } from '../tests/support/fake-slack-api.ts';
import { viewSubmissionPayload } from '../tests/support/slack-interactions.ts';
import { median, say } from './common.ts';

const ITERATIONS = Number(process.argv[2] ?? 20_000);
const ROUNDS = 5;
const WARM_UP = 2_000;

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

// The friction form's one service call answers at once: the figure is Bolt's and the listener's, not the database's.
const services = {
  friction: { submit: async () => ({ ok: true, number: 1, confirmation: message('Thanks, FR-1 is recorded.') }) },
  people: { noteName: async () => {} },
} as unknown as SlackServices;

const fake = await FakeSlackApi.start();
try {
  const slack = await createSlackPlatform(
    { botToken: 'xoxb-bench', signingSecret: 'bench', apiUrl: fake.url },
    services,
    quiet,
  );
  const user = { id: 'UBENCH', name: 'bench' };
  const view = frictionFormView({ teams: ['Ops'], prefill: {} }) as unknown as Record<string, unknown>;
  const values = {
    [FRICTION_FORM_BLOCKS.kind]: 'tool',
    [FRICTION_FORM_BLOCKS.title]: 'The label printer jams',
    [FRICTION_FORM_BLOCKS.description]: 'Every morning the first label jams.',
    [FRICTION_FORM_BLOCKS.team]: 'Ops',
  };
  const submission = viewSubmissionPayload({ user, view, viewId: 'VBENCH', hash: '1.h', values });
  const unknown = { ...submission, view: { ...(submission.view as object), callback_id: 'no.such.form' } };

  const time = async (body: object, expectAck: boolean) => {
    let acked = 0;
    const ack = async () => {
      acked += 1;
    };
    const once = () => slack.app.processEvent({ body, ack } as Parameters<typeof slack.app.processEvent>[0]);
    for (let i = 0; i < WARM_UP; i++) await once();
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < ITERATIONS; i++) await once();
      walls.push(((performance.now() - started) * 1000) / ITERATIONS);
      const used = process.cpuUsage(cpu);
      cpus.push((used.user + used.system) / ITERATIONS);
    }
    if (acked > 0 !== expectAck) throw new Error(`expected ${expectAck ? 'acks' : 'no ack'}, got ${acked}`);
    return `${median(walls).toFixed(1)} µs wall, ${median(cpus).toFixed(1)} µs CPU per call`;
  };

  say(`${ITERATIONS} calls a round, median of ${ROUNDS} rounds`);
  process.stdout.write(`friction form submission: ${await time(submission, true)}\n`);
  process.stdout.write(`unknown form (no listener): ${await time(unknown, false)}\n`);
} finally {
  await fake.close();
}

/**
 * The yardstick for the bot's acks (bench/friction.ts): a bare Bolt app, an HTTPReceiver on the same signing secret,
 * a `/friction` listener and a listener for every view submission (the friction form's included) that only ack,
 * with no database, router or readiness check in front: what Bolt itself costs per request.
 * Its WebClient talks to the bench's fake Slack Web API (`SLACK_API_URL`), which answers Bolt's one `auth.test`.
 *
 * Spawned with `node --import tsx`; prints `listening on <url>` once it listens, and exits on SIGTERM or when its
 * stdin closes (the bench went away without stopping it).
 */
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bare-bolt: set ${name}`);
  return value;
}

const receiver = new HTTPReceiver({ signingSecret: required('SLACK_SIGNING_SECRET'), logLevel: LogLevel.WARN });
const app = new App({
  token: required('SLACK_BOT_TOKEN'),
  receiver,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: required('SLACK_API_URL') },
});
app.command('/friction', async ({ ack }) => {
  await ack();
});
// A plain ack (an empty 200 closes the modal in Slack): nothing is checked or stored.
app.view(/.*/, async ({ ack }) => {
  await ack();
});

const server = await app.start({ port: 0, host: '127.0.0.1' });
const { port } = server.address() as AddressInfo;
process.stdout.write(`listening on http://127.0.0.1:${port}\n`);

const stop = async () => {
  await app.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop).resume();

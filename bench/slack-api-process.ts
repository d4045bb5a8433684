/**
 * The fake Slack Web API in a process of its own, for the friction bench. In the bench's own process it shared the
 * event loop that sends the load and times every ack: each `views.open` the bot made (one per `/friction`) cost the
 * load generator ~0.5 ms of its own, so the bot's acks in a burst were read late for work Slack's servers do, not
 * the bot (issue 9: the bench process was busy ~340 ms in a bot's 10 bursts against ~105 ms in the bare app's).
 * Here the fake answers from a child process (`slack-api-child.ts`), and the bench asks it for the calls it saw.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { TSX_LOADER } from '../tests/process/bot-process.ts';
import type { SlackCall } from '../tests/support/fake-slack-api.ts';
import type { Question } from './slack-api-child.ts';

const CHILD = path.join(import.meta.dirname, 'slack-api-child.ts');
const START_MS = 30_000;

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export class SlackApiProcess {
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (reply: Reply) => {
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(reply.error));
    });
    child.on('exit', (code) => {
      for (const waiting of this.waiting.values()) waiting.reject(new Error(`the fake Slack API exited (${code})`));
      this.waiting.clear();
    });
  }

  static async start(): Promise<SlackApiProcess> {
    const child = fork(CHILD, [], {
      execArgv: ['--import', TSX_LOADER],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the fake Slack API did not start')), START_MS);
      child.once('message', (message: { url: string }) => {
        clearTimeout(timer);
        resolve(message.url);
      });
      child.once('exit', (code) => reject(new Error(`the fake Slack API exited (${code}) before it started`)));
    });
    return new SlackApiProcess(child, url);
  }

  /** The calls of `method` so far, as the fake recorded them. */
  calls(method: string): Promise<SlackCall[]> {
    return this.ask({ op: 'calls', method }) as Promise<SlackCall[]>;
  }

  /** Resolves once the fake has seen `count` calls of `method`; rejects after `timeoutMs`. */
  async waitForCalls(method: string, count: number, timeoutMs: number): Promise<void> {
    await this.ask({ op: 'wait', method, count, timeoutMs });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }

  private ask(question: Question): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...question, id });
    });
  }
}

/**
 * The child side of `slack-api-process.ts`: a FakeSlackApi, its URL sent to the parent once it listens, then the
 * parent's questions answered over IPC. Ends when the parent disconnects (or goes away).
 */
import { FakeSlackApi } from '../tests/support/fake-slack-api.ts';

export type Question =
  | { op: 'calls'; method: string }
  | { op: 'wait'; method: string; count: number; timeoutMs: number };
type ChildRequest = Question & { id: number };

const send = (message: unknown) => process.send?.(message);
const fake = await FakeSlackApi.start();

process.on('message', async (request: ChildRequest) => {
  try {
    let value: unknown = null;
    if (request.op === 'calls') value = fake.calls(request.method);
    else await fake.waitForCalls(request.method, request.count, request.timeoutMs);
    send({ id: request.id, ok: true, value });
  } catch (error) {
    send({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
process.once('disconnect', async () => {
  await fake.close();
  process.exit(0);
});
send({ url: fake.url });

import { readFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Chart, chartAltText } from '../../src/domain/chart.ts';
import {
  chartFilename,
  imageBlock,
  SlackUploadError,
  uploadChart,
  uploadImage,
} from '../../src/platforms/slack/chart-upload.ts';
import { specPath } from '../support/adaptive-card.ts';
import { FakeSlackApi, SlackApiError } from '../support/fake-slack-api.ts';
import { PNG_SIGNATURE, pngHeader } from '../support/png.ts';

const TOKEN = 'xoxb-test';
const FAST = { attempts: 3, intervalMs: 5 };

const chart: Chart = {
  kind: 'bar',
  title: 'Open blocking reports',
  unit: 'reports',
  categories: ['Warehouse', 'Inventory'],
  series: [{ name: 'Open', values: [3, null] }],
};

/** The image-block limits from the shared Block Kit limits file. */
const limits = (
  JSON.parse(readFileSync(specPath('slack_block_kit_limits.json'), 'utf8')) as {
    limits: { surface: string; item: string; limit: number }[];
  }
).limits.filter((l) => l.surface === 'image block');
const limit = (item: string) => limits.find((l) => l.item === item)?.limit ?? 0;

describe('uploading a chart to Slack', () => {
  let fake: FakeSlackApi;
  let client: WebClient;

  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    client = new WebClient(TOKEN, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  it('uploads the PNG in three steps and answers an image block that references the file', async () => {
    const { fileId, block } = await uploadChart(client, chart, { ready: FAST });

    expect(fake.calls().map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
      'files.info',
    ]);
    const [file] = fake.files.completed();
    expect(file).toMatchObject({
      id: fileId,
      filename: 'coe-chart-open-blocking-reports.png',
      title: 'Open blocking reports',
      altText: chartAltText(chart),
      channels: [],
    });
    expect(file?.bytes?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file?.declaredLength).toBe(file?.bytes?.length);
    expect(pngHeader(file?.bytes ?? Buffer.alloc(0))).toMatchObject({ width: 1600, height: 840 });

    expect(block).toEqual({
      type: 'image',
      slack_file: { id: fileId },
      alt_text: chartAltText(chart),
      title: { type: 'plain_text', text: 'Open blocking reports' },
    });
    await client.chat.postMessage({ channel: 'C1', text: 'Metrics', blocks: [block] });
    const [message] = fake.messages('C1');
    const blocks = (message?.blocks ?? []) as { slack_file?: { id: string } }[];
    const shown = blocks[0]?.slack_file?.id;
    expect(fake.files.get(shown ?? '')?.completed).toBe(true);
  });

  it('shares the file in a channel when asked, and waits until Slack lists it there', async () => {
    const png = Buffer.concat([PNG_SIGNATURE, Buffer.from('rest of a picture')]);
    const id = await uploadImage(
      client,
      { png, filename: 'digest.png', title: 'Digest', altText: 'The weekly digest', channelId: 'C9' },
      FAST,
    );
    expect(fake.files.get(id)).toMatchObject({ channels: ['C9'], title: 'Digest', bytes: png });
    const info = await client.files.info({ file: id });
    expect(info.file).toMatchObject({ id, mimetype: 'image/png', channels: ['C9'] });
  });

  it('asks files.info again while Slack is still processing the file', async () => {
    let asked = 0;
    fake.setHandler('files.info', (args, self) => {
      asked++;
      if (asked < 3) throw new SlackApiError('file_not_found');
      return self.files.methods['files.info']?.(args) ?? {};
    });
    await uploadChart(client, chart, { ready: FAST });
    expect(asked).toBe(3);
  });

  it('gives up with a clear error when the file never becomes ready, and passes other errors on', async () => {
    fake.setHandler('files.info', () => {
      throw new SlackApiError('file_not_found');
    });
    await expect(uploadChart(client, chart, { ready: FAST })).rejects.toThrow(SlackUploadError);
    fake.setHandler('files.info', () => {
      throw new SlackApiError('missing_scope');
    });
    await expect(uploadChart(client, chart, { ready: FAST })).rejects.toMatchObject({
      data: { error: 'missing_scope' },
    });
  });

  it('the fake refuses to complete an upload whose bytes never arrived', async () => {
    const { file_id } = await client.files.getUploadURLExternal({ filename: 'x.png', length: 10 });
    await expect(
      client.files.completeUploadExternal({ files: [{ id: String(file_id), title: 'x' }] }),
    ).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });
});

describe('the image block', () => {
  it('keeps alt text and title within Slack limits, and a file name from the title', () => {
    const long = 'x'.repeat(5000);
    const block = imageBlock('F1', long, long);
    expect(block.alt_text.length).toBeLessThanOrEqual(limit('alt_text (chars)'));
    expect(block.title?.text.length).toBeLessThanOrEqual(limit('title text (chars)'));
    expect(limit('alt_text (chars)')).toBeGreaterThan(0);
    expect(chartFilename({ ...chart, title: 'Über-long: Training — 90 days!' })).toBe(
      'coe-chart-uber-long-training-90-days.png',
    );
  });
});

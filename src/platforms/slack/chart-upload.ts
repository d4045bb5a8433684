/**
 * Charts in Slack messages: the chart is drawn as a PNG on the server, uploaded with the bot's own token, and shown
 * with an image block that references the uploaded file (`slack_file: { id }`), which needs no public URL.
 *
 * The upload is web-api's `filesUploadV2`: files.getUploadURLExternal → POST of the bytes to the returned URL →
 * files.completeUploadExternal (files.upload stopped working in 2025). Without a channel the file stays private to
 * the bot, and a message the bot posts can still show it. Slack finishes processing a file after the upload
 * returns, and a block naming a file it is not done with is refused (`invalid_blocks`), so the upload then asks
 * files.info until the file is there. Scopes: `files:write` to upload, `files:read` for files.info.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import { type Chart, chartAltText } from '../../domain/chart.ts';

/** Slack's limits for an image block's alt text and title (characters). */
const ALT_TEXT_MAX = 2000;
const TITLE_MAX = 2000;

export interface SlackImageBlock {
  type: 'image';
  slack_file: { id: string };
  alt_text: string;
  title?: { type: 'plain_text'; text: string };
}

export interface ImageUpload {
  png: Buffer;
  filename: string;
  title: string;
  altText: string;
  /** Also share the file in this channel (Slack then shows it there as a file of its own). Absent: private. */
  channelId?: string;
}

export interface ReadyCheck {
  /** files.info calls at most (0: do not wait). */
  attempts: number;
  intervalMs: number;
}

/** Up to about 3 s, well inside the time a person waits for an answer. */
export const DEFAULT_READY_CHECK: ReadyCheck = { attempts: 6, intervalMs: 500 };

export class SlackUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackUploadError';
  }
}

/** Uploads a PNG and returns its file id, once Slack can show it. */
export async function uploadImage(
  client: WebClient,
  upload: ImageUpload,
  ready: ReadyCheck = DEFAULT_READY_CHECK,
): Promise<string> {
  const result = await client.filesUploadV2({
    file: upload.png,
    filename: upload.filename,
    title: upload.title,
    alt_text: clip(upload.altText, ALT_TEXT_MAX),
    ...(upload.channelId ? { channel_id: upload.channelId } : {}),
  });
  const id = result.files[0]?.files?.[0]?.id;
  if (!id) throw new SlackUploadError(`Slack answered the upload of ${upload.filename} without a file id`);
  if (ready.attempts > 0) await waitUntilReady(client, id, upload.channelId, ready);
  return id;
}

/** Asks files.info until the file is an image Slack has processed (and, when shared, is in that channel). */
export async function waitUntilReady(
  client: WebClient,
  fileId: string,
  channelId: string | undefined,
  ready: ReadyCheck = DEFAULT_READY_CHECK,
): Promise<void> {
  for (let attempt = 1; attempt <= ready.attempts; attempt++) {
    if (await isReady(client, fileId, channelId)) return;
    if (attempt < ready.attempts) await sleep(ready.intervalMs);
  }
  throw new SlackUploadError(`Slack had not processed file ${fileId} after ${ready.attempts} checks`);
}

async function isReady(client: WebClient, fileId: string, channelId: string | undefined): Promise<boolean> {
  try {
    const { file } = await client.files.info({ file: fileId });
    if (!file?.mimetype?.startsWith('image/')) return false;
    if (!channelId) return true;
    const shared = [...(file.channels ?? []), ...(file.groups ?? []), ...(file.ims ?? [])];
    return shared.includes(channelId);
  } catch (error) {
    // Right after the upload Slack may not know the file yet; anything else (a missing scope, a bad token) is real.
    if ((error as { data?: { error?: string } }).data?.error === 'file_not_found') return false;
    throw error;
  }
}

/** An image block showing an uploaded file. */
export function imageBlock(fileId: string, altText: string, title?: string): SlackImageBlock {
  return {
    type: 'image',
    slack_file: { id: fileId },
    alt_text: clip(altText, ALT_TEXT_MAX),
    ...(title ? { title: { type: 'plain_text', text: clip(title, TITLE_MAX) } } : {}),
  };
}

export interface ChartUploadOptions {
  channelId?: string;
  ready?: ReadyCheck;
}

/**
 * Draws the chart, uploads it and returns the image block that shows it (and the file id). ECharts and resvg are
 * loaded on the first chart only.
 */
export async function uploadChart(
  client: WebClient,
  chart: Chart,
  options: ChartUploadOptions = {},
): Promise<{ fileId: string; block: SlackImageBlock }> {
  const { renderChartPng } = await import('../../charts/png.ts');
  const { png } = await renderChartPng(chart);
  const altText = chartAltText(chart);
  const fileId = await uploadImage(
    client,
    {
      png,
      filename: chartFilename(chart),
      title: chart.title,
      altText,
      ...(options.channelId ? { channelId: options.channelId } : {}),
    },
    options.ready,
  );
  return { fileId, block: imageBlock(fileId, altText, chart.title) };
}

/** `coe-chart-<title in lower-case words>.png`, at most 80 characters. */
export function chartFilename(chart: Chart): string {
  const slug = chart.title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `coe-chart${slug ? `-${slug}` : ''}.png`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

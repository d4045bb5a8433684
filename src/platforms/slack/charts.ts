/**
 * Messages with charts, for Slack: each chart is drawn and uploaded first, then the message is rendered with an image
 * block for it. A chart that cannot be uploaded (a missing `files:write` scope, Slack down) is written out in words
 * instead: the figures still arrive. An outbox row sent again reuses its upload rather than making another file.
 */
import type { WebClient } from '@slack/web-api';
import type { Chart } from '../../domain/chart.ts';
import type { Message } from '../../domain/message.ts';
import { RecentMap } from '../../services/recent.ts';
import { type ChartUploadOptions, uploadChart } from './chart-upload.ts';
import { renderMessage, type SlackBlock, type SlackMessage } from './render.ts';

export interface ChartLog {
  warn(obj: object, msg: string): void;
}

export class SlackCharts {
  /** Uploads by message key and chart title: a retried delivery shows the same file. */
  private readonly uploaded = new RecentMap<string, SlackBlock>(500);

  constructor(
    private readonly client: WebClient,
    private readonly log: ChartLog,
    private readonly options: ChartUploadOptions = {},
  ) {}

  /** The message as Slack blocks, its charts as pictures where the upload worked. */
  async render(message: Message, key?: string): Promise<SlackMessage> {
    const charts = message.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : []));
    if (charts.length === 0) return renderMessage(message);
    const images = new Map<Chart, SlackBlock>();
    for (const chart of charts) {
      const image = await this.image(chart, key);
      if (image) images.set(chart, image);
    }
    return renderMessage(message, (chart) => images.get(chart));
  }

  private async image(chart: Chart, key: string | undefined): Promise<SlackBlock | undefined> {
    const cacheKey = key === undefined ? undefined : `${key}\u0000${chart.title}`;
    const known = cacheKey === undefined ? undefined : this.uploaded.get(cacheKey);
    if (known) return known;
    try {
      const { block } = await uploadChart(this.client, chart, this.options);
      if (cacheKey !== undefined) this.uploaded.set(cacheKey, block);
      return block;
    } catch (error) {
      this.log.warn({ err: error, chart: chart.title }, 'slack: chart upload failed; its figures are sent as text');
      return undefined;
    }
  }
}

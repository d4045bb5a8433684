/**
 * `/coe metrics export` in Slack: the CSV goes as a file into the person's direct messages with the bot (files:write,
 * im:write), where only they see it; the command is answered privately with where it went.
 */
import type { WebClient } from '@slack/web-api';
import type { MetricsExport } from '../../services/metrics.ts';

/** Uploads the export into the person's DM with the bot; returns the file id. */
export async function sendExport(client: WebClient, userId: string, file: MetricsExport): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('Slack opened no direct message channel');
  const result = await client.filesUploadV2({
    channel_id: channel,
    file: Buffer.from(file.csv, 'utf8'),
    filename: file.filename,
    title: file.title,
  });
  const id = result.files[0]?.files?.[0]?.id;
  if (!id) throw new Error(`Slack answered the upload of ${file.filename} without a file id`);
  return id;
}

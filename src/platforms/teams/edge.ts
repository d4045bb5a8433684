/**
 * What the Bot Framework sends us, checked with zod before botbuilder sees it: an activity whose addresses are not
 * strings of a sane length (a `serviceUrl` that is not an http(s) URL, a 150 KB `from.id`) would make botbuilder
 * throw mid-turn, call the public Bot Framework, or echo the junk back past Teams' limits. Only the parts botbuilder
 * and the bot read are checked; anything else passes through untouched.
 */
import { z } from 'zod';

/** Teams ids are well under 200 characters ("29:1…", "19:…@thread.tacv2", "a:1…"); conversation ids a bit longer. */
const id = z.string().min(1).max(256);
const name = z.string().max(256);

const account = z.looseObject({
  id,
  name: name.nullish(),
  aadObjectId: z.string().max(128).nullish(),
  role: z.string().max(64).nullish(),
});

const httpUrl = z
  .string()
  .max(2048)
  .refine((url) => {
    try {
      const { protocol } = new URL(url);
      return protocol === 'https:' || protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const activity = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(256).nullish(),
  serviceUrl: httpUrl,
  channelId: z.string().min(1).max(64),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1).max(1024),
    conversationType: z.string().max(64).nullish(),
    tenantId: z.string().max(128).nullish(),
    isGroup: z.boolean().nullish(),
  }),
  text: z.string().nullish(),
  name: z.string().max(256).nullish(),
  replyToId: z.string().max(256).nullish(),
  channelData: z.record(z.string(), z.unknown()).nullish(),
  // botbuilder reads each entity's `type` as a string (mentions, client info).
  entities: z.array(z.looseObject({ type: z.string().max(128) })).nullish(),
  attachments: z.array(z.record(z.string(), z.unknown())).nullish(),
  membersAdded: z.array(account).nullish(),
  membersRemoved: z.array(account).nullish(),
});

export type CheckedActivity = z.infer<typeof activity>;

/** The activity, or what is wrong with the body in a few words (the first problem only; no echo of the input). */
export function checkActivity(body: Buffer): { ok: true; activity: CheckedActivity } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, error: 'the body is not JSON' };
  }
  const result = activity.safeParse(parsed);
  if (result.success) return { ok: true, activity: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'the body';
  return { ok: false, error: `not a Bot Framework activity: ${where} ${issue?.message ?? 'is invalid'}` };
}

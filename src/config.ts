/**
 * The runtime contract's environment variables (ARCHITECTURE.md), validated once at start-up. A bad value stops the
 * bot with one line per variable naming it, what is wrong, and how to fix it.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { embeddedDataDir } from './db/data-dir.ts';
import { DEFAULT_WORK_CALENDAR, parseWorkDays, parseWorkHours, type WorkCalendar } from './domain/calendar.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

/** `slack:U123,teams:<aad-object-id>` → identities granted the CoE layer at start-up. */
const coeMembers = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const members: { platform: 'slack' | 'teams'; externalId: string }[] = [];
    for (const item of (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const match = /^(slack|teams):(\S+)$/.exec(item);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: `"${item}" is not platform:id; write e.g. slack:U0123ABC,teams:00000000-0000-0000-0000-000000000000`,
        });
        return z.NEVER;
      }
      members.push({ platform: match[1] as 'slack' | 'teams', externalId: match[2] as string });
    }
    return members;
  });

const schema = z
  .object({
    PORT: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined || s.trim() === '') return 3000;
        const port = Number(s);
        if (!/^\d+$/.test(s.trim()) || port > 65535) {
          ctx.addIssue({
            code: 'custom',
            message: `"${s}" is not a port; use a whole number from 0 to 65535, e.g. 3000`,
          });
          return z.NEVER;
        }
        return port;
      }),
    HOST: optionalString,
    DATA_DIR: z.string().optional().transform(embeddedDataDir),
    DATABASE_URL: optionalString.refine((s) => s === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(s), {
      message:
        'must be a Postgres connection string such as postgres://user@127.0.0.1:5432/coe, or unset for the embedded database',
    }),
    SLACK_BOT_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith('xox'), {
      message: 'must be a Slack bot token (starts with xoxb-); copy it from your app\'s "OAuth & Permissions" page',
    }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith('xapp-'), {
      message:
        'must be an app-level token (starts with xapp-) with the connections:write scope, or unset for HTTP mode',
    }),
    SLACK_API_URL: optionalString.refine((s) => s === undefined || URL.canParse(s), {
      message: 'must be a URL such as https://slack.com/api/',
    }),
    COE_SLACK_CHANNEL_ID: optionalString,
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TENANT_ID: optionalString,
    MICROSOFT_APP_TYPE: optionalString.pipe(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
    COE_MEMBERS: coeMembers,
    TZ: optionalString.refine((tz) => tz === undefined || isTimeZone(tz), {
      message: 'is not a time zone; use an IANA name such as Europe/Berlin or UTC',
    }),
    LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).optional()).transform((l) => l ?? 'info'),
    FRICTION_PATTERN_THRESHOLD: wholeNumber(3, 2, 100, 'reports, e.g. 3'),
    FRICTION_PATTERN_DAYS: wholeNumber(14, 1, 365, 'days, e.g. 14'),
    CHANGE_APPROVAL_QUORUM: wholeNumber(1, 1, 20, 'CoE approvals, e.g. 1'),
    WORK_DAYS: optionalString.transform((s, ctx) => {
      const days = s === undefined ? DEFAULT_WORK_CALENDAR.days : parseWorkDays(s);
      if (!days) {
        ctx.addIssue({
          code: 'custom',
          message: `"${s}" is not a list of weekdays; write e.g. mon-fri or mon,tue,thu`,
        });
        return z.NEVER;
      }
      return days;
    }),
    WORK_HOURS: optionalString.transform((s, ctx) => {
      const hours = s === undefined ? DEFAULT_WORK_CALENDAR : parseWorkHours(s);
      if (!hours) {
        ctx.addIssue({ code: 'custom', message: `"${s}" is not a span of hours; write e.g. 09:00-17:00` });
        return z.NEVER;
      }
      return { start: hours.start, end: hours.end };
    }),
    TRAINING_REMINDER_SCHEDULE: cronExpression('0 9 * * *'),
    TRAINING_MAX_REMINDERS: wholeNumber(3, 0, 20, 'reminders, e.g. 3'),
    STALE_NUDGE_SCHEDULE: cronExpression('0 10 * * *'),
    METRICS_DIGEST_SCHEDULE: cronExpression('0 9 * * 1'),
    CONSTRAINT_SUMMARY_SCHEDULE: cronExpression('0 9 1 * *'),
    DATABASE_MAINTENANCE_SCHEDULE: cronExpression('30 3 * * *'),
    STALE_TRIAGE_DAYS: wholeNumber(2, 1, 60, 'working days, e.g. 2'),
    STALE_PROGRESS_DAYS: wholeNumber(10, 1, 120, 'working days, e.g. 10'),
    // Never below 3: a group of two gives each person away to the other.
    METRICS_MIN_GROUP: wholeNumber(5, 3, 1000, 'people, e.g. 5'),
    PUBLIC_URL: optionalString.transform((s, ctx) => {
      if (s === undefined) return undefined;
      const url = URL.canParse(s) ? new URL(s) : undefined;
      if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
        ctx.addIssue({
          code: 'custom',
          message: `"${s}" is not the bot's public address; write e.g. https://coe-bot.example.com`,
        });
        return z.NEVER;
      }
      return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    }),
    METRICS_TOKEN: optionalString.refine((s) => s === undefined || /^\S{16,}$/.test(s), {
      message: 'must be at least 16 characters without spaces; make one with: openssl rand -hex 32',
    }),
  })
  .superRefine(
    (env, ctx) => {
      if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_SIGNING_SECRET'],
          message:
            'is required with SLACK_BOT_TOKEN over HTTP; copy it from your app\'s "Basic Information" page (or set SLACK_APP_TOKEN for Socket Mode)',
        });
      }
      if ((env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN) && !env.SLACK_BOT_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_BOT_TOKEN'],
          message: 'is required to turn Slack on; copy the xoxb- token from "OAuth & Permissions"',
        });
      }
      if (env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
        ctx.addIssue({
          code: 'custom',
          path: ['MICROSOFT_APP_PASSWORD'],
          message: "is required with MICROSOFT_APP_ID; create a client secret for the bot's app registration",
        });
      }
    },
    // Zod skips refinements once a field has failed; these only read string fields, so run them anyway and name
    // every bad variable in one go.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

/** An optional whole number within bounds; `example` ends the message ("must be 2 to 100 reports, e.g. 3"). */
function wholeNumber(fallback: number, min: number, max: number, example: string) {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === '') return fallback;
      const n = Number(s);
      if (!/^\d+$/.test(s.trim()) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `"${s}" must be ${min} to ${max} ${example}` });
        return z.NEVER;
      }
      return n;
    });
}

/** A node-cron expression, checked the way the scheduler will read it. */
function cronExpression(fallback: string) {
  return optionalString.transform((s, ctx) => {
    if (s === undefined) return fallback;
    if (!cron.validate(s)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${s}" is not a cron expression; write e.g. "0 9 * * *" (09:00 daily)`,
      });
      return z.NEVER;
    }
    return s;
  });
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface Config {
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  slack?: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    reviewChannelId?: string;
  };
  teams: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  };
  /** True when no platform credentials are set: loopback only, Teams without auth for the Bot Framework Emulator. */
  localMode: boolean;
  coeMembers: { platform: 'slack' | 'teams'; externalId: string }[];
  /** N reports about one tool or process within D days raise a recurring-pattern alert. */
  friction: { recurrenceThreshold: number; recurrenceWindowDays: number };
  /** Distinct CoE approvals a change request needs. */
  change: { quorum: number };
  /** Working days and hours in `timeZone`: reminders and nudges go out only then. */
  calendar: WorkCalendar;
  schedules: {
    trainingReminders: string;
    staleNudges: string;
    metricsDigest: string;
    constraintSummary: string;
    /** The embedded database's VACUUM and ANALYZE (Postgres' autovacuum does it there). */
    databaseMaintenance: string;
  };
  training: { maxReminders: number };
  stale: { triageDays: number; progressDays: number };
  /** No team-level figure about fewer than `minGroup` people (DOMAIN.md privacy rules). */
  metrics: { minGroup: number };
  /** `GET /metrics` from other hosts than loopback needs it as a bearer token; unset: loopback only. */
  metricsToken?: string;
  /**
   * The bot's address as people's browsers reach it, for links back to it (Teams' export downloads), without a
   * trailing slash; unset: the address each Teams request came to.
   */
  publicUrl?: string;
  timeZone: string;
  logLevel: (typeof LOG_LEVELS)[number];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`),
    );
  }
  const e = parsed.data;
  const timeZone = e.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const localMode = !e.SLACK_BOT_TOKEN && !e.MICROSOFT_APP_ID;
  return {
    port: e.PORT,
    host: e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: e.DATA_DIR },
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
          reviewChannelId: e.COE_SLACK_CHANNEL_ID,
        }
      : undefined,
    teams: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE ?? 'MultiTenant',
    },
    localMode,
    coeMembers: e.COE_MEMBERS,
    friction: { recurrenceThreshold: e.FRICTION_PATTERN_THRESHOLD, recurrenceWindowDays: e.FRICTION_PATTERN_DAYS },
    change: { quorum: e.CHANGE_APPROVAL_QUORUM },
    calendar: { timeZone, days: e.WORK_DAYS, ...e.WORK_HOURS },
    schedules: {
      trainingReminders: e.TRAINING_REMINDER_SCHEDULE,
      staleNudges: e.STALE_NUDGE_SCHEDULE,
      metricsDigest: e.METRICS_DIGEST_SCHEDULE,
      constraintSummary: e.CONSTRAINT_SUMMARY_SCHEDULE,
      databaseMaintenance: e.DATABASE_MAINTENANCE_SCHEDULE,
    },
    training: { maxReminders: e.TRAINING_MAX_REMINDERS },
    stale: { triageDays: e.STALE_TRIAGE_DAYS, progressDays: e.STALE_PROGRESS_DAYS },
    metrics: { minGroup: e.METRICS_MIN_GROUP },
    metricsToken: e.METRICS_TOKEN,
    publicUrl: e.PUBLIC_URL,
    timeZone,
    logLevel: e.LOG_LEVEL,
  };
}

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh' };
const TEAMS = { MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'pw' };

/** The problems `loadConfig` reports for `env`; fails the test when it accepts it. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('defaults to local mode: port 3000 on loopback, embedded database in ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      localMode: true,
      database: { kind: 'pglite', dataDir: './data' },
      coeMembers: [],
      friction: { recurrenceThreshold: 3, recurrenceWindowDays: 14 },
      change: { quorum: 1 },
      logLevel: 'info',
      teams: { appType: 'MultiTenant' },
    });
    expect(config.slack).toBeUndefined();
    expect(config.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', HOST: ' ', DATA_DIR: '', DATABASE_URL: '', LOG_LEVEL: '' })).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'pglite', dataDir: './data' },
      logLevel: 'info',
    });
  });

  it.each([
    ['Slack', SLACK],
    ['Teams', TEAMS],
  ])('binds every interface once %s credentials are set', (_name, env) => {
    expect(loadConfig(env)).toMatchObject({ host: '0.0.0.0', localMode: false });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...SLACK,
      ...TEAMS,
      PORT: '8080',
      HOST: '10.0.0.5',
      DATABASE_URL: 'postgresql://coe@db:5432/coe',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      COE_SLACK_CHANNEL_ID: 'C0REVIEW',
      MICROSOFT_APP_TENANT_ID: 'tenant',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      COE_MEMBERS: ' slack:U0123ABC , teams:00000000-0000-0000-0000-000000000000,',
      FRICTION_PATTERN_THRESHOLD: '5',
      FRICTION_PATTERN_DAYS: '30',
      CHANGE_APPROVAL_QUORUM: '2',
      WORK_DAYS: 'mon-thu',
      WORK_HOURS: '08:30-16:00',
      TRAINING_REMINDER_SCHEDULE: '30 8 * * *',
      TRAINING_MAX_REMINDERS: '5',
      STALE_NUDGE_SCHEDULE: '0 11 * * 1-5',
      STALE_TRIAGE_DAYS: '3',
      STALE_PROGRESS_DAYS: '15',
      METRICS_DIGEST_SCHEDULE: '0 8 * * 2',
      CONSTRAINT_SUMMARY_SCHEDULE: '0 8 2 * *',
      DATABASE_MAINTENANCE_SCHEDULE: '15 2 * * 0',
      METRICS_MIN_GROUP: '7',
      TZ: 'Europe/Berlin',
      LOG_LEVEL: 'debug',
    });
    expect(config).toEqual({
      port: 8080,
      host: '10.0.0.5',
      database: { kind: 'postgres', url: 'postgresql://coe@db:5432/coe' },
      slack: {
        botToken: 'xoxb-1-2-abc',
        signingSecret: 'shh',
        appToken: undefined,
        apiUrl: 'http://127.0.0.1:9999/api/',
        reviewChannelId: 'C0REVIEW',
      },
      teams: { appId: TEAMS.MICROSOFT_APP_ID, appPassword: 'pw', tenantId: 'tenant', appType: 'SingleTenant' },
      localMode: false,
      coeMembers: [
        { platform: 'slack', externalId: 'U0123ABC' },
        { platform: 'teams', externalId: '00000000-0000-0000-0000-000000000000' },
      ],
      friction: { recurrenceThreshold: 5, recurrenceWindowDays: 30 },
      change: { quorum: 2 },
      calendar: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4], start: 8 * 60 + 30, end: 16 * 60 },
      schedules: {
        trainingReminders: '30 8 * * *',
        staleNudges: '0 11 * * 1-5',
        metricsDigest: '0 8 * * 2',
        constraintSummary: '0 8 2 * *',
        databaseMaintenance: '15 2 * * 0',
      },
      training: { maxReminders: 5 },
      stale: { triageDays: 3, progressDays: 15 },
      metrics: { minGroup: 7 },
      timeZone: 'Europe/Berlin',
      logLevel: 'debug',
    });
  });

  it('never lets the minimum group size fall below 3', () => {
    expect(loadConfig({}).metrics.minGroup).toBe(5);
    for (const value of ['2', '0', 'few']) {
      expect(problems({ METRICS_MIN_GROUP: value })).toEqual([
        `METRICS_MIN_GROUP "${value}" must be 3 to 1000 people, e.g. 5`,
      ]);
    }
  });

  it('accepts Socket Mode without a signing secret', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.appToken).toBe('xapp-1');
  });

  it.each(['abc', '-1', '65536', '80.5', '3000abc'])('refuses PORT=%s, naming PORT', (port) => {
    const [problem, ...rest] = problems({ PORT: port });
    expect(rest).toEqual([]);
    expect(problem).toMatch(new RegExp(`^PORT "${port.replace('.', '\\.')}" is not a port`));
  });

  it.each([
    ['FRICTION_PATTERN_THRESHOLD', '1', '"1" must be 2 to 100 reports, e.g. 3'],
    ['FRICTION_PATTERN_THRESHOLD', 'three', '"three" must be 2 to 100 reports, e.g. 3'],
    ['FRICTION_PATTERN_DAYS', '0', '"0" must be 1 to 365 days, e.g. 14'],
    ['FRICTION_PATTERN_DAYS', '400', '"400" must be 1 to 365 days, e.g. 14'],
  ])('refuses %s=%s, naming it', (name, value, problem) => {
    expect(problems({ [name]: value })).toEqual([`${name} ${problem}`]);
  });

  it.each(['nonsense', 'mysql://x@y/z', 'postgres://'])('refuses DATABASE_URL=%s, naming it', (url) => {
    expect(problems({ DATABASE_URL: url })).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a Postgres connection string/),
    ]);
  });

  it.each(['bob', 'slack:', 'slack:U1,discord:123', 'teams:a b', 'SLACK:U1'])(
    'refuses COE_MEMBERS=%s, quoting the bad entry',
    (members) => {
      const [problem] = problems({ COE_MEMBERS: members });
      expect(problem).toMatch(/^COE_MEMBERS "[^"]+" is not platform:id; write e\.g\. slack:/);
    },
  );

  it('needs SLACK_SIGNING_SECRET with SLACK_BOT_TOKEN over HTTP', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is required/),
    ]);
  });

  it('needs SLACK_BOT_TOKEN with a signing secret or app token', () => {
    expect(problems({ SLACK_SIGNING_SECRET: 'shh' })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN is required/)]);
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1' })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN is required/)]);
  });

  it('refuses tokens of the wrong kind', () => {
    expect(problems({ ...SLACK, SLACK_BOT_TOKEN: 'abc' })[0]).toMatch(/^SLACK_BOT_TOKEN must be a Slack bot token/);
    expect(problems({ ...SLACK, SLACK_APP_TOKEN: 'xoxb-2' })[0]).toMatch(/^SLACK_APP_TOKEN must be an app-level token/);
    expect(problems({ SLACK_API_URL: 'not a url' })[0]).toMatch(/^SLACK_API_URL must be a URL/);
  });

  it.each(['Mars/Olympus_Mons', 'CEST+2', 'utc plus'])('refuses TZ=%s', (tz) => {
    expect(problems({ TZ: tz })).toEqual([expect.stringMatching(/^TZ is not a time zone; use an IANA name/)]);
  });

  it.each([
    ['WORK_DAYS', 'weekdays', /^WORK_DAYS "weekdays" is not a list of weekdays; write e\.g\. mon-fri/],
    ['WORK_DAYS', 'mon-xyz', /^WORK_DAYS /],
    ['WORK_HOURS', '9-5', /^WORK_HOURS "9-5" is not a span of hours; write e\.g\. 09:00-17:00/],
    ['WORK_HOURS', '17:00-09:00', /^WORK_HOURS /],
    ['TRAINING_REMINDER_SCHEDULE', 'every day', /^TRAINING_REMINDER_SCHEDULE "every day" is not a cron expression/],
    ['STALE_NUDGE_SCHEDULE', '61 * * * *', /^STALE_NUDGE_SCHEDULE /],
    ['TRAINING_MAX_REMINDERS', 'many', /^TRAINING_MAX_REMINDERS "many" must be 0 to 20 reminders/],
    ['STALE_TRIAGE_DAYS', '0', /^STALE_TRIAGE_DAYS /],
  ])('refuses %s=%s, naming it', (name, value, message) => {
    expect(problems({ [name]: value })).toEqual([expect.stringMatching(message)]);
  });

  it('reads working days as names, numbers and ranges, a week wrapping round', () => {
    expect(loadConfig({ WORK_DAYS: 'sun-thu' }).calendar.days).toEqual([0, 1, 2, 3, 4]);
    expect(loadConfig({ WORK_DAYS: 'mon,wed,5' }).calendar.days).toEqual([1, 3, 5]);
    expect(loadConfig({ WORK_DAYS: 'fri-mon' }).calendar.days).toEqual([0, 1, 5, 6]);
    expect(loadConfig({}).calendar).toMatchObject({ days: [1, 2, 3, 4, 5], start: 540, end: 1020 });
  });

  it.each(['verbose', 'INFO', '3'])('refuses LOG_LEVEL=%s', (level) => {
    expect(problems({ LOG_LEVEL: level })).toEqual([expect.stringMatching(/^LOG_LEVEL .*"info"/)]);
  });

  it('needs MICROSOFT_APP_PASSWORD with MICROSOFT_APP_ID, except for a managed identity', () => {
    expect(problems({ MICROSOFT_APP_ID: TEAMS.MICROSOFT_APP_ID })).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID/),
    ]);
    expect(
      loadConfig({ MICROSOFT_APP_ID: TEAMS.MICROSOFT_APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI' }).teams.appType,
    ).toBe('UserAssignedMSI');
    expect(problems({ ...TEAMS, MICROSOFT_APP_TYPE: 'Anything' })[0]).toMatch(/^MICROSOFT_APP_TYPE /);
  });

  it('names every bad variable at once, including missing companions', () => {
    const found = problems({ PORT: 'abc', TZ: 'Nowhere/Town', SLACK_BOT_TOKEN: 'xoxb-1', MICROSOFT_APP_ID: 'id' });
    expect(found.map((p) => p.split(' ')[0]).sort()).toEqual([
      'MICROSOFT_APP_PASSWORD',
      'PORT',
      'SLACK_SIGNING_SECRET',
      'TZ',
    ]);
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

export const BUNDLED_RULES = fileURLToPath(new URL('../rules/default.yml', import.meta.url));
const SCENARIOS_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
export const BUNDLED_SCENARIO = `${SCENARIOS_DIR}exposed-access-key`;

/**
 * The scenarios sirbot ships, by name; `SIRBOT_SCENARIO` takes one of these or a folder.
 * None in a Lambda bundle, which carries no scenarios (and must still start).
 */
export function bundledScenarios(): string[] {
  if (!existsSync(SCENARIOS_DIR)) return [];
  return readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const optionalSecret = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
/** An optional setting (empty is unset) that must match `pattern` when given. */
const optionalMatching = (pattern: RegExp, message: string) => optionalSecret.refine((v) => v === undefined || pattern.test(v), message);

// The shapes several settings share, each written once.
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
const ATHENA_WORKGROUP = /^[A-Za-z0-9._-]{1,128}$/;
const GLUE_NAME = /^[A-Za-z0-9_]{1,255}$/;

const slackIds = z
  .string()
  .default('')
  .refine(
    (v) =>
      v
        .split(/[\s,]+/)
        .filter(Boolean)
        .every((id) => /^[UWS][A-Z0-9]{2,}$/.test(id)),
    'must be comma-separated Slack user (U…/W…) or user group (S…) ids',
  );

/**
 * Every setting sirbot reads from the environment, validated once at start-up. A
 * wrong value stops start-up with the variable's name and what it expects.
 */
export const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('127.0.0.1'),
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_BOT_TOKEN: optionalSecret.refine((v) => v === undefined || v.startsWith('xoxb-'), 'must be a bot token (xoxb-…)'),
  SLACK_APP_TOKEN: optionalSecret.refine((v) => v === undefined || v.startsWith('xapp-'), 'must be an app-level token (xapp-…)'),
  /** Lambda: Secrets Manager secret holding {"signingSecret","botToken"}. */
  SIRBOT_SLACK_SECRET_ID: z.string().optional(),
  /** Points the Web API client elsewhere (the local emulator, a proxy). */
  SLACK_API_URL: z.url().optional(),
  SIRBOT_RULES: z.string().default(BUNDLED_RULES),
  SIRBOT_DB: z.string().default('sirbot.db'),
  SIRBOT_DEFAULT_CHANNEL: z.string().default('#security-findings'),
  SIRBOT_STORM_THRESHOLD: int(10, 1, 10_000),
  SIRBOT_STORM_WINDOW_SECONDS: int(60, 1, 86_400),
  SIRBOT_DIGEST_WINDOW_SECONDS: int(900, 1, 86_400),
  /** When set, POST /ingest requires `Authorization: Bearer <token>`. */
  SIRBOT_INGEST_TOKEN: optionalSecret,
  /**
   * GET /dead-letters and POST /dead-letters/:id/replay require `Authorization: Bearer <token>`;
   * unset, SIRBOT_INGEST_TOKEN is used, and with neither, a random token made at start.
   */
  SIRBOT_ADMIN_TOKEN: optionalSecret.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  /** Port of the embedded Slack emulator used when no Slack token is configured (0 = any free port). */
  SIRBOT_EMULATOR_PORT: int(3001, 0, 65535),
  /** Where investigations gather evidence: the embedded fake AWS seeded with a scenario, or real AWS. */
  SIRBOT_AWS: z.enum(['fake', 'real']).default('fake'),
  SIRBOT_SCENARIO: z
    .string()
    .default(BUNDLED_SCENARIO)
    .transform((v) => (bundledScenarios().includes(v) ? `${SCENARIOS_DIR}${v}` : v)),
  /** Real AWS: the role assumed in other accounts (`{account}` is replaced), its external id, and sirbot's own account. */
  SIRBOT_ROLE_NAME: z.string().optional(),
  SIRBOT_ROLE_EXTERNAL_ID: z.string().optional(),
  SIRBOT_HOME_ACCOUNT: z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id').optional(),
  /**
   * GuardDuty organization: findings are archived and unarchived through its administrator
   * account (members may not), reached through SIRBOT_ROLE_NAME there unless
   * SIRBOT_GUARDDUTY_ADMIN_ROLE names another role (a name, `{account}` replaced, or an ARN).
   */
  SIRBOT_GUARDDUTY_ADMIN_ACCOUNT: optionalMatching(ACCOUNT_ID, 'must be a 12-digit account id'),
  SIRBOT_GUARDDUTY_ADMIN_ROLE: optionalSecret,
  /** Who may act from Slack: Slack user ids (U…/W…) and user group ids (S…), comma-separated. */
  SIRBOT_RESPONDERS: slackIds,
  /** Who may approve destructive remediations (two-person rule); approvers may also respond. */
  SIRBOT_APPROVERS: slackIds,
  /** Emails added as watchers to every Security IR case (a case needs at least one). */
  SIRBOT_CASE_WATCHERS: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.email('must be comma-separated email addresses'))),
  /** Region of the Security Incident Response membership (default: AWS_REGION). */
  SIRBOT_SIR_REGION: z.string().regex(REGION, 'must be a region such as us-east-1').optional(),
  /**
   * A Bedrock model (Converse) that translates follow-up questions the grammar cannot read
   * into the same bounded search, called in sirbot's own account; unset, only the grammar
   * reads questions. The region defaults to AWS_REGION.
   */
  SIRBOT_BEDROCK_MODEL_ID: z
    .string()
    .regex(/^[\w.:-]{3,200}$/, 'must be a Bedrock model or inference profile id, e.g. amazon.nova-micro-v1:0')
    .optional(),
  SIRBOT_BEDROCK_REGION: z.string().regex(REGION, 'must be a region such as us-east-1').optional(),
  /** AWSSupport-ContainEC2Instance: S3 bucket for the security-group backup, and the automation role. */
  SIRBOT_CONTAINMENT_BACKUP_BUCKET: z.string().optional(),
  SIRBOT_CONTAINMENT_ROLE_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
    .optional(),
  /** Lambda: the DynamoDB table and the work queue (set by serverless.ts). */
  SIRBOT_TABLE: z
    .string()
    .regex(/^[\w.-]{3,255}$/, 'must be a DynamoDB table name')
    .optional(),
  SIRBOT_QUEUE_URL: z.url().optional(),
  /** Tests and local trials of the Lambda functions: DynamoDB elsewhere than AWS (dynalite, DynamoDB Local). */
  SIRBOT_DYNAMODB_ENDPOINT: z.url().optional(),
  /** How often due escalation steps are looked for. */
  SIRBOT_ESCALATION_TICK_SECONDS: int(15, 1, 3600),
  /** How often the local runtime looks for deliveries and digests left unfinished (Slack failing, a crash). */
  SIRBOT_RESUME_SECONDS: int(30, 1, 3600),
  /** The people file: who is behind principals their tags do not name (root, shared users, roles); see src/config/people-file.ts. */
  SIRBOT_PEOPLE: z.string().optional(),
  /** How long the person behind the credentials has to answer "Was this you?" before the finding escalates. */
  SIRBOT_PRINCIPAL_WAIT_MINUTES: int(30, 1, 10080),
  /** How often the local runtime looks at open cases for the AWS investigative agent's results (Security IR sends no event for them). */
  SIRBOT_AGENT_POLL_SECONDS: int(60, 1, 3600),
  /** Where the weekly numbers are posted (a channel id or #name); unset, there is no weekly post. */
  SIRBOT_STATS_CHANNEL: z
    .string()
    .regex(/^(?:#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{8,20})$/, 'must be a channel id (C…) or #name')
    .optional(),
  /** The weekday of the weekly post, 1 (Monday) to 7 (Sunday), and the hour (UTC) from which it is posted that day. */
  SIRBOT_STATS_WEEKDAY: int(1, 1, 7),
  SIRBOT_STATS_HOUR: int(9, 0, 23),
  /**
   * Paging on-call outside Slack (README "Paging on-call"): a PagerDuty Events API v2
   * integration's routing key, and the secret of the V3 webhook subscription that sends
   * acknowledgements back; an Opsgenie API integration's key, and the token its outgoing
   * webhook sends. The URLs point elsewhere (the local fakes, Opsgenie's EU instance).
   */
  SIRBOT_PAGERDUTY_ROUTING_KEY: optionalSecret.refine((v) => v === undefined || /^[A-Za-z0-9]{32}$/.test(v), 'must be a 32-character integration key'),
  SIRBOT_PAGERDUTY_EVENTS_URL: z.url().optional(),
  SIRBOT_PAGERDUTY_WEBHOOK_SECRET: optionalSecret,
  SIRBOT_OPSGENIE_API_KEY: optionalSecret,
  SIRBOT_OPSGENIE_API_URL: z.url().optional(),
  SIRBOT_OPSGENIE_WEBHOOK_TOKEN: optionalSecret.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  /**
   * The trail's long-term store, searched for what CloudTrail event history cannot show
   * (older than 90 days, calls by source IP, S3 data events): a CloudTrail Lake event data
   * store, else an Athena table over the trail's logs (`database.table`, the CloudTrail
   * table AWS documents, partition projection on `timestamp`), else the trail's bucket read
   * directly. Each lives in SIRBOT_ARCHIVE_ACCOUNT (default: the account investigated) and
   * SIRBOT_ARCHIVE_REGION (default: AWS_REGION). See config/archive.ts.
   */
  SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE: optionalSecret.refine(
    (v) => v === undefined || /^(arn:aws[\w-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/)?[A-Za-z0-9-]{1,128}$/.test(v),
    'must be an event data store ARN or id',
  ),
  SIRBOT_ARCHIVE_ATHENA_TABLE: optionalSecret.refine((v) => v === undefined || /^[A-Za-z0-9_]{1,255}\.[A-Za-z0-9_]{1,255}$/.test(v), 'must be database.table'),
  SIRBOT_ARCHIVE_ATHENA_WORKGROUP: z.string().regex(ATHENA_WORKGROUP, 'must be an Athena work group name').default('primary'),
  SIRBOT_ARCHIVE_ATHENA_OUTPUT: optionalMatching(S3_URI, 'must be an s3:// URI'),
  SIRBOT_ARCHIVE_BUCKET: optionalSecret.refine((v) => v === undefined || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v), 'must be an S3 bucket name'),
  /** The trail's S3 key prefix, if it has one. */
  SIRBOT_ARCHIVE_PREFIX: optionalSecret.refine((v) => v === undefined || /^[\w!.*'()/-]{1,200}$/.test(v), 'must be an S3 key prefix'),
  /** An organization trail writes under AWSLogs/<organization id>/<account>/. */
  SIRBOT_ARCHIVE_ORG_ID: optionalSecret.refine((v) => v === undefined || /^o-[a-z0-9]{10,32}$/.test(v), 'must be an organization id (o-…)'),
  SIRBOT_ARCHIVE_ACCOUNT: optionalMatching(ACCOUNT_ID, 'must be a 12-digit account id'),
  SIRBOT_ARCHIVE_REGION: optionalMatching(REGION, 'must be a region such as us-east-1'),
  /** Whether the trail records S3 data events (object reads and writes). */
  SIRBOT_ARCHIVE_DATA_EVENTS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Bounds on what one investigation's searches of the store may cost: bytes scanned (Lake, Athena), objects read (S3), records returned. */
  SIRBOT_ARCHIVE_MAX_BYTES: int(10 * 2 ** 30, 1, 2 ** 50),
  SIRBOT_ARCHIVE_MAX_OBJECTS: int(50_000, 1, 10_000_000),
  SIRBOT_ARCHIVE_MAX_RECORDS: int(5_000, 1, 1_000_000),
  /**
   * Amazon Security Lake, for network evidence (VPC flow logs, Route 53 resolver query
   * logs) through Athena: the Glue database Security Lake created
   * (`amazon_security_lake_glue_db_<region>`), its tables (default: the source version 2
   * names), where Athena runs. See config/security-lake.ts.
   */
  SIRBOT_SECURITY_LAKE_DATABASE: optionalMatching(GLUE_NAME, 'must be a Glue database name'),
  SIRBOT_SECURITY_LAKE_FLOW_TABLE: optionalMatching(GLUE_NAME, 'must be a Glue table name'),
  SIRBOT_SECURITY_LAKE_DNS_TABLE: optionalMatching(GLUE_NAME, 'must be a Glue table name'),
  SIRBOT_SECURITY_LAKE_WORKGROUP: z.string().regex(ATHENA_WORKGROUP, 'must be an Athena work group name').default('primary'),
  SIRBOT_SECURITY_LAKE_OUTPUT: optionalMatching(S3_URI, 'must be an s3:// URI'),
  SIRBOT_SECURITY_LAKE_ACCOUNT: optionalMatching(ACCOUNT_ID, 'must be a 12-digit account id'),
  SIRBOT_SECURITY_LAKE_REGION: optionalMatching(REGION, 'must be a region such as us-east-1'),
  /** Bounds on one investigation's network queries: rows per query, bytes scanned in all. */
  SIRBOT_SECURITY_LAKE_MAX_ROWS: int(500, 1, 100_000),
  SIRBOT_SECURITY_LAKE_MAX_BYTES: int(10 * 2 ** 30, 1, 2 ** 50),
  /** The fake AWS: which of its long-term stores the local runtime searches; unset, Lake when the scenario declares a trail (`scenario.json`). */
  SIRBOT_FAKE_ARCHIVE: z.enum(['lake', 'athena', 's3', 'none']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** How to fix a setting, beyond what its check says. */
const HOW_TO_FIX: Partial<Record<keyof Env, string>> = {
  SLACK_BOT_TOKEN: "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page, or unset it to use the emulator",
  SLACK_APP_TOKEN: 'create an app-level token with connections:write under Basic Information → App-Level Tokens',
  SIRBOT_RESPONDERS: 'list Slack member ids (profile → ⋮ → Copy member ID) and user group ids, comma-separated',
  SIRBOT_APPROVERS: 'list Slack member ids and user group ids, comma-separated',
  SIRBOT_CASE_WATCHERS: 'list the emails of your incident mailbox or on-call people, comma-separated',
  SIRBOT_SCENARIO: 'name a bundled scenario or a scenario folder (docs/SCENARIOS.md)',
  SIRBOT_ADMIN_TOKEN: 'a long random string, e.g. openssl rand -base64 32',
  SIRBOT_GUARDDUTY_ADMIN_ACCOUNT:
    'the delegated GuardDuty administrator (GuardDuty console → Settings → Accounts, or aws guardduty list-organization-admin-accounts in the management account); unset for standalone GuardDuty',
  SIRBOT_HOME_ACCOUNT: 'the 12-digit id of the account sirbot runs in (aws sts get-caller-identity)',
  SIRBOT_BEDROCK_MODEL_ID: 'a model id enabled in Bedrock (console → Model access), e.g. amazon.nova-micro-v1:0',
  SIRBOT_TABLE: 'serverless.ts sets it; locally, leave it unset (SQLite is used)',
  SIRBOT_QUEUE_URL: 'serverless.ts sets it; locally, leave it unset (jobs run in the process)',
  SIRBOT_PAGERDUTY_ROUTING_KEY: 'the Integration Key of an Events API v2 integration on the PagerDuty service (Service → Integrations)',
  SIRBOT_OPSGENIE_WEBHOOK_TOKEN: 'a long random string, e.g. openssl rand -hex 24, also set as a custom header of the Opsgenie webhook integration',
};

function describeIssue(path: PropertyKey[], message: string): string {
  const name = String(path[0] ?? '');
  const hint = HOW_TO_FIX[name as keyof Env];
  return `  ${path.map(String).join('.')}: ${message}${hint ? ` — ${hint}` : ''}`;
}

/**
 * The fake AWS needs its scenario folder; checked where the fake is started (the local
 * runtime, the CLI), not in Lambda, which never starts one.
 */
export function requireScenario(env: Env): string {
  if (existsSync(env.SIRBOT_SCENARIO)) return env.SIRBOT_SCENARIO;
  throw new ConfigError(
    `Invalid configuration: SIRBOT_SCENARIO: ${env.SIRBOT_SCENARIO} is neither a folder nor a bundled scenario — use one of ${bundledScenarios().join(', ')}, or a scenario folder (docs/SCENARIOS.md)`,
  );
}

export function parseEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => describeIssue(i.path, i.message));
  throw new ConfigError(`Invalid configuration (see README "Configuration"):\n${lines.join('\n')}`);
}

/** Lambda needs what serverless.ts provides; without it, nothing could be stored or queued. */
export function requireLambdaSettings(env: Env): Env & { SIRBOT_TABLE: string; SIRBOT_QUEUE_URL: string; SIRBOT_SLACK_SECRET_ID: string } {
  const missing = (['SIRBOT_TABLE', 'SIRBOT_QUEUE_URL', 'SIRBOT_SLACK_SECRET_ID'] as const).filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration for Lambda: ${missing.join(', ')} not set — deploy with serverless.ts, which sets them from the stack's table, queue and secret`,
    );
  }
  return env as Env & { SIRBOT_TABLE: string; SIRBOT_QUEUE_URL: string; SIRBOT_SLACK_SECRET_ID: string };
}

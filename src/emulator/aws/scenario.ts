import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Ec2State } from './ec2.ts';
import type { IamState } from './iam.ts';
import type { ScenarioFindings } from './findings.ts';
import type { S3State } from './s3.ts';
import type { TrustPolicy } from './sts.ts';
import { scenarioFileSchema, type TrailConfig, trailConfig } from './trail-config.ts';
import { normalizeText } from '../../ingest/normalize.ts';
import { camelizeKeys } from '../../ingest/guardduty.ts';

/**
 * A scenario is a folder anyone can fill with exported data:
 * - `cloudtrail/`: any number of files, each `{"Records": […]}` as CloudTrail writes
 *   them to S3 (optionally `.json.gz`), a JSON array of records, or JSON lines.
 * Each record is served in the account (`recipientAccountId`) and region (`awsRegion`)
 * it names, whatever the region string.
 */

export type RawRecord = Record<string, unknown> & { eventID: string; eventTime: string; eventName: string; awsRegion: string };

export interface Scenario {
  dir: string;
  /** IAM state (`iam.json`), as the IAM API returns it. */
  iam: IamState;
  /** EC2 state (`ec2.json`) per account and region. */
  ec2: Ec2State;
  /** S3 buckets (`s3.json`) per account; absent: no buckets. */
  s3?: S3State;
  /** Other findings (`findings/`), served by the fake GuardDuty and Security Hub. */
  findings: ScenarioFindings;
  /** Which roles may be assumed (`sts.json`); absent: any role in a scenario account. */
  trust: TrustPolicy | null;
  /** Records by `${account}|${region}`, newest first. */
  cloudtrail: Map<string, RawRecord[]>;
  /** Files or lines that could not be read, with why. */
  problems: string[];
  accounts: string[];
  latestEventMs: number | null;
  /** `scenario.json` `now`: the scenario's clock at start (default: a minute after the latest event). */
  nowMs: number | null;
  /** Where the trail keeps its records for the long term (`scenario.json` `trail`; trail-archive.ts). */
  trail: TrailConfig;
}

function readText(file: string): string {
  const buf = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
}

function recordsIn(text: string, file: string, problems: string[]): unknown[] {
  try {
    const doc: unknown = JSON.parse(text);
    if (Array.isArray(doc)) return doc;
    if (doc && typeof doc === 'object' && Array.isArray((doc as { Records?: unknown }).Records)) return (doc as { Records: unknown[] }).Records;
    return [doc];
  } catch {
    const out: unknown[] = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push(JSON.parse(line));
      } catch (err) {
        problems.push(`${file}:${i + 1}: not JSON (${(err as Error).message})`);
      }
    });
    return out;
  }
}

function isRecord(r: unknown): r is RawRecord {
  if (!r || typeof r !== 'object') return false;
  const o = r as Record<string, unknown>;
  return typeof o.eventID === 'string' && typeof o.eventTime === 'string' && typeof o.eventName === 'string' && typeof o.awsRegion === 'string';
}

export function accountOf(r: RawRecord): string {
  if (typeof r.recipientAccountId === 'string') return r.recipientAccountId;
  const id = (r.userIdentity as { accountId?: unknown } | undefined)?.accountId;
  return typeof id === 'string' ? id : 'unknown';
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    return /\.(json|jsonl|ndjson)(\.gz)?$/.test(name) ? [full] : [];
  });
}

/** Loads CloudTrail records from `dir/cloudtrail` plus any extra files or folders given. */
export function loadScenario(dir: string, extraCloudTrail: string[] = []): Scenario {
  const problems: string[] = [];
  const cloudtrail = new Map<string, RawRecord[]>();
  const seen = new Set<string>();
  const files = [...filesUnder(path.join(dir, 'cloudtrail')), ...extraCloudTrail.flatMap((p) => (statSync(p).isDirectory() ? filesUnder(p) : [p]))];
  let latest: number | null = null;
  for (const file of files) {
    let text: string;
    try {
      text = readText(file);
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    for (const r of recordsIn(text, file, problems)) {
      if (!isRecord(r)) {
        problems.push(`${file}: a record without eventID, eventTime, eventName or awsRegion was skipped`);
        continue;
      }
      const t = Date.parse(r.eventTime);
      if (Number.isNaN(t) || seen.has(r.eventID)) continue;
      seen.add(r.eventID);
      latest = latest === null ? t : Math.max(latest, t);
      const key = `${accountOf(r)}|${r.awsRegion}`;
      cloudtrail.set(key, [...(cloudtrail.get(key) ?? []), r]);
    }
  }
  for (const list of cloudtrail.values()) list.sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
  const accounts = [...new Set([...cloudtrail.keys()].map((k) => k.split('|')[0] as string))];
  const iam = readOptionalJson<IamState>(path.join(dir, 'iam.json'), problems) ?? { accounts: {} };
  const ec2 = readOptionalJson<Ec2State>(path.join(dir, 'ec2.json'), problems) ?? { accounts: {} };
  const s3 = readOptionalJson<S3State>(path.join(dir, 's3.json'), problems) ?? { accounts: {} };
  const findings = loadFindings(path.join(dir, 'findings'), problems);
  const administrator = guardDutyAdministrator(path.join(dir, 'guardduty.json'), problems);
  if (administrator) findings.guardDutyAdministrator = administrator;
  const trust = readOptionalJson<TrustPolicy>(path.join(dir, 'sts.json'), problems);
  const all = [...new Set([...accounts, ...Object.keys(iam.accounts ?? {}), ...(administrator ? [administrator] : [])])];
  const file = path.join(dir, 'scenario.json');
  const parsed = scenarioFileSchema.safeParse(readOptionalJson<unknown>(file, problems) ?? {});
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  const config = parsed.success ? parsed.data : {};
  const nowMs = config.now ? Date.parse(config.now) : null;
  const trail = trailConfig(config.trail ?? {}, all, firstRegion(cloudtrail) ?? 'us-east-1', config.trail !== undefined);
  return { dir, iam, ec2, s3, findings, trust, cloudtrail, problems, accounts: all, latestEventMs: latest, nowMs, trail };
}

function firstRegion(cloudtrail: Map<string, RawRecord[]>): string | undefined {
  return [...cloudtrail.keys()][0]?.split('|')[1];
}

/** `guardduty.json`: `{"administratorAccount": "<12 digits>"}` puts the scenario's accounts in one GuardDuty organization. */
function guardDutyAdministrator(file: string, problems: string[]): string | undefined {
  const config = readOptionalJson<{ administratorAccount?: unknown }>(file, problems);
  if (!config) return undefined;
  const account = config.administratorAccount;
  if (typeof account === 'string' && /^\d{12}$/.test(account)) return account;
  problems.push(`${file}: administratorAccount must be a 12-digit account id`);
  return undefined;
}

/** Any finding files sirbot can ingest; GuardDuty ones are served by GuardDuty, ASFF and OCSF by Security Hub. */
function loadFindings(dir: string, problems: string[]): ScenarioFindings {
  const out: ScenarioFindings = { guardduty: new Map(), securityhub: new Map(), ocsf: new Map() };
  for (const file of filesUnder(dir)) {
    const result = normalizeText(readText(file), path.basename(file));
    for (const e of result.errors) problems.push(`${file}: ${e.path}: ${e.message}`);
    for (const f of result.findings) {
      const key = `${f.accountId}|${f.region}`;
      const bucket = f.schema === 'guardduty' ? out.guardduty : f.schema === 'asff' ? out.securityhub : out.ocsf;
      if (!bucket) continue;
      const raw = f.raw as Record<string, unknown>;
      bucket.set(key, [...(bucket.get(key) ?? []), f.schema === 'guardduty' && 'AccountId' in raw ? (camelizeKeys(raw) as Record<string, unknown>) : raw]);
    }
  }
  return out;
}

function readOptionalJson<T>(file: string, problems: string[]): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return null;
  }
}

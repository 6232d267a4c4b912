import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Scenario } from './scenario.ts';

/** Account Management's opt-in statuses (ListRegions' `RegionOptStatus`). */
export type RegionOptStatus = 'ENABLED' | 'ENABLING' | 'DISABLING' | 'DISABLED' | 'ENABLED_BY_DEFAULT';

export interface ScenarioRegion {
  name: string;
  status: RegionOptStatus;
}

/** The regions every account has, which cannot be disabled (the rest are opt-in). */
export const DEFAULT_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
]);
const STATUSES = new Set<string>(['ENABLED', 'ENABLING', 'DISABLING', 'DISABLED', 'ENABLED_BY_DEFAULT']);
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * `scenario.json`'s `regions`, read tolerant of the other keys the file holds (`now`…):
 * each a region name (enabled: by default, or opted in) or `{"name", "status"}` with an
 * opt-in status, e.g. `{"name": "ap-east-1", "status": "DISABLED"}`. What cannot be read
 * is left out, and said in `problems`.
 */
export function scenarioJsonRegions(dir: string, problems: string[] = []): ScenarioRegion[] {
  const file = path.join(dir, 'scenario.json');
  if (!existsSync(file)) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return [];
  }
  const regions = (doc as { regions?: unknown } | null)?.regions;
  if (regions === undefined) return [];
  if (!Array.isArray(regions)) {
    problems.push(`${file}: regions must be a list`);
    return [];
  }
  const out: ScenarioRegion[] = [];
  for (const r of regions) {
    const name = typeof r === 'string' ? r : (r as { name?: unknown } | null)?.name;
    const status = typeof r === 'string' ? undefined : (r as { status?: unknown } | null)?.status;
    if (typeof name !== 'string' || !REGION_NAME.test(name) || (status !== undefined && !STATUSES.has(String(status)))) {
      problems.push(`${file}: ${JSON.stringify(r)} is not a region name or {"name", "status"}`);
      continue;
    }
    out.push({ name, status: (status as RegionOptStatus | undefined) ?? defaultStatus(name) });
  }
  return out;
}

const defaultStatus = (name: string): RegionOptStatus => (DEFAULT_REGIONS.has(name) ? 'ENABLED_BY_DEFAULT' : 'ENABLED');

/**
 * The regions the scenario's accounts have: those its CloudTrail records and `ec2.json`
 * use (enabled, or they could not have activity), plus `scenario.json`'s, whose status
 * wins. us-east-1 is always there, as in every account. Sorted by name, as AWS lists them.
 */
export function scenarioRegions(scenario: Pick<Scenario, 'dir' | 'cloudtrail' | 'ec2' | 'problems'>): ScenarioRegion[] {
  const used = new Set<string>(['us-east-1']);
  for (const key of scenario.cloudtrail.keys()) used.add(key.split('|')[1] as string);
  for (const regions of Object.values(scenario.ec2.accounts ?? {})) for (const r of Object.keys(regions)) used.add(r);
  const byName = new Map<string, ScenarioRegion>();
  for (const name of used) if (REGION_NAME.test(name)) byName.set(name, { name, status: defaultStatus(name) });
  for (const r of scenarioJsonRegions(scenario.dir, scenario.problems)) byName.set(r.name, r);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

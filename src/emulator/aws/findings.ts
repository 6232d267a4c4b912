import type { IncomingMessage } from 'node:http';
import { AwsError } from './errors.ts';

/**
 * GuardDuty and Security Hub findings of a scenario (`findings/`: any files of
 * findings as sirbot ingests them). Served by GuardDuty's ListDetectors, ListFindings
 * and GetFindings, and Security Hub's GetFindings (restJson1), per account and region.
 */
export interface ScenarioFindings {
  /** GuardDuty findings in their API form (camelCase), by `${account}|${region}`. */
  guardduty: Map<string, Array<Record<string, unknown>>>;
  /** ASFF findings, by `${account}|${region}`. */
  securityhub: Map<string, Array<Record<string, unknown>>>;
  /** OCSF (Security Hub V2) findings, by `${account}|${region}`; only BatchUpdateFindingsV2 reaches them. */
  ocsf?: Map<string, Array<Record<string, unknown>>>;
  /**
   * The GuardDuty administrator account of the scenario's organization (`guardduty.json`);
   * absent: every account is standalone. The administrator sees its members' findings
   * and is the only account that may archive them.
   */
  guardDutyAdministrator?: string;
}

/**
 * The GuardDuty findings an account's detector serves in a region: its own, and for the
 * organization's administrator, every member's too.
 */
export function guardDutyFindingsSeenBy(findings: ScenarioFindings, account: string, region: string): Array<Record<string, unknown>> {
  if (findings.guardDutyAdministrator !== account) return findings.guardduty.get(`${account}|${region}`) ?? [];
  return [...findings.guardduty.entries()].filter(([key]) => key.endsWith(`|${region}`)).flatMap(([, list]) => list);
}

/** The detector of an account and region whose findings name none. */
const DETECTOR = '0123456789abcdef0123456789abcdef';

/**
 * An account has one detector per region; the findings' own detector id is used so
 * that calls built from a finding (its ARN names the detector) reach it.
 */
export function detectorIds(findings: ScenarioFindings, key: string): string[] {
  const ids = (findings.guardduty.get(key) ?? []).map((f) => {
    const fromService = (f.service as { detectorId?: unknown } | undefined)?.detectorId;
    return typeof fromService === 'string' ? fromService : /detector\/([0-9a-f]+)\//.exec(String(f.arn ?? ''))?.[1];
  });
  const named = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  return named.length > 0 ? named : [DETECTOR];
}

export function checkDetector(findings: ScenarioFindings, key: string, detectorId: string): void {
  if (!detectorIds(findings, key).includes(detectorId)) {
    throw new AwsError('BadRequestException', 'The request is rejected because the input detectorId is not owned by the current account.', 400);
  }
}

/** GuardDuty and Security Hub operations by method and path, for the call log. */
export function findingsOperation(service: string, method: string, path: string): string {
  const routes: Array<[string, string, RegExp, string]> = [
    ['guardduty', 'GET', /^\/detector$/, 'ListDetectors'],
    ['guardduty', 'POST', /^\/detector\/[^/]+\/findings$/, 'ListFindings'],
    ['guardduty', 'POST', /^\/detector\/[^/]+\/findings\/get$/, 'GetFindings'],
    ['guardduty', 'POST', /^\/detector\/[^/]+\/findings\/archive$/, 'ArchiveFindings'],
    ['guardduty', 'POST', /^\/detector\/[^/]+\/findings\/unarchive$/, 'UnarchiveFindings'],
    ['securityhub', 'POST', /^\/findings$/, 'GetFindings'],
    ['securityhub', 'PATCH', /^\/findings\/batchupdate$/, 'BatchUpdateFindings'],
    ['securityhub', 'PATCH', /^\/findingsv2\/batchupdatev2$/, 'BatchUpdateFindingsV2'],
  ];
  return routes.find(([s, m, p]) => s === service && m === method && p.test(path))?.[3] ?? `${method} ${path}`;
}

function get(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const key of path.split('.')) {
    current = current.flatMap((c) => {
      if (!c || typeof c !== 'object') return [];
      const v = (c as Record<string, unknown>)[key];
      return v === undefined ? [] : Array.isArray(v) ? v : [v];
    });
  }
  return current;
}

type Criterion = { Eq?: string[]; eq?: string[]; Equals?: string[]; equals?: string[] };

/** ListFindings' `FindingCriteria.Criterion`: field → {Eq: [...]}; every field must hold. */
function matchesCriteria(finding: Record<string, unknown>, criteria: Record<string, Criterion>): boolean {
  return Object.entries(criteria).every(([field, c]) => {
    const wanted = c.Eq ?? c.eq ?? c.Equals ?? c.equals ?? [];
    const values = get(finding, field).map(String);
    return wanted.length === 0 || values.some((v) => wanted.includes(v));
  });
}

/** Security Hub GetFindings `Filters`: EQUALS on ResourceId, Id, AwsAccountId, Type… (others pass). */
function matchesFilters(finding: Record<string, unknown>, filters: Record<string, Array<{ Value?: string; Comparison?: string }>>): boolean {
  const paths: Record<string, string> = { ResourceId: 'Resources.Id', Id: 'Id', AwsAccountId: 'AwsAccountId', Type: 'Types', ResourceType: 'Resources.Type' };
  return Object.entries(filters).every(([field, list]) => {
    const path = paths[field];
    if (!path) return true;
    const values = get(finding, path).map(String);
    return list.some((f) => (f.Comparison === 'PREFIX' ? values.some((v) => v.startsWith(f.Value ?? '')) : values.includes(f.Value ?? '')));
  });
}

export function findingsRoute(
  findings: ScenarioFindings,
  account: string,
  region: string,
  req: IncomingMessage,
  body: string,
): { status: number; body: unknown } | null {
  const url = new URL(req.url ?? '/', 'http://fake');
  const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const key = `${account}|${region}`;
  if (req.method === 'GET' && url.pathname === '/detector') return { status: 200, body: { detectorIds: detectorIds(findings, key) } };
  const list = /^\/detector\/([^/]+)\/findings$/.exec(url.pathname);
  if (req.method === 'POST' && list) {
    checkDetector(findings, key, decodeURIComponent(list[1] as string));
    const criteria = ((input.findingCriteria as { criterion?: Record<string, Criterion> } | undefined)?.criterion ?? {}) as Record<string, Criterion>;
    const ids = guardDutyFindingsSeenBy(findings, account, region)
      .filter((f) => matchesCriteria(f, criteria))
      .map((f) => String(f.id));
    return { status: 200, body: { findingIds: ids } };
  }
  const getFindings = /^\/detector\/([^/]+)\/findings\/get$/.exec(url.pathname);
  if (req.method === 'POST' && getFindings) {
    checkDetector(findings, key, decodeURIComponent(getFindings[1] as string));
    const ids = new Set((input.findingIds as string[] | undefined) ?? []);
    return { status: 200, body: { findings: guardDutyFindingsSeenBy(findings, account, region).filter((f) => ids.has(String(f.id))) } };
  }
  if (req.method === 'POST' && url.pathname === '/findings') {
    const filters = (input.Filters ?? {}) as Record<string, Array<{ Value?: string; Comparison?: string }>>;
    return { status: 200, body: { Findings: (findings.securityhub.get(key) ?? []).filter((f) => matchesFilters(f, filters)) } };
  }
  return null;
}

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
}

const DETECTOR = '0123456789abcdef0123456789abcdef';

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
  if (req.method === 'GET' && url.pathname === '/detector') return { status: 200, body: { detectorIds: [DETECTOR] } };
  const list = /^\/detector\/([^/]+)\/findings$/.exec(url.pathname);
  if (req.method === 'POST' && list) {
    if (list[1] !== DETECTOR) throw new AwsError('BadRequestException', 'The request is rejected because the input detectorId is not owned by the current account.', 400);
    const criteria = ((input.findingCriteria as { criterion?: Record<string, Criterion> } | undefined)?.criterion ?? {}) as Record<string, Criterion>;
    const ids = (findings.guardduty.get(key) ?? []).filter((f) => matchesCriteria(f, criteria)).map((f) => String(f.id));
    return { status: 200, body: { findingIds: ids } };
  }
  const getFindings = /^\/detector\/([^/]+)\/findings\/get$/.exec(url.pathname);
  if (req.method === 'POST' && getFindings) {
    const ids = new Set((input.findingIds as string[] | undefined) ?? []);
    return { status: 200, body: { findings: (findings.guardduty.get(key) ?? []).filter((f) => ids.has(String(f.id))) } };
  }
  if (req.method === 'POST' && url.pathname === '/findings') {
    const filters = (input.Filters ?? {}) as Record<string, Array<{ Value?: string; Comparison?: string }>>;
    return { status: 200, body: { Findings: (findings.securityhub.get(key) ?? []).filter((f) => matchesFilters(f, filters)) } };
  }
  return null;
}

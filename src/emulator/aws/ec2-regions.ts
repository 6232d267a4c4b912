import { AwsError } from './errors.ts';
import { ec2Response, el, items, listParam } from './ec2.ts';
import type { RegionOptStatus, ScenarioRegion } from './scenario-regions.ts';

/** EC2's word for a region's opt-in status. */
const OPT_IN: Record<RegionOptStatus, string> = {
  ENABLED_BY_DEFAULT: 'opt-in-not-required',
  ENABLED: 'opted-in',
  ENABLING: 'not-opted-in',
  DISABLING: 'not-opted-in',
  DISABLED: 'not-opted-in',
};
const FILTERS = ['region-name', 'opt-in-status', 'endpoint'];

/**
 * EC2 DescribeRegions (query protocol) over the scenario's regions: the enabled ones
 * unless `AllRegions=true`, narrowed by `RegionName.N` and the `region-name`,
 * `opt-in-status` and `endpoint` filters. A region name EC2 does not know is refused.
 */
export function describeRegions(regions: ScenarioRegion[], params: URLSearchParams): string {
  const names = listParam(params, 'RegionName');
  const unknown = names.find((n) => !regions.some((r) => r.name === n));
  if (unknown) throw new AwsError('InvalidParameterValue', `Invalid region name: ${unknown}`, 400);
  const all = params.get('AllRegions') === 'true';
  const filters = new Map<string, string[]>();
  for (const [k, v] of params) {
    const m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (!m) continue;
    if (!FILTERS.includes(v)) throw new AwsError('InvalidParameterValue', `The filter '${v}' is invalid`, 400);
    filters.set(v, listParam(params, `Filter.${m[1]}.Value`));
  }
  const endpoint = (r: ScenarioRegion) => `ec2.${r.name}.amazonaws.com`;
  const pass = (values: string[] | undefined, v: string) => !values || values.includes(v);
  const found = regions.filter(
    (r) =>
      (all || names.length > 0 || OPT_IN[r.status] !== 'not-opted-in') &&
      (names.length === 0 || names.includes(r.name)) &&
      pass(filters.get('region-name'), r.name) &&
      pass(filters.get('opt-in-status'), OPT_IN[r.status]) &&
      pass(filters.get('endpoint'), endpoint(r)),
  );
  const render = (r: ScenarioRegion) => el('regionName', r.name) + el('regionEndpoint', endpoint(r)) + el('optInStatus', OPT_IN[r.status]);
  return ec2Response('DescribeRegions', `<regionInfo>${items(found, render)}</regionInfo>`);
}

import { AwsError } from './errors.ts';
import type { ScenarioRegion } from './scenario-regions.ts';

/**
 * The Account Management API's ListRegions (restJson1, `POST /listRegions`), over the
 * scenario's regions: at most `MaxResults` (1–50) a page, `NextToken` to go on, filtered
 * by `RegionOptStatusContains`. Asking about another account (`AccountId`) is an
 * organization's management account's business: refused here.
 */
const STATUSES = ['ENABLED', 'ENABLING', 'DISABLING', 'DISABLED', 'ENABLED_BY_DEFAULT'];

export class AccountValidation extends AwsError {
  constructor(
    message: string,
    readonly fieldList: Array<{ name: string; message: string }>,
  ) {
    super('ValidationException', message, 400);
  }
}

export function listRegions(regions: ScenarioRegion[], caller: string, input: Record<string, unknown>) {
  const accountId = input.AccountId;
  if (accountId !== undefined && accountId !== caller)
    throw new AwsError('AccessDeniedException', `Account ${String(accountId)} is not a member of an organization ${caller} manages.`, 403);
  const max = input.MaxResults ?? 20;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50)
    throw new AccountValidation('Invalid MaxResults', [{ name: 'MaxResults', message: 'must be between 1 and 50' }]);
  const wanted = input.RegionOptStatusContains;
  if (wanted !== undefined && (!Array.isArray(wanted) || wanted.some((s) => !STATUSES.includes(String(s)))))
    throw new AccountValidation('Invalid RegionOptStatusContains', [{ name: 'RegionOptStatusContains', message: `must be among ${STATUSES.join(', ')}` }]);
  const listed = regions.filter((r) => !wanted || (wanted as string[]).includes(r.status));
  const token = input.NextToken;
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^\d+$/.test(Buffer.from(String(token), 'base64').toString('utf8')) ? Number(Buffer.from(String(token), 'base64').toString('utf8')) : NaN;
    if (!Number.isInteger(decoded) || decoded > listed.length)
      throw new AccountValidation('Invalid NextToken', [{ name: 'NextToken', message: 'is not a token this call gave' }]);
    offset = decoded;
  }
  const page = listed.slice(offset, offset + max);
  const next = offset + max < listed.length ? Buffer.from(String(offset + max)).toString('base64') : undefined;
  return { Regions: page.map((r) => ({ RegionName: r.name, RegionOptStatus: r.status })), ...(next ? { NextToken: next } : {}) };
}

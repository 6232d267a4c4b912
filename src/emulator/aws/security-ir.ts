import { randomUUID } from 'node:crypto';
import { AwsError } from './errors.ts';
import { ValidationFailure, type SirState, type SirCase } from './security-ir-state.ts';
import {
  SIR_LIMITS,
  requireString,
  requireEnum,
  RESOLVERS,
  ENGAGEMENTS,
  SELF_MANAGED,
  NEW_CASE_STATUS,
  CLOSED_CASE_STATUS,
  CASE_ID,
  timestamp,
  accounts,
  watchers,
  threatActorIps,
  services,
  regions,
  tags,
  type Problems,
} from './security-ir-fields.ts';
import { paging, page, compareIds } from './security-ir-paging.ts';
import type { CaseStatus } from '../../domain/actions/case-status.ts';

export { SirState, ValidationFailure } from './security-ir-state.ts';
export type { SirCase, SirComment, SirEvent } from './security-ir-state.ts';

/**
 * A fake AWS Security Incident Response: cases and comments in memory, with the API's
 * validation as its model states it (required members, enum values, lengths, patterns,
 * list sizes and unique items), idempotent creation by `clientToken`, its status rules,
 * and the paginated listings (ListCases, ListComments) with opaque `nextToken`s. Every
 * request must carry a valid SigV4 signature for the `security-ir` signing name
 * (checked by the server).
 */

function caseOf(state: SirState, caseId: string): SirCase {
  const c = state.cases.get(caseId);
  if (!c) throw new AwsError('ResourceNotFoundException', `Case ${caseId} does not exist.`, 404);
  return c;
}

function publicCase(c: SirCase): Record<string, unknown> {
  const { comments: _comments, caseId: _id, tags: _tags, ...rest } = c;
  return rest;
}

const accountOfCase = (c: SirCase) => c.caseArn.split(':')[4];

const CASE_OPERATIONS = new Set([
  'get-case',
  'update-case',
  'update-case-status',
  'update-resolver-type',
  'close-case',
  'create-comment',
  'list-comments',
  'list-investigations',
  'get-presigned-url',
]);
const FEEDBACK_PATH = /^\/v1\/cases\/([^/]*)\/feedback\/([^/]*)\/send-feedback$/;
const INVESTIGATION_ID = /^inv-[a-z0-9]{10,32}$/;
const USEFULNESS = ['USEFUL', 'NOT_USEFUL'] as const;

/** Routes one Security IR request (already authenticated) to its operation. */
export function securityIrRoute(
  state: SirState,
  account: string,
  region: string,
  method: string,
  path: string,
  body: Record<string, unknown>,
  now: number,
): { status: number; body: unknown } {
  const problems: Problems = [];
  const fail = () => {
    if (problems.length > 0) throw new ValidationFailure(problems);
  };
  if (method === 'POST' && path === '/v1/create-case') {
    const clientToken = requireString(body, 'clientToken', SIR_LIMITS.clientToken.min, SIR_LIMITS.clientToken.max, problems, false);
    const resolverType = requireEnum(body, 'resolverType', RESOLVERS, problems);
    const title = requireString(body, 'title', SIR_LIMITS.title.min, SIR_LIMITS.title.max, problems);
    const description = requireString(body, 'description', SIR_LIMITS.description.min, SIR_LIMITS.description.max, problems);
    const engagementType = requireEnum(body, 'engagementType', ENGAGEMENTS, problems);
    const reportedIncidentStartDate = timestamp(body, 'reportedIncidentStartDate', problems, true);
    const impactedAccounts = accounts(body, 'impactedAccounts', problems, true) ?? [];
    const watcherList = watchers(body, 'watchers', problems, true) ?? [];
    const threatActorIpAddresses = threatActorIps(body, 'threatActorIpAddresses', problems) ?? [];
    const impactedServices = services(body, 'impactedServices', problems) ?? [];
    const impactedAwsRegions = regions(body, 'impactedAwsRegions', problems) ?? [];
    const caseTags = tags(body, problems) ?? {};
    fail();
    // The same client token is the same case: retries and double submits create one.
    const existing = clientToken ? state.tokens.get(`${account}|${clientToken}`) : undefined;
    if (existing) return { status: 201, body: { caseId: existing } };
    const caseId = state.nextCaseId();
    state.cases.set(caseId, {
      caseId,
      caseArn: `arn:aws:security-ir:${region}:${account}:case/${caseId}`,
      title: title as string,
      description: description as string,
      caseStatus: NEW_CASE_STATUS,
      engagementType: engagementType as string,
      resolverType: resolverType as string,
      reportedIncidentStartDate: reportedIncidentStartDate as number,
      impactedAccounts,
      watchers: watcherList,
      threatActorIpAddresses,
      impactedServices,
      impactedAwsRegions,
      tags: caseTags,
      createdDate: now / 1000,
      lastUpdatedDate: now / 1000,
      pendingAction: 'None',
      comments: [],
      investigations: [],
      caseAttachments: [],
    });
    if (clientToken) state.tokens.set(`${account}|${clientToken}`, caseId);
    state.emit(state.cases.get(caseId) as SirCase, 'Case Created', account, now);
    if (resolverType === 'AWS') state.handedToAws(caseId);
    state.caseCreated(caseId);
    return { status: 201, body: { caseId } };
  }
  if (method === 'POST' && path === '/v1/list-cases') {
    const paged = paging(body, problems);
    fail();
    // The caller's cases, newest first.
    const mine = [...state.cases.values()].filter((c) => accountOfCase(c) === account).sort((a, b) => compareIds(b.caseId, a.caseId));
    const { slice, nextToken } = page(
      mine,
      (c) => c.caseId,
      (key, last) => compareIds(key, last) < 0,
      'list-cases',
      paged,
    );
    const items = slice.map((c) => ({
      caseId: c.caseId,
      lastUpdatedDate: c.lastUpdatedDate,
      title: c.title,
      caseArn: c.caseArn,
      engagementType: c.engagementType,
      caseStatus: c.caseStatus,
      createdDate: c.createdDate,
      ...(c.closedDate !== undefined ? { closedDate: c.closedDate } : {}),
      resolverType: c.resolverType,
      pendingAction: c.pendingAction,
    }));
    return { status: 200, body: { items, total: mine.length, ...(nextToken ? { nextToken } : {}) } };
  }
  const feedback = FEEDBACK_PATH.exec(path);
  if (method === 'POST' && feedback) {
    const [, rawCase, rawResult] = feedback as unknown as [string, string, string];
    const caseId = decodeURIComponent(rawCase);
    const resultId = decodeURIComponent(rawResult);
    if (!CASE_ID.test(caseId)) problems.push({ name: 'caseId', message: 'must be 10 to 32 digits' });
    if (!INVESTIGATION_ID.test(resultId)) problems.push({ name: 'resultId', message: 'must match inv-[a-z0-9]{10,32}' });
    const usefulness = requireEnum(body, 'usefulness', USEFULNESS, problems);
    const comment = requireString(body, 'comment', 1, 1000, problems, false);
    fail();
    const action = caseOf(state, caseId).investigations.find((i) => i.investigationId === resultId);
    if (!action) throw new AwsError('ResourceNotFoundException', `Investigation result ${resultId} does not exist.`, 404);
    action.feedback = { usefulness: usefulness as (typeof USEFULNESS)[number], ...(comment ? { comment } : {}), submittedAt: now / 1000 };
    return { status: 200, body: {} };
  }
  const m = /^\/v1\/cases\/([^/]*)\/([a-z-]+)$/.exec(path);
  if (!m || !CASE_OPERATIONS.has(m[2] as string)) throw new AwsError('UnknownOperationException', `no Security IR operation at ${method} ${path}`, 404);
  const [, rawId, op] = m as unknown as [string, string, string];
  const caseId = decodeURIComponent(rawId);
  if (!CASE_ID.test(caseId)) throw new ValidationFailure([{ name: 'caseId', message: 'must be 10 to 32 digits' }]);
  const c = caseOf(state, caseId);
  const touch = () => {
    c.lastUpdatedDate = now / 1000;
  };
  switch (`${method} ${op}`) {
    case 'GET get-case':
      return { status: 200, body: publicCase(c) };
    case 'POST update-case': {
      const title = requireString(body, 'title', SIR_LIMITS.title.min, SIR_LIMITS.title.max, problems, false);
      const description = requireString(body, 'description', SIR_LIMITS.description.min, SIR_LIMITS.description.max, problems, false);
      const reported = timestamp(body, 'reportedIncidentStartDate', problems, false);
      const actual = timestamp(body, 'actualIncidentStartDate', problems, false);
      const engagementType = requireEnum(body, 'engagementType', ENGAGEMENTS, problems, false);
      const watchersToAdd = watchers(body, 'watchersToAdd', problems, false) ?? [];
      const watchersToDelete = watchers(body, 'watchersToDelete', problems, false) ?? [];
      const ipsToAdd = threatActorIps(body, 'threatActorIpAddressesToAdd', problems) ?? [];
      const ipsToDelete = threatActorIps(body, 'threatActorIpAddressesToDelete', problems) ?? [];
      const servicesToAdd = services(body, 'impactedServicesToAdd', problems) ?? [];
      const servicesToDelete = services(body, 'impactedServicesToDelete', problems) ?? [];
      const regionsToAdd = regions(body, 'impactedAwsRegionsToAdd', problems) ?? [];
      const regionsToDelete = regions(body, 'impactedAwsRegionsToDelete', problems) ?? [];
      const accountsToAdd = accounts(body, 'impactedAccountsToAdd', problems, false) ?? [];
      const accountsToDelete = accounts(body, 'impactedAccountsToDelete', problems, false) ?? [];
      fail();
      // The case as it would be; only committed if it still fits the model's limits.
      const next = {
        watchers: [
          ...c.watchers.filter((w) => !watchersToDelete.some((d) => d.email === w.email)),
          ...watchersToAdd.filter((w) => !c.watchers.some((x) => x.email === w.email)),
        ],
        threatActorIpAddresses: [
          ...c.threatActorIpAddresses.filter(
            (t) => !ipsToDelete.some((d) => d.ipAddress === t.ipAddress && (d.userAgent === undefined || d.userAgent === t.userAgent)),
          ),
          ...ipsToAdd.filter((t) => !c.threatActorIpAddresses.some((x) => x.ipAddress === t.ipAddress && x.userAgent === t.userAgent)),
        ],
        impactedServices: [...c.impactedServices.filter((s) => !servicesToDelete.includes(s)), ...servicesToAdd.filter((s) => !c.impactedServices.includes(s))],
        impactedAwsRegions: [
          ...c.impactedAwsRegions.filter((r) => !regionsToDelete.some((d) => d.region === r.region)),
          ...regionsToAdd.filter((r) => !c.impactedAwsRegions.some((x) => x.region === r.region)),
        ],
        impactedAccounts: [...c.impactedAccounts.filter((a) => !accountsToDelete.includes(a)), ...accountsToAdd.filter((a) => !c.impactedAccounts.includes(a))],
      };
      for (const key of Object.keys(next) as Array<keyof typeof next>) {
        const max = SIR_LIMITS[key].max;
        if (next[key].length > max) problems.push({ name: key, message: `the case would have ${next[key].length}; at most ${max} are allowed` });
      }
      fail();
      Object.assign(c, next);
      if (title !== undefined) c.title = title;
      if (description !== undefined) c.description = description;
      if (reported !== undefined) c.reportedIncidentStartDate = reported;
      if (actual !== undefined) c.actualIncidentStartDate = actual;
      if (engagementType !== undefined) c.engagementType = engagementType;
      touch();
      state.emit(c, 'Case Updated', account, now);
      return { status: 200, body: {} };
    }
    case 'POST update-case-status': {
      const status = requireEnum(body, 'caseStatus', SELF_MANAGED, problems);
      fail();
      if (c.resolverType === 'AWS') {
        throw new ValidationFailure([{ name: 'caseStatus', message: 'an AWS-supported case changes status through AWS; close it with CloseCase' }]);
      }
      if (c.caseStatus === CLOSED_CASE_STATUS) throw new AwsError('ConflictException', `Case ${caseId} is closed.`, 409);
      c.caseStatus = status as string;
      touch();
      state.emit(c, 'Case Updated', account, now);
      return { status: 201, body: { caseStatus: c.caseStatus } };
    }
    case 'POST update-resolver-type': {
      const resolver = requireEnum(body, 'resolverType', RESOLVERS, problems);
      fail();
      if (c.resolverType === 'AWS' && resolver === 'Self') {
        throw new ValidationFailure([{ name: 'resolverType', message: 'changing an AWS-supported case back to self-managed is not possible' }]);
      }
      const handedOver = resolver === 'AWS' && c.resolverType !== 'AWS';
      c.resolverType = resolver as string;
      if (resolver === 'AWS' && c.caseStatus === NEW_CASE_STATUS) c.caseStatus = 'Detection and Analysis' satisfies CaseStatus;
      touch();
      state.emit(c, 'Case Updated', account, now);
      if (handedOver) state.handedToAws(caseId);
      return { status: 200, body: { caseId, caseStatus: c.caseStatus, resolverType: c.resolverType } };
    }
    case 'POST close-case':
      c.caseStatus = CLOSED_CASE_STATUS;
      c.closedDate = now / 1000;
      touch();
      state.emit(c, 'Case Closed', account, now);
      return { status: 200, body: { caseStatus: c.caseStatus, closedDate: c.closedDate } };
    case 'POST create-comment': {
      const text = requireString(body, 'body', SIR_LIMITS.commentBody.min, SIR_LIMITS.commentBody.max, problems);
      const clientToken = requireString(body, 'clientToken', SIR_LIMITS.clientToken.min, SIR_LIMITS.clientToken.max, problems, false);
      fail();
      const known = clientToken ? state.tokens.get(`${account}|${caseId}|comment|${clientToken}`) : undefined;
      if (known) return { status: 201, body: { commentId: known } };
      const commentId = String(c.comments.length + 1).padStart(6, '0');
      c.comments.push({ commentId, body: text as string, createdDate: now / 1000, lastUpdatedDate: now / 1000, creator: account, lastUpdatedBy: account });
      if (clientToken) state.tokens.set(`${account}|${caseId}|comment|${clientToken}`, commentId);
      touch();
      state.emit(c, 'Case Comment Added', account, now);
      return { status: 201, body: { commentId } };
    }
    case 'POST get-presigned-url': {
      // GetCaseAttachmentUploadUrl: a URL the file is PUT to (presigned: no signature of the caller's).
      const fileName = requireString(body, 'fileName', 1, 255, problems);
      if (fileName && !/^[a-zA-Z0-9._-]+$/.test(fileName)) problems.push({ name: 'fileName', message: 'must match [a-zA-Z0-9._-]+' });
      const contentLength = body.contentLength;
      if (typeof contentLength !== 'number' || !Number.isInteger(contentLength) || contentLength < 1 || contentLength > 104_857_600)
        problems.push({ name: 'contentLength', message: 'must be an integer from 1 to 104857600' });
      const clientToken = requireString(body, 'clientToken', SIR_LIMITS.clientToken.min, SIR_LIMITS.clientToken.max, problems);
      fail();
      if (c.caseAttachments.length >= 50) throw new ValidationFailure([{ name: 'caseAttachments', message: 'a case holds at most 50 attachments' }]);
      const key = `${account}|${caseId}|upload|${clientToken}`;
      const uploadId = state.tokens.get(key) ?? randomUUID();
      state.tokens.set(key, uploadId);
      if (!state.uploads.has(uploadId))
        state.uploads.set(uploadId, {
          caseId,
          fileName: fileName as string,
          contentLength: contentLength as number,
          creator: account,
          attachmentId: randomUUID(),
        });
      return { status: 201, body: { attachmentPresignedUrl: `/sir-uploads/${uploadId}` } };
    }
    case 'GET list-investigations': {
      // Paging in the query string (the operation is a GET); 20 a page unless asked.
      const paged = paging({ maxResults: body.maxResults === undefined ? 20 : Number(body.maxResults), nextToken: body.nextToken }, problems);
      fail();
      const numbered = c.investigations.map((i, n) => ({ i, key: String(n + 1) }));
      const { slice, nextToken } = page(
        numbered,
        (x) => x.key,
        (key, last) => compareIds(key, last) > 0,
        `list-investigations|${caseId}`,
        paged,
      );
      return { status: 200, body: { investigationActions: slice.map((x) => x.i), ...(nextToken ? { nextToken } : {}) } };
    }
    case 'POST list-comments': {
      const paged = paging(body, problems);
      fail();
      // Oldest first, as the conversation went.
      const { slice, nextToken } = page(
        c.comments,
        (x) => x.commentId,
        (key, last) => compareIds(key, last) > 0,
        `list-comments|${caseId}`,
        paged,
      );
      return { status: 200, body: { items: slice, total: c.comments.length, ...(nextToken ? { nextToken } : {}) } };
    }
    default:
      throw new AwsError('UnknownOperationException', `no Security IR operation at ${method} ${path}`, 404);
  }
}

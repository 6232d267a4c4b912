import { errorText } from '../lib/error-text.ts';
import { CASE_LIMITS, type CaseDraft, caseDraft, highlightLines, splitComments, uniqueServices } from '../domain/actions/case-draft.ts';
import { SIGNATURE_ROOM, signComment } from '../domain/actions/case-comments.ts';
import { securityIrCaseUrl } from '../domain/console-links.ts';
import type { Finding } from '../domain/finding.ts';
import { CLOSED_CASE_STATUS, NEW_CASE_STATUS, type ResolverType, type SelfManagedCaseStatus } from '../domain/actions/case-status.ts';
import { investigationIdFor } from '../investigation/service.ts';
import type { Logger } from '../ports/logger.ts';
import type { CaseChange, CaseNotices } from '../ports/notices/actions.ts';
import type { CaseDetails, SecurityIrCases, Watcher } from '../ports/security-ir.ts';
import type { ActionRecord, CaseAction, CaseForm, CaseRecord } from '../ports/action-store.ts';
import type { InvestigationConclusions, Store } from '../ports/store.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';
import { deliveredFinding } from './finding-snapshot.ts';
import { hashedId, shortHash } from '../lib/hashed-id.ts';

export interface CaseServiceDeps {
  store: Store;
  access: AccessControl;
  audit: Auditor;
  /** Security IR's cases, in the account holding the membership. */
  securityIr: SecurityIrCases;
  region: string;
  notices: CaseNotices;
  refreshRoot: (findingId: string) => Promise<void>;
  /** Told when a case is opened on a finding (the escalation's CIRT proposal then no longer applies). */
  onCaseOpened?: (findingId: string, caseId: string, userId: string) => Promise<void>;
  /** Watchers every case gets (the team's distribution list), from configuration. */
  defaultWatchers: Watcher[];
  /** The Slack user's email, to add the person who opens the case as a watcher. */
  emailOf: (userId: string) => Promise<string | null>;
  logger: Logger;
  clock?: () => number;
}

export type CaseResult =
  | { ok: true; caseId: string; already: boolean; comments?: number }
  | { ok: false; kind: 'refused' | 'invalid' | 'busy' | 'failed'; reason: string };

/** The case a finished case request opened (the id of the action is the finding's, so it is a case request). */
const openedCaseId = (a: ActionRecord): string | null => (a.kind === 'case' && a.result && 'caseId' in a.result ? a.result.caseId : null);

/**
 * Security Incident Response cases from finding threads: drafted from the
 * investigation, created once per finding (the client token is derived from it, so
 * retries and double submits meet the same case), with the timeline's highlights as
 * comments; escalated to the AWS CIRT, moved through statuses and closed from Slack.
 */
export class CaseService {
  private readonly clock: () => number;

  constructor(private readonly d: CaseServiceDeps) {
    this.clock = d.clock ?? Date.now;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  consoleUrl(caseId: string): string {
    return securityIrCaseUrl(caseId, this.d.region);
  }

  /** The finding's investigation's conclusions, once summarized. */
  private async outcomeOf(findingId: string): Promise<InvestigationConclusions | null> {
    const inv = await this.d.store.getInvestigation(investigationIdFor(findingId));
    if (inv?.state !== 'summarized' || !inv.result || 'error' in inv.result) return null;
    return inv.result;
  }

  /** What the modal is pre-filled with. */
  async draft(findingId: string, userId: string): Promise<{ finding: Finding; draft: CaseDraft; watchers: Watcher[] } | null> {
    const delivered = await deliveredFinding(this.d.store, findingId);
    if (!delivered) return null;
    const outcome = await this.outcomeOf(findingId);
    const email = await this.d.emailOf(userId).catch(() => null);
    const watchers = [...this.d.defaultWatchers, ...(email ? [{ email }] : [])];
    return { finding: delivered.finding, draft: caseDraft(delivered.finding, outcome?.summary ?? null, outcome?.highlights ?? []), watchers };
  }

  /** The idempotency key and client token of a finding's case. */
  static caseActionId(findingId: string): string {
    return hashedId('case', findingId, 32);
  }

  /**
   * Opens the finding's case. `byRule` is for escalations a routing rule asked for
   * (AutoOpenCase): the rule is the authorization, and `sirbot` the recorded actor.
   */
  async open(findingId: string, userId: string, form: CaseForm, byRule = false): Promise<CaseResult> {
    const { store, audit } = this.d;
    const delivered = await deliveredFinding(store, findingId);
    const where = { channel: delivered?.record.channel ?? null, ts: delivered?.record.ts ?? null };
    const auditBase = {
      actor: userId,
      action: 'case.create',
      target: findingId,
      inputs: { ...form, description: `${form.description.length} characters` },
      ...where,
    };
    const allowed = byRule ? ({ allowed: true } as const) : await this.d.access.check(userId, 'responder');
    if (!allowed.allowed) {
      await audit.record({ ...auditBase, outcome: 'refused', result: { reason: allowed.reason } });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    if (!delivered) {
      const reason = `sirbot has not delivered a finding with id ${findingId}`;
      await audit.record({ ...auditBase, outcome: 'refused', result: { reason } });
      return { ok: false, kind: 'refused', reason };
    }
    if (form.watchers.length === 0) return { ok: false, kind: 'invalid', reason: 'a case needs at least one watcher email (set SIRBOT_CASE_WATCHERS)' };
    const id = CaseService.caseActionId(findingId);
    const fresh: CaseAction = {
      id,
      kind: 'case',
      findingId,
      channel: where.channel,
      threadTs: where.ts,
      requestedBy: userId,
      approvedBy: null,
      state: 'running',
      input: form,
      result: null,
      messageTs: null,
      createdAt: this.now(),
      updatedAt: this.now(),
    };
    if (!(await store.actions.insertAction(fresh))) {
      const existing = await store.actions.getAction(id);
      if (existing?.state === 'succeeded') return { ok: true, caseId: openedCaseId(existing) ?? '', already: true };
      // A failed attempt may be retried; the client token makes a retry of a half-done one safe.
      const retry = await store.actions.transitionAction(id, ['failed'], { state: 'running', requestedBy: userId, input: fresh.input, updatedAt: this.now() });
      if (!retry) return { ok: false, kind: 'busy', reason: 'a case for this finding is being opened' };
    }
    await audit.record({ ...auditBase, outcome: 'requested' });
    let caseId: string;
    try {
      ({ caseId } = await this.d.securityIr.createCase({
        clientToken: id,
        resolverType: form.resolverType,
        title: form.title,
        description: form.description,
        engagementType: form.engagementType,
        reportedIncidentStartDate: form.reportedIncidentStartDate,
        impactedAccounts: form.impactedAccounts,
        watchers: form.watchers,
        threatActorIpAddresses: form.threatActorIpAddresses,
        impactedServices: uniqueServices(form.impactedServices),
        impactedAwsRegions: form.impactedAwsRegions,
        tags: { 'sirbot:finding': shortHash(findingId, 32) },
      }));
    } catch (err) {
      await store.actions.transitionAction(id, ['running'], { state: 'failed', result: { error: errorText(err) }, updatedAt: this.now() });
      await audit.record({ ...auditBase, outcome: 'failed', result: { error: errorText(err) } });
      return { ok: false, kind: 'failed', reason: errorText(err) };
    }
    const record: CaseRecord = {
      caseId,
      findingId,
      channel: where.channel,
      threadTs: where.ts,
      title: form.title,
      status: NEW_CASE_STATUS,
      resolverType: form.resolverType,
      engagementType: form.engagementType,
      commentsShownThrough: null,
      createdBy: userId,
      createdAt: this.now(),
      updatedAt: this.now(),
    };
    await store.actions.putCase(record);
    const comments = await this.addHighlights(caseId, id, findingId);
    await store.actions.transitionAction(id, ['running'], { state: 'succeeded', result: { caseId, comments }, updatedAt: this.now() });
    await audit.record({ ...auditBase, outcome: 'executed', result: { caseId, comments } });
    if (where.channel && where.ts) {
      const posted = await this.d.notices
        .caseOpened({ thread: { channel: where.channel, threadTs: where.ts }, case: record, caseUrl: this.consoleUrl(caseId), openedBy: userId, comments })
        .catch((err: unknown) => {
          this.d.logger.warn({ err, caseId }, 'could not post the case message');
          return null;
        });
      if (posted) await store.actions.transitionAction(id, ['succeeded'], { messageTs: posted.ts });
    }
    await this.d
      .onCaseOpened?.(findingId, caseId, userId)
      .catch((err: unknown) => this.d.logger.warn({ err, findingId }, 'could not tell the escalation a case was opened'));
    await this.d.refreshRoot(findingId).catch((err: unknown) => this.d.logger.warn({ err, findingId }, 'could not redraw the root message'));
    return { ok: true, caseId, already: false, comments };
  }

  /** The investigation's highlighted events as case comments, each within the comment limit. */
  private async addHighlights(caseId: string, actionId: string, findingId: string): Promise<number> {
    const outcome = await this.outcomeOf(findingId);
    const chunks = splitComments(highlightLines(outcome?.highlights ?? []), CASE_LIMITS.comment - SIGNATURE_ROOM);
    let added = 0;
    for (const [n, body] of chunks.entries()) {
      try {
        await this.d.securityIr.addComment(caseId, signComment(body, "the investigation's timeline"), `${actionId}-c${n + 1}`);
        added++;
      } catch (err) {
        this.d.logger.warn({ err, caseId, comment: n + 1 }, 'could not add a timeline comment to the case');
      }
    }
    return added;
  }

  /** Hands a self-managed case to the AWS Customer Incident Response Team. */
  async escalate(caseId: string, userId: string): Promise<CaseResult> {
    return this.change(caseId, userId, 'case.escalate', { resolverType: 'AWS' }, async (c) => {
      if (c.resolverType === 'AWS') return { already: true };
      const out = await this.d.securityIr.setResolver(caseId, 'AWS');
      // The service may move the case on as the CIRT takes it (Submitted → Detection and Analysis): keep what it answered.
      return { patch: { resolverType: 'AWS' as const, status: out.caseStatus ?? c.status }, change: { kind: 'escalated' } };
    });
  }

  async setStatus(caseId: string, userId: string, status: SelfManagedCaseStatus): Promise<CaseResult> {
    return this.change(caseId, userId, 'case.status', { caseStatus: status }, async (c) => {
      if (c.resolverType === 'AWS') throw Object.assign(new Error('the AWS CIRT manages the status of an AWS-supported case'), { name: 'NotSelfManaged' });
      if (c.status === status) return { already: true };
      const out = await this.d.securityIr.setStatus(caseId, status);
      const now = out.caseStatus ?? status;
      return { patch: { status: now }, change: { kind: 'status', status: now } };
    });
  }

  async close(caseId: string, userId: string): Promise<CaseResult> {
    return this.change(caseId, userId, 'case.close', {}, async (c) => {
      if (c.status === CLOSED_CASE_STATUS) return { already: true };
      const out = await this.d.securityIr.close(caseId);
      return { patch: { status: out.caseStatus ?? CLOSED_CASE_STATUS }, change: { kind: 'closed' } };
    });
  }

  /**
   * Cases as Security IR lists them (every page); open ones unless `all`. Newest first.
   * What the service says is remembered: the cases sirbot keeps (App Home reads them) and
   * the messages that opened them show the status the service gives now.
   */
  async list(all = false): Promise<Array<{ caseId: string; title: string; status: string; resolverType: string }>> {
    const out: Array<{ caseId: string; title: string; status: string; resolverType: string; created: number }> = [];
    for await (const c of this.d.securityIr.listCases()) {
      await this.remember(c.caseId, c);
      if (!all && c.caseStatus === CLOSED_CASE_STATUS) continue;
      out.push({
        caseId: c.caseId,
        title: c.title ?? '',
        status: c.caseStatus ?? '',
        resolverType: c.resolverType ?? 'Self',
        created: c.createdDate?.getTime() ?? 0,
      });
    }
    return out.sort((a, b) => b.created - a.created).map(({ created: _c, ...rest }) => rest);
  }

  async get(caseId: string): Promise<CaseDetails> {
    const c = await this.d.securityIr.getCase(caseId);
    await this.remember(caseId, c);
    return c;
  }

  /**
   * Keeps sirbot's record of a case it opened in step with what the service just said
   * (the AWS CIRT moves an AWS-supported case; someone may change it in the console), and
   * redraws the message that opened it when that changed. Never fails the caller.
   */
  private async remember(caseId: string, seen: { caseStatus?: string; resolverType?: string }): Promise<void> {
    try {
      const known = await this.d.store.actions.getCase(caseId);
      if (!known) return;
      const patch: Partial<CaseRecord> = {};
      if (seen.caseStatus && seen.caseStatus !== known.status) patch.status = seen.caseStatus;
      if (seen.resolverType && seen.resolverType !== known.resolverType) patch.resolverType = seen.resolverType as ResolverType;
      if (Object.keys(patch).length === 0) return;
      const next = { ...known, ...patch, updatedAt: this.now() };
      await this.d.store.actions.putCase(next);
      await this.redrawOpened(next);
    } catch (err) {
      this.d.logger.warn({ err, caseId }, 'could not update the remembered case');
    }
  }

  /**
   * Redraws the thread message that opened the case with its current status and only
   * the controls that still apply (no Escalate once AWS-supported, nothing once closed).
   * Never fails the caller: the change is made whether or not its message can be redrawn.
   */
  async redrawOpened(c: CaseRecord): Promise<void> {
    if (!c.findingId || !c.channel) return;
    try {
      const opened = await this.d.store.actions.getAction(CaseService.caseActionId(c.findingId));
      const result = opened?.kind === 'case' && opened.result && 'caseId' in opened.result ? opened.result : null;
      if (!opened?.messageTs || result?.caseId !== c.caseId) return;
      await this.d.notices.caseOpenedRedrawn({
        message: { channel: c.channel, ts: opened.messageTs },
        case: c,
        caseUrl: this.consoleUrl(c.caseId),
        openedBy: opened.requestedBy,
        comments: result.comments,
      });
    } catch (err) {
      this.d.logger.warn({ err, caseId: c.caseId }, 'could not redraw the case message');
    }
  }

  /**
   * One change to a case: authorized, applied once (a repeat finds it already done),
   * audited, and told in the case's thread.
   */
  private async change(
    caseId: string,
    userId: string,
    action: string,
    inputs: Record<string, unknown>,
    apply: (c: CaseRecord) => Promise<{ already: true } | { patch: Partial<CaseRecord>; change: CaseChange }>,
  ): Promise<CaseResult> {
    const { store, audit } = this.d;
    let record = await store.actions.getCase(caseId);
    const auditBase = { actor: userId, action, target: caseId, inputs, channel: record?.channel ?? null, ts: record?.threadTs ?? null };
    const allowed = await this.d.access.check(userId, 'responder');
    if (!allowed.allowed) {
      await audit.record({ ...auditBase, outcome: 'refused', result: { reason: allowed.reason } });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    if (!record) {
      // A case opened elsewhere (the console, another tool) can still be handled from Slack.
      try {
        const c = await this.get(caseId);
        record = {
          caseId,
          findingId: null,
          channel: null,
          threadTs: null,
          title: c.title ?? '',
          status: c.caseStatus ?? NEW_CASE_STATUS,
          resolverType: c.resolverType ?? 'Self',
          engagementType: c.engagementType ?? null,
          commentsShownThrough: null,
          createdBy: 'aws',
          createdAt: (c.createdDate ?? new Date(this.clock())).toISOString(),
          updatedAt: this.now(),
        };
      } catch (err) {
        return { ok: false, kind: 'invalid', reason: errorText(err) };
      }
    }
    await audit.record({ ...auditBase, outcome: 'requested' });
    try {
      const done = await apply(record);
      if ('already' in done) {
        // A click on controls that no longer apply (an older drawing of the message): draw it as it is now.
        await this.redrawOpened(record);
        return { ok: true, caseId, already: true };
      }
      const next = { ...record, ...done.patch, updatedAt: this.now() };
      await store.actions.putCase(next);
      await audit.record({ ...auditBase, outcome: 'executed', result: done.patch });
      if (next.channel && next.threadTs) {
        await this.d.notices
          .caseChanged({
            thread: { channel: next.channel, threadTs: next.threadTs },
            case: next,
            caseUrl: this.consoleUrl(caseId),
            by: userId,
            change: done.change,
          })
          .catch(() => undefined);
      }
      await this.redrawOpened(next);
      return { ok: true, caseId, already: false };
    } catch (err) {
      await audit.record({ ...auditBase, outcome: 'failed', result: { error: errorText(err) } });
      await this.redrawOpened(record);
      return { ok: false, kind: 'failed', reason: errorText(err) };
    }
  }
}

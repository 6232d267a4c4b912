import { errorText } from '../lib/error-text.ts';
import { MAX_ATTACHMENT_BYTES, attachmentName, isSignedBySirbot, signComment } from '../domain/actions/case-comments.ts';
import { actorLabel } from '../domain/actions/case-event.ts';
import { securityIrCaseUrl } from '../domain/console-links.ts';
import { hashedId } from '../lib/hashed-id.ts';
import type { CaseRecord } from '../ports/action-store.ts';
import type { Logger } from '../ports/logger.ts';
import type { ActionThread, CaseNotices } from '../ports/notices/actions.ts';
import type { CaseComment, SecurityIrCases } from '../ports/security-ir.ts';
import type { Store } from '../ports/store.ts';
import type { ThreadFiles } from '../ports/thread-files.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';

export interface CaseCommentsDeps {
  store: Store;
  access: AccessControl;
  audit: Auditor;
  securityIr: SecurityIrCases;
  notices: Pick<CaseNotices, 'caseCommentShown' | 'caseCommentPosted'>;
  /** The thread's shared files, to attach to the case with the message; absent: messages go without their files. */
  files?: ThreadFiles;
  /** Region of the Security IR membership, for the console links. */
  region: string;
  logger: Logger;
  clock?: () => number;
}

/** A thread message (or `/sir case comment` text) to put on a case. */
export interface CommentRequest {
  userId: string;
  /** How the signature names the person ("Alice"), when Slack says. */
  userName?: string;
  text: string;
  /** The case, when named (`/sir case comment ID …`); otherwise the one opened from `thread`. */
  caseId?: string;
  thread?: ActionThread;
  /** The message the comment comes from: the same message makes the same comment, however often it is sent. */
  source: { channel: string; ts: string };
  /** Files shared with the message: attached to the case too. */
  files?: Array<{ id: string; name: string }>;
}

/** What became of a message's files. */
export interface Attached {
  attached: string[];
  failed: Array<{ name: string; reason: string }>;
}

export type CommentResult =
  | { ok: true; caseId: string; commentId: string; already: boolean; files?: Attached }
  | { ok: false; kind: 'refused' | 'invalid' | 'failed'; reason: string };

/** How long a comment being shown is held by one worker, so two events about it do not both post it. */
const SHOW_LEASE_SECONDS = 120;
/** A repeated request for the same message within this time is the same request (a double click, a retry). */
const REQUEST_MEMORY_SECONDS = 400 * 24 * 3600;
/** A comment edited this long after it was written is shown again, as edited. */
const EDIT_SLACK_MS = 1000;

/** The key a comment's post in the thread carries: a reply posted to the case, or the comment shown, is one post. */
export const caseCommentKey = (caseId: string, commentId: string, editedAt?: string) =>
  editedAt ? `sir-comment:${caseId}:${commentId}:${editedAt}` : `sir-comment:${caseId}:${commentId}`;

/**
 * A case's comments both ways. A responder's thread message becomes a comment
 * (CreateCaseComment, its client token derived from the message, so a double click or a
 * retry makes one), signed so it is recognised and never shown back; comments written on
 * the case (by AWS responders, in the console) are shown in the finding's thread once
 * each, when Security IR says a comment was added or changed.
 */
export class CaseComments {
  private readonly clock: () => number;

  constructor(private readonly d: CaseCommentsDeps) {
    this.clock = d.clock ?? Date.now;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** Puts a responder's text on the case: authorized, once per source message, audited, and said in the thread. */
  async post(req: CommentRequest): Promise<CommentResult> {
    const { store, audit } = this.d;
    const record = req.caseId
      ? await store.actions.getCase(req.caseId)
      : req.thread
        ? await store.actions.findCaseByThread(req.thread.channel, req.thread.threadTs)
        : null;
    const caseId = req.caseId ?? record?.caseId ?? null;
    const auditBase = {
      actor: req.userId,
      action: 'case.comment',
      target: caseId ?? '(no case)',
      inputs: { characters: req.text.length, from: `${req.source.channel}/${req.source.ts}` },
      channel: req.source.channel,
      ts: req.source.ts,
    };
    const allowed = await this.d.access.check(req.userId, 'responder');
    if (!allowed.allowed) {
      await audit.record({ ...auditBase, outcome: 'refused', result: { reason: allowed.reason } });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    if (!caseId) return { ok: false, kind: 'invalid', reason: 'no Security IR case was opened from this thread (name one: /sir case comment CASE_ID text)' };
    const files = req.files ?? [];
    const text = req.text.trim() || (files.length > 0 ? `Shared in Slack: ${files.map((f) => f.name).join(', ')}` : '');
    if (text === '') return { ok: false, kind: 'invalid', reason: 'the message has no text to put on the case' };
    await audit.record({ ...auditBase, outcome: 'requested' });
    const from = `${req.userName ? `${req.userName} ` : ''}(${req.userId}) in Slack`;
    let commentId: string;
    try {
      ({ commentId } = await this.d.securityIr.addComment(caseId, signComment(text, from), hashedId('case-comment', [req.source.channel, req.source.ts], 32)));
    } catch (err) {
      await audit.record({ ...auditBase, outcome: 'failed', result: { error: errorText(err) } });
      return { ok: false, kind: 'failed', reason: errorText(err) };
    }
    // The service gave the same comment for the same token: only the first request is told and recorded as done.
    const first = await store.claimKey(`case-comment-from:${req.source.channel}:${req.source.ts}`, REQUEST_MEMORY_SECONDS, this.now());
    if (!first) return { ok: true, caseId, commentId, already: true };
    const attached = await this.attach(caseId, req, files);
    await audit.record({
      ...auditBase,
      outcome: 'executed',
      result: { commentId, ...(files.length > 0 ? { attached: attached.attached, failed: attached.failed } : {}) },
    });
    const thread = record?.channel && record.threadTs ? { channel: record.channel, threadTs: record.threadTs } : null;
    if (thread) {
      await this.d.notices
        .caseCommentPosted({
          thread,
          caseId,
          caseUrl: securityIrCaseUrl(caseId, this.d.region),
          commentId,
          by: req.userId,
          key: caseCommentKey(caseId, commentId),
          attached,
        })
        .catch((err: unknown) => this.d.logger.warn({ err, caseId, commentId }, 'could not say in the thread that the comment was posted'));
    }
    return { ok: true, caseId, commentId, already: false, ...(files.length > 0 ? { files: attached } : {}) };
  }

  /** The message's files, each read from Slack and attached to the case (the same file of the same message is one upload). */
  private async attach(caseId: string, req: CommentRequest, files: Array<{ id: string; name: string }>): Promise<Attached> {
    const out: Attached = { attached: [], failed: [] };
    for (const f of files) {
      const name = attachmentName(f.name);
      try {
        if (!this.d.files) throw new Error('this sirbot does not read Slack files');
        const file = await this.d.files.read(f.id, MAX_ATTACHMENT_BYTES);
        await this.d.securityIr.attach(
          caseId,
          { fileName: name, bytes: file.bytes },
          hashedId('case-attachment', [req.source.channel, req.source.ts, f.id], 32),
        );
        out.attached.push(name);
      } catch (err) {
        this.d.logger.warn({ err, caseId, file: f.id }, 'could not attach a file to the case');
        out.failed.push({ name, reason: errorText(err) });
      }
    }
    return out;
  }

  /**
   * Shows the case's comments the thread has not shown yet (from the last one shown on),
   * leaving out the ones sirbot wrote. Throws when the service cannot be read or a comment
   * cannot be shown, so the event that asked is retried; what was shown stays shown.
   */
  async show(record: CaseRecord): Promise<{ shown: number }> {
    if (!record.channel || !record.threadTs) return { shown: 0 };
    const thread = { channel: record.channel, threadTs: record.threadTs };
    const since = record.commentsShownThrough;
    let newest = since;
    let shown = 0;
    for await (const c of this.d.securityIr.listComments(record.caseId)) {
      const at = timeOf(c);
      if (since && at && at < since) continue;
      if (at && (!newest || at > newest)) newest = at;
      if (isSignedBySirbot(c.body)) continue;
      const edited = isEdited(c);
      if (!(await this.d.store.claimKey(`case-comment-show:${record.caseId}:${c.commentId}:${at ?? ''}`, SHOW_LEASE_SECONDS, this.now()))) continue;
      await this.d.notices.caseCommentShown({
        thread,
        caseId: record.caseId,
        caseUrl: securityIrCaseUrl(record.caseId, this.d.region),
        commentId: c.commentId,
        body: c.body,
        author: actorLabel((edited ? c.lastUpdatedBy : c.creator) ?? c.creator ?? null),
        at,
        edited,
        key: caseCommentKey(record.caseId, c.commentId, edited && at ? at : undefined),
      });
      shown++;
    }
    if (newest && newest !== since) {
      // Read again just before writing: a status change may have been kept meanwhile.
      const latest = (await this.d.store.actions.getCase(record.caseId)) ?? record;
      if (!latest.commentsShownThrough || latest.commentsShownThrough < newest)
        await this.d.store.actions.putCase({ ...latest, commentsShownThrough: newest, updatedAt: this.now() });
    }
    return { shown };
  }
}

const timeOf = (c: CaseComment): string | null => (c.lastUpdatedDate ?? c.createdDate)?.toISOString() ?? null;
const isEdited = (c: CaseComment): boolean => !!c.createdDate && !!c.lastUpdatedDate && c.lastUpdatedDate.getTime() - c.createdDate.getTime() > EDIT_SLACK_MS;

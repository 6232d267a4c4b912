import type Database from 'better-sqlite3';
import { statementCache } from './sqlite-rows.ts';
import type {
  ActionKind,
  ActionPatch,
  ActionRecord,
  ActionState,
  ActionStore,
  AuditRecord,
  CaseRecord,
  EscalationRecord,
  EscalationStage,
  OfferRecord,
  SnoozeRecord,
} from '../ports/action-store.ts';
import type { SnoozeState } from '../domain/actions/snooze.ts';
import {
  type UnreadableRecord,
  decodeAction,
  decodeDocument,
  decodeOffer,
  documentOf,
  encodeAction,
  encodeActionPatch,
  encodeOffer,
  readableOnly,
  warnUnreadable,
} from './record-codecs.ts';
import { auditRecordSchema, caseRecordSchema, escalationRecordSchema, snoozeRecordSchema } from './record-schemas.ts';

/**
 * Action records in the local SQLite file. Each record is one JSON document with the
 * columns queries select on beside it; the document is the truth, read back through the
 * record codecs (an action's input and result, an offer's payload, are JSON text inside it).
 */
export const ACTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS actions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  finding_id TEXT,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS actions_finding ON actions (finding_id);
CREATE TABLE IF NOT EXISTS cases (
  case_id TEXT PRIMARY KEY,
  channel TEXT,
  thread_ts TEXT,
  created_at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_thread ON cases (channel, thread_ts);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TABLE IF NOT EXISTS escalations (
  finding_id TEXT PRIMARY KEY,
  stage TEXT NOT NULL,
  next_at TEXT,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS escalations_due ON escalations (next_at);
CREATE TABLE IF NOT EXISTS offers (
  id TEXT PRIMARY KEY,
  finding_id TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snoozes (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS snoozes_state ON snoozes (state, expires_at);
CREATE TABLE IF NOT EXISTS snooze_holds (
  snooze_id TEXT NOT NULL,
  finding_id TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (snooze_id, finding_id)
);
`;

type DocRow = { doc: string } | undefined;
/** A row's document, named by its key column (an unreadable one is an error that says which). */
const readAction = (row: { doc: string }, id: string) => decodeAction(documentOf(row.doc, 'action', id));
const readCase = (row: { doc: string }, id: string) => decodeDocument(caseRecordSchema, row.doc, 'case', id);
const readEscalation = (row: { doc: string }, id: string) => decodeDocument(escalationRecordSchema, row.doc, 'escalation', id);
const readSnooze = (row: { id: string; doc: string }) => decodeDocument(snoozeRecordSchema, row.doc, 'snooze', row.id);

export class SqliteActionStore implements ActionStore {
  private readonly sql: (sql: string) => Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly report: UnreadableRecord = warnUnreadable,
  ) {
    db.exec(ACTION_SCHEMA);
    this.sql = statementCache(db);
  }

  async insertAction(r: ActionRecord) {
    const result = this.sql('INSERT INTO actions (id, kind, finding_id, state, created_at, doc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      r.id,
      r.kind,
      r.findingId,
      r.state,
      r.createdAt,
      JSON.stringify(encodeAction(r)),
    );
    return result.changes === 1;
  }

  async getAction(id: string) {
    const row = this.sql('SELECT doc FROM actions WHERE id = ?').get(id) as DocRow;
    return row ? readAction(row, id) : null;
  }

  async transitionAction(id: string, from: ActionState[], patch: ActionPatch) {
    return this.db.transaction(() => {
      const row = this.sql('SELECT doc FROM actions WHERE id = ?').get(id) as DocRow;
      const current = row ? readAction(row, id) : null;
      if (!current || !from.includes(current.state)) return null;
      const next = { ...encodeAction(current), ...encodeActionPatch(patch), id };
      const record = decodeAction(next);
      this.sql('UPDATE actions SET state = ?, doc = ? WHERE id = ?').run(record.state, JSON.stringify(next), id);
      return record;
    })();
  }

  async listActions(filter: { findingId?: string; state?: ActionState; kind?: ActionKind } = {}) {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.findingId) {
      where.push('finding_id = ?');
      args.push(filter.findingId);
    }
    if (filter.state) {
      where.push('state = ?');
      args.push(filter.state);
    }
    if (filter.kind) {
      where.push('kind = ?');
      args.push(filter.kind);
    }
    const sql = `SELECT id, doc FROM actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at`;
    return readableOnly(this.sql(sql).all(...args) as Array<{ id: string; doc: string }>, (r) => readAction(r, r.id), this.report);
  }

  async insertOffer(r: OfferRecord) {
    const result = this.sql('INSERT INTO offers (id, finding_id, doc) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
      r.id,
      r.findingId,
      JSON.stringify(encodeOffer(r)),
    );
    return result.changes === 1;
  }

  async getOffer(id: string) {
    const row = this.sql('SELECT doc FROM offers WHERE id = ?').get(id) as DocRow;
    return row ? decodeOffer(documentOf(row.doc, 'offer', id)) : null;
  }

  async putCase(r: CaseRecord) {
    this.sql('INSERT OR REPLACE INTO cases (case_id, channel, thread_ts, created_at, doc) VALUES (?, ?, ?, ?, ?)').run(
      r.caseId,
      r.channel,
      r.threadTs,
      r.createdAt,
      JSON.stringify(r),
    );
  }

  async getCase(caseId: string) {
    const row = this.sql('SELECT doc FROM cases WHERE case_id = ?').get(caseId) as DocRow;
    return row ? readCase(row, caseId) : null;
  }

  async findCaseByThread(channel: string, threadTs: string) {
    const row = this.sql('SELECT case_id, doc FROM cases WHERE channel = ? AND thread_ts = ? ORDER BY created_at LIMIT 1').get(channel, threadTs) as
      | { case_id: string; doc: string }
      | undefined;
    return row ? readCase(row, row.case_id) : null;
  }

  async listCases(limit = 50) {
    return (this.sql('SELECT case_id, doc FROM cases ORDER BY created_at DESC LIMIT ?').all(limit) as Array<{ case_id: string; doc: string }>).map((r) =>
      readCase(r, r.case_id),
    );
  }

  async appendAudit(r: AuditRecord) {
    this.sql('INSERT INTO audit (at, doc) VALUES (?, ?)').run(r.at, JSON.stringify(r));
  }

  async listAudit(filter: { since?: string; limit?: number } = {}) {
    const rows = this.sql('SELECT seq, doc FROM audit WHERE at >= ? ORDER BY seq LIMIT ?').all(filter.since ?? '', filter.limit ?? -1) as Array<{
      seq: number;
      doc: string;
    }>;
    return rows.map((r) => decodeDocument(auditRecordSchema, r.doc, 'audit record', String(r.seq)));
  }

  async insertEscalation(r: EscalationRecord) {
    const result = this.sql('INSERT INTO escalations (finding_id, stage, next_at, doc) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      r.findingId,
      r.stage,
      r.nextAt,
      JSON.stringify(r),
    );
    return result.changes === 1;
  }

  async getEscalation(findingId: string) {
    const row = this.sql('SELECT doc FROM escalations WHERE finding_id = ?').get(findingId) as DocRow;
    return row ? readEscalation(row, findingId) : null;
  }

  async dueEscalations(now: string) {
    const rows = this.sql('SELECT finding_id, doc FROM escalations WHERE next_at IS NOT NULL AND next_at <= ? ORDER BY next_at').all(now) as Array<{
      finding_id: string;
      doc: string;
    }>;
    return readableOnly(rows, (r) => readEscalation(r, r.finding_id), this.report);
  }

  async transitionEscalation(findingId: string, from: EscalationStage[], patch: Partial<Omit<EscalationRecord, 'findingId'>>) {
    return this.db.transaction(() => {
      const row = this.sql('SELECT doc FROM escalations WHERE finding_id = ?').get(findingId) as DocRow;
      const current = row ? readEscalation(row, findingId) : null;
      if (!current || !from.includes(current.stage)) return null;
      const next: EscalationRecord = { ...current, ...patch, findingId };
      this.sql('UPDATE escalations SET stage = ?, next_at = ?, doc = ? WHERE finding_id = ?').run(next.stage, next.nextAt, JSON.stringify(next), findingId);
      return next;
    })();
  }

  async insertSnooze(r: SnoozeRecord) {
    const result = this.sql('INSERT INTO snoozes (id, state, expires_at, doc) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      r.id,
      r.state,
      r.expiresAt,
      JSON.stringify(r),
    );
    return result.changes === 1;
  }

  async getSnooze(id: string) {
    const row = this.sql('SELECT id, doc FROM snoozes WHERE id = ?').get(id) as { id: string; doc: string } | undefined;
    return row ? readSnooze(row) : null;
  }

  async listSnoozes(state: SnoozeState) {
    const rows = this.sql('SELECT id, doc FROM snoozes WHERE state = ? ORDER BY expires_at, id').all(state) as Array<{ id: string; doc: string }>;
    return readableOnly(rows, readSnooze, this.report);
  }

  async dueSnoozes(now: string) {
    const rows = this.sql("SELECT id, doc FROM snoozes WHERE state = 'active' AND expires_at <= ? ORDER BY expires_at, id").all(now) as Array<{
      id: string;
      doc: string;
    }>;
    return readableOnly(rows, readSnooze, this.report);
  }

  async transitionSnooze(id: string, from: SnoozeState[], patch: Partial<Pick<SnoozeRecord, 'state' | 'endedBy' | 'endedAt' | 'updatedAt'>>) {
    return this.db.transaction(() => {
      const row = this.sql('SELECT id, doc FROM snoozes WHERE id = ?').get(id) as { id: string; doc: string } | undefined;
      const current = row ? readSnooze(row) : null;
      if (!current || !from.includes(current.state)) return null;
      const next: SnoozeRecord = { ...current, ...patch, id };
      this.sql('UPDATE snoozes SET state = ?, doc = ? WHERE id = ?').run(next.state, JSON.stringify(next), id);
      return next;
    })();
  }

  async holdFinding(snoozeId: string, findingId: string, at: string) {
    return this.sql('INSERT INTO snooze_holds (snooze_id, finding_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(snoozeId, findingId, at).changes === 1;
  }

  async heldCount(snoozeId: string) {
    return (this.sql('SELECT COUNT(*) AS n FROM snooze_holds WHERE snooze_id = ?').get(snoozeId) as { n: number }).n;
  }
}

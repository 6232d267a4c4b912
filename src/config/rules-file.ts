import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { PAGE_STEPS, PAGERS } from '../domain/actions/paging.ts';
import { SEVERITY_LABELS } from '../domain/finding.ts';
import { compileRuleSet, type CompileResult, type RuleSetDocument } from '../domain/routing/compile.ts';
import { CUSTOM_ACTION_DOINGS } from '../domain/routing/custom-actions.ts';
import { MAP_COMPARISONS, STRING_COMPARISONS } from '../domain/routing/filters.ts';

const stringFilter = z.strictObject({ Value: z.string(), Comparison: z.enum(STRING_COMPARISONS) });
const mapFilter = z.strictObject({ Key: z.string().min(1), Value: z.string(), Comparison: z.enum(MAP_COMPARISONS) });
const numberFilter = z
  .strictObject({ Gte: z.number(), Lte: z.number(), Gt: z.number(), Lt: z.number(), Eq: z.number() })
  .partial()
  .refine((f) => Object.keys(f).length > 0, 'a number filter needs Gte, Lte, Gt, Lt or Eq');
const dateFilter = z
  .strictObject({
    Start: z.string(),
    End: z.string(),
    DateRange: z.strictObject({ Value: z.number().int().positive(), Unit: z.literal('DAYS') }),
  })
  .partial()
  .refine((f) => Object.keys(f).length > 0, 'a date filter needs Start, End or DateRange');

const filter = z.union([stringFilter, mapFilter, numberFilter, dateFilter]);

/** Slack ids for mentions: user groups (S…) or users (U…/W…). */
const mentionId = z.string().regex(/^[SUW][A-Z0-9]{2,}$/, 'must be a Slack user group (S…) or user (U…/W…) id');
const duration = z.string().regex(/^\d{1,6}\s*[smhd]$/, 'must be a duration such as 90s, 15m, 1h or 1d');
const channel = z.string().regex(/^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{8,})$/, 'must be #name or a channel id (C…/G…)');

export const ruleDocumentSchema = z.strictObject({
  RuleName: z.string().min(1).max(256),
  RuleOrder: z.number().int().min(1).max(1000),
  RuleStatus: z.enum(['ENABLED', 'DISABLED']).optional(),
  IsTerminal: z.boolean().optional(),
  Description: z.string().max(1024).optional(),
  UpdatedAt: z.string().optional(),
  Criteria: z.record(z.string(), z.array(filter)).optional(),
  Formats: z
    .array(z.enum(['ASFF', 'OCSF', 'GuardDuty']))
    .min(1)
    .optional(),
  Actions: z
    .strictObject({
      Channel: channel.optional(),
      Mention: z.union([mentionId, z.array(mentionId)]).optional(),
      SeverityLabel: z.enum(SEVERITY_LABELS).optional(),
      Suppress: z.boolean().optional(),
      Digest: z.union([z.boolean(), z.string().min(1).max(100)]).optional(),
      Investigate: z.boolean().optional(),
      Acknowledge: z
        .strictObject({
          Within: duration,
          Notify: z.union([mentionId, z.array(mentionId)]).optional(),
          CirtAfter: duration.optional(),
          AutoOpenCase: z.boolean().optional(),
          /** Pages on-call outside Slack too (docs/ROUTING.md), with the mention (default) or with the CIRT step. */
          Page: z.enum(PAGERS).optional(),
          PageAt: z.enum(PAGE_STEPS).optional(),
        })
        .refine((a) => a.PageAt === undefined || a.Page !== undefined, { message: 'PageAt needs Page (pagerduty or opsgenie)', path: ['PageAt'] })
        .optional(),
    })
    .optional(),
});

export const ruleSetDocumentSchema = z.strictObject({
  version: z.literal(1).optional(),
  defaults: z.strictObject({ channel: channel.optional() }).optional(),
  rules: z.array(ruleDocumentSchema),
  customActions: z
    .array(z.strictObject({ Name: z.string().trim().min(1).max(20), Do: z.enum(CUSTOM_ACTION_DOINGS) }))
    .max(50)
    .optional(),
});

export class RulesFileError extends Error {
  readonly code = 'RULES_INVALID';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length} problem(s) in the rules file:\n  - ${problems.join('\n  - ')}`);
  }
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/** Parses and compiles a rules file's text. Any error refuses the whole file; warnings are returned. */
export function parseRules(text: string, source: string, fallbackChannel: string): CompileResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new RulesFileError(source, [`not valid YAML: ${(err as Error).message}`]);
  }
  const parsed = ruleSetDocumentSchema.safeParse(doc ?? { rules: [] });
  if (!parsed.success) throw new RulesFileError(source, zodProblems(parsed.error));
  const result = compileRuleSet(parsed.data as RuleSetDocument, fallbackChannel);
  if (result.errors.length > 0) throw new RulesFileError(source, result.errors);
  return result;
}

export function loadRulesFile(path: string, fallbackChannel: string): CompileResult {
  return parseRules(readFileSync(path, 'utf8'), path, fallbackChannel);
}

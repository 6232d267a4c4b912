import * as z from 'zod';
import { CASE_LIMITS, canonicalIp } from '../../domain/actions/case-draft.ts';
import type { CaseForm } from '../../ports/action-store.ts';
import { CASE_BLOCKS } from '../views/case.ts';
import { type ViewValues, listIn, valueIn } from './view-values.ts';

/** Security IR takes IPv6 only in full upper-case form: people may type it any way. */
const ip = z.string().transform((v, ctx) => {
  const canonical = canonicalIp(v);
  if (canonical) return canonical;
  ctx.addIssue({ code: 'custom', message: 'not an IP address' });
  return z.NEVER;
});

/** The case modal's fields, checked before anything reaches AWS; messages say what to fix. */
const caseFormSchema = z.object({
  [CASE_BLOCKS.title]: z.string().min(1, 'a title is required').max(CASE_LIMITS.title, `at most ${CASE_LIMITS.title} characters`),
  [CASE_BLOCKS.description]: z.string().min(1, 'a description is required').max(CASE_LIMITS.description),
  [CASE_BLOCKS.engagement]: z.enum(['Security Incident', 'Investigation'], 'choose an engagement type'),
  [CASE_BLOCKS.start]: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'pick the date the incident started'),
  [CASE_BLOCKS.accounts]: z
    .array(z.string().regex(/^\d{12}$/, 'account ids have 12 digits'))
    .min(1, 'name at least one account')
    .max(CASE_LIMITS.impactedAccounts),
  [CASE_BLOCKS.regions]: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'regions look like us-east-1')).max(CASE_LIMITS.impactedRegions),
  [CASE_BLOCKS.ips]: z.array(ip).max(CASE_LIMITS.threatActorIps),
  [CASE_BLOCKS.services]: z.array(z.string().max(50)).max(600),
  [CASE_BLOCKS.watchers]: z.array(z.email('not an email address')).min(1, 'add at least one watcher email').max(CASE_LIMITS.watchers),
  [CASE_BLOCKS.resolver]: z.enum(['Self', 'AWS'], 'choose a resolver'),
});

/**
 * The submitted modal as a case form, or per-block errors for Slack to show under each
 * input. The start date keeps the drafted time of day when the date was not changed.
 */
export function parseCaseForm(values: ViewValues, draftedStart: string | null): { form: CaseForm } | { errors: Record<string, string> } {
  const raw = {
    [CASE_BLOCKS.title]: valueIn(values, CASE_BLOCKS.title),
    [CASE_BLOCKS.description]: valueIn(values, CASE_BLOCKS.description),
    [CASE_BLOCKS.engagement]: valueIn(values, CASE_BLOCKS.engagement),
    [CASE_BLOCKS.start]: valueIn(values, CASE_BLOCKS.start),
    [CASE_BLOCKS.accounts]: listIn(values, CASE_BLOCKS.accounts),
    [CASE_BLOCKS.regions]: listIn(values, CASE_BLOCKS.regions),
    [CASE_BLOCKS.ips]: listIn(values, CASE_BLOCKS.ips),
    [CASE_BLOCKS.services]: valueIn(values, CASE_BLOCKS.services)
      .split(/[,;\n]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    [CASE_BLOCKS.watchers]: listIn(values, CASE_BLOCKS.watchers),
    [CASE_BLOCKS.resolver]: valueIn(values, CASE_BLOCKS.resolver),
  };
  const parsed = caseFormSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const block = String(issue.path[0]);
      errors[block] ??= issue.message;
    }
    return { errors };
  }
  const v = parsed.data;
  const start = draftedStart?.startsWith(v.start) ? draftedStart : `${v.start}T00:00:00.000Z`;
  return {
    form: {
      title: v.title,
      description: v.description,
      engagementType: v.engagement,
      reportedIncidentStartDate: start,
      impactedAccounts: [...new Set(v.accounts)],
      impactedAwsRegions: [...new Set(v.regions)],
      threatActorIpAddresses: [...new Set(v.ips)],
      impactedServices: [...new Set(v.services)],
      watchers: [...new Set(v.watchers)].map((email) => ({ email })),
      resolverType: v.resolver,
    },
  };
}

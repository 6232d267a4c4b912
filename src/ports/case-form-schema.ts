import * as z from 'zod';
import { RESOLVER_TYPES } from '../domain/actions/case-status.ts';
import { exactly } from '../lib/exact-schema.ts';
import type { CaseForm } from './action-store.ts';

/** A case form as it travels (a queued `case.open` job) and as it is kept (a case action's input): checked against its type. */
export const caseFormSchema = exactly<CaseForm>()(
  z.object({
    title: z.string(),
    description: z.string(),
    engagementType: z.enum(['Security Incident', 'Investigation']),
    reportedIncidentStartDate: z.string(),
    impactedAccounts: z.array(z.string()),
    impactedAwsRegions: z.array(z.string()),
    threatActorIpAddresses: z.array(z.string()),
    impactedServices: z.array(z.string()),
    watchers: z.array(z.object({ email: z.string(), name: z.string().optional(), jobTitle: z.string().optional() })),
    resolverType: z.enum(RESOLVER_TYPES),
  }),
);

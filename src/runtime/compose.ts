import { loadPeopleFile } from '../config/people-file.ts';
import { loadRulesFile } from '../config/rules-file.ts';
import type { Env } from '../config/env.ts';
import { Deliverer } from '../delivery/deliver.ts';
import { type CaseEventSink, type CustomActionSink, IngestFindings } from '../delivery/ingest-findings.ts';
import { CustomActions } from '../actions/custom-actions.ts';
import type { CaseEvent } from '../domain/actions/case-event.ts';
import type { FollowUpRequest } from '../domain/routing/custom-actions.ts';
import { CaseComments } from '../actions/case-comments.ts';
import { CaseSync } from '../actions/case-sync.ts';
import { AgentWork } from '../actions/agent-work.ts';
import { PeopleFinder } from '../actions/people-finder.ts';
import { PrincipalCheck } from '../actions/principal-check.ts';
import { IamUserTags } from '../aws/iam-tags.ts';
import { RootFollowUps } from '../delivery/root-follow-ups.ts';
import { RootMessages } from '../delivery/root-message.ts';
import type { RuleSet } from '../domain/routing/rules.ts';
import { RateLimitedPoster, SLACK_LIMITS, type PosterLimits, type SlackPoster } from '../slack/poster.ts';
import type { Store } from '../ports/store.ts';
import type { Collector } from '../ports/collector.ts';
import { InvestigationService } from '../investigation/service.ts';
import { FollowUpQuestions } from '../investigation/follow-ups.ts';
import type { EnabledRegions } from '../ports/enabled-regions.ts';
import type { EventSearch } from '../ports/event-search.ts';
import type { QuestionTranslator } from '../ports/question-translator.ts';
import { SlackQuestionNotices } from '../slack/notifier/questions.ts';
import type { Logger } from './logger.ts';
import { WebClient } from '@slack/web-api';
import { slackClientOptions } from '../slack/client-options.ts';
import { AccessControl } from '../actions/access.ts';
import { Auditor } from '../actions/audit.ts';
import { CaseService } from '../actions/cases.ts';
import { EscalationService } from '../actions/escalations.ts';
import { configuredPagers, type PagingSettings } from '../paging/pagers.ts';
import type { Pagers } from '../ports/pager.ts';
import type { PagerName } from '../domain/actions/paging.ts';
import { SnoozeService } from '../actions/snoozes.ts';
import { StatsService } from '../actions/stats.ts';
import type { StatsCharts } from '../ports/charts.ts';
import { SlackStatsNotices } from '../slack/notifier/stats.ts';
import { rootMarks } from '../actions/marks.ts';
import { RemediationService } from '../actions/remediations.ts';
import { StatusService } from '../actions/status.ts';
import type { AwsClientFactory } from '../aws/clients.ts';
import { AwsCallExecutor } from '../aws/executor.ts';
import { SecurityIrCaseApi } from '../aws/security-ir/cases.ts';
import { parseMembers, type AccessPolicy, type Members } from '../domain/actions/access.ts';
import { rootOfferKinds } from '../domain/actions/offers.ts';
import { closedAs, type Finding } from '../domain/finding.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import { suggestRemediations } from '../domain/remediation/suggest.ts';
import type { SubjectState } from '../domain/investigation/current-state.ts';
import { type Subject, subjectsOf } from '../domain/investigation/subjects.ts';
import { OfferBook } from '../actions/offers.ts';
import type { ActionServices } from '../actions/services.ts';
import { fetchFinding } from '../aws/finding-lookup.ts';
import type { SlackAppDeps } from '../slack/deps.ts';
import { SlackDirectory } from '../slack/directory.ts';
import { SlackFiles } from '../slack/files.ts';
import type { OfferedRemediation } from '../ports/notices/investigation.ts';
import { slackThreadNotifier } from '../slack/notifier/thread-notifier.ts';
import type { ThreadNotifier } from '../ports/thread-notifier.ts';

export interface Core {
  rules: () => RuleSet;
  ruleWarnings: string[];
  store: Store;
  poster: SlackPoster;
  deliverer: Deliverer;
  ingest: IngestFindings;
  investigations: InvestigationService | undefined;
  /** Follow-up questions in findings' threads, where the runtime can investigate. */
  questions: FollowUpQuestions | undefined;
  actions: ActionServices | undefined;
  /** What Security Hub custom actions ask (after both the actions and the investigations exist). */
  customActions: CustomActions | undefined;
}

/** Where actions act: the AWS clients, and the account and region of the Security IR membership. */
export interface ActionSettings {
  clients: AwsClientFactory;
  securityIr: { account: string; region: string };
}

/** Where evidence comes from in this runtime. */
export interface EvidenceSources {
  collectors: () => Collector[];
  /** "Now" on the AWS side: the fake's scenario clock, or the wall clock. */
  awsNow: () => number;
  /** Sources of CloudTrail records for follow-up questions, in order of preference (event history, then long-term stores). */
  eventSearches?: () => EventSearch[];
  /** A model for follow-up questions the grammar cannot read (SIRBOT_BEDROCK_MODEL_ID). */
  questionTranslator?: QuestionTranslator;
  /** Each account's enabled regions, the CloudTrail collector's own list (and cache): where questions naming no region search. */
  enabledRegions?: EnabledRegions;
}

export interface CoreOptions {
  env: Env;
  store: Store;
  logger: Logger;
  slackToken: string | undefined;
  slackApiUrl?: string;
  posterLimits?: PosterLimits;
  clock?: () => number;
  digestDebounceMs?: number;
  evidence?: EvidenceSources;
  /** Present where the runtime can act (set status, open cases, remediate, escalate). */
  actions?: ActionSettings;
  /** Where gathering runs when not in this process (Lambda: the work queue). */
  scheduleGathering?: (id: string, resuming: boolean) => Promise<void>;
  /** Where a Security IR case event received but not shown here goes (Lambda: the work queue). */
  scheduleCaseEvent?: (event: CaseEvent) => Promise<void>;
  /** Where a custom action's request goes when its finding is delivered elsewhere (Lambda: the work queue, after the delivery). */
  scheduleCustomAction?: (findingId: string, request: FollowUpRequest) => Promise<void>;
  /**
   * Lease of a delivery attempt or digest flush, the poster's first retry pause and its
   * call timeout (tests shorten them); `retryHere`: unfinished deliveries are retried in
   * this process (the local runtime) rather than left to a sweep or a redelivered job.
   */
  delivery?: { leaseMs?: number; retryBaseMs?: number; callTimeoutMs?: number; retryHere?: boolean };
  /** Where the numbers' charts are drawn (the local runtime); absent, the numbers come without a chart. */
  charts?: StatsCharts;
  /** PagerDuty and Opsgenie; by default those the environment has credentials for. */
  pagers?: Pagers;
}

function members(list: string): Members {
  const parsed = parseMembers(list);
  // The environment schema has checked the ids' form already.
  return 'error' in parsed ? { users: [], groups: [] } : parsed;
}

/** Who may act, as configuration says (SIRBOT_RESPONDERS, SIRBOT_APPROVERS). */
export function accessPolicyOf(env: Env): AccessPolicy {
  return { responders: members(env.SIRBOT_RESPONDERS), approvers: members(env.SIRBOT_APPROVERS) };
}

/** Wires the pipeline once; every runtime (local server, Lambda, CLI) builds on this. */
export function composeCore(o: CoreOptions): Core {
  const compiled = loadRulesFile(o.env.SIRBOT_RULES, o.env.SIRBOT_DEFAULT_CHANNEL);
  for (const w of compiled.warnings) o.logger.warn({ rules: o.env.SIRBOT_RULES }, w);
  const rules = () => compiled.ruleSet;
  const poster = new RateLimitedPoster(o.slackToken, o.posterLimits ?? SLACK_LIMITS, o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}, {
    logger: o.logger,
    ...(o.delivery?.retryBaseMs !== undefined ? { retryBaseMs: o.delivery.retryBaseMs } : {}),
    ...(o.delivery?.callTimeoutMs !== undefined ? { timeoutMs: o.delivery.callTimeoutMs } : {}),
  });
  const clock = o.clock ?? Date.now;
  // The deliverer comes first: the action services redraw roots through it. The offers its
  // root buttons carry (and the audit log they write to) come before it; the work that
  // follows a root (questions, escalation timers) joins once built.
  const shared = o.actions ? sharedActionParts(o, poster, clock) : undefined;
  const notices = slackThreadNotifier(poster);
  const roots = new RootMessages({
    notices,
    features: { investigate: o.evidence !== undefined, actions: shared !== undefined },
    ...(shared
      ? {
          marks: (id: string) => rootMarks(o.store.actions, id),
          offers: (finding, features, marks) =>
            shared.offers.offerRoot(
              finding.id,
              rootOfferKinds({ canAct: features.actions, awaitingAck: !!marks.ack && !marks.ack.by, caseOpen: !!marks.caseId }),
            ),
        }
      : {}),
  });
  const followUps = new RootFollowUps();
  const deliverer = new Deliverer({
    store: o.store,
    notices,
    roots,
    rules,
    storm: {
      threshold: o.env.SIRBOT_STORM_THRESHOLD,
      windowSeconds: o.env.SIRBOT_STORM_WINDOW_SECONDS,
      digestWindowSeconds: o.env.SIRBOT_DIGEST_WINDOW_SECONDS,
    },
    logger: o.logger,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.digestDebounceMs !== undefined ? { digestDebounceMs: o.digestDebounceMs } : {}),
    ...(o.delivery?.leaseMs !== undefined ? { leaseMs: o.delivery.leaseMs } : {}),
    // A whole delivery is retried after ten of the poster's pauses (it already retried its own calls).
    ...(o.delivery?.retryHere ? { retryBaseMs: (o.delivery.retryBaseMs ?? 500) * 10 } : {}),
    onRootPosted: followUps.rootPosted,
    onNewerShown: followUps.newerShown,
    onRootReplaced: followUps.rootReplaced,
  });
  const refreshRoot = (findingId: string) => deliverer.refreshRoot(findingId);
  const actions =
    o.actions && shared
      ? composeActions(o, o.actions, notices, refreshRoot, clock, shared, rules, poster, {
          rules: compiled.ruleSet,
          permalink: (channel, ts) => poster.permalink(channel, ts),
        })
      : undefined;
  const investigations = o.evidence
    ? new InvestigationService({
        store: o.store,
        notices,
        logger: o.logger,
        collectors: o.evidence.collectors,
        awsNow: o.evidence.awsNow,
        ...(o.clock ? { clock: o.clock } : {}),
        ...(actions
          ? {
              nextSteps: (finding, result) => offeredRemediations(actions.offers, finding, result.timeline, result.subjects, result.states),
              access: actions.access,
              audit: actions.audit,
            }
          : {}),
        ...(o.scheduleGathering ? { schedule: o.scheduleGathering } : {}),
        ...(actions?.principalCheck ? { peopleSaid: (findingId: string) => actions.principalCheck?.said(findingId) ?? Promise.resolve([]) } : {}),
      })
    : undefined;
  const questions = o.evidence
    ? new FollowUpQuestions({
        store: o.store,
        notices: new SlackQuestionNotices(poster),
        logger: o.logger,
        searches: o.evidence.eventSearches ?? (() => []),
        awsNow: o.evidence.awsNow,
        ...(o.clock ? { clock: o.clock } : {}),
        ...(actions ? { access: actions.access, audit: actions.audit } : {}),
        ...(o.evidence.questionTranslator ? { translator: o.evidence.questionTranslator } : {}),
        ...(o.evidence.enabledRegions ? { regions: o.evidence.enabledRegions } : {}),
      })
    : undefined;
  if (investigations) {
    followUps.join({
      rootPosted: (finding, decision, channel, ts) =>
        decision.investigate
          ? investigations
              .start(finding.id, channel, ts)
              .catch((err: unknown) => o.logger.error({ err, findingId: finding.id }, 'could not start investigation'))
          : undefined,
      rootReplaced: (findingId, channel, ts) => investigations.moveThread(findingId, channel, ts),
    });
  }
  if (actions?.principalCheck) {
    const check = actions.principalCheck;
    // "Was this you?" to the person behind the credentials, beside the thread's own work.
    followUps.join({
      rootPosted: (finding) => check.ask(finding.id).catch((err: unknown) => o.logger.error({ err, findingId: finding.id }, 'could not ask the principal')),
    });
  }
  if (actions) {
    followUps.join({
      // A finding closed before it was posted (its first version already resolved) needs nobody to acknowledge it.
      rootPosted: (finding, decision, channel, ts) =>
        decision.acknowledge && !closedAs(finding)
          ? actions.escalations
              .arm(finding.id, channel, ts, decision.acknowledge)
              .catch((err: unknown) => o.logger.error({ err, findingId: finding.id }, 'could not arm the escalation'))
          : undefined,
      rootReplaced: (findingId, channel, ts) => actions.escalations.moveThread(findingId, channel, ts),
      // Resolved, suppressed or archived at its source: the escalation stops and its page is resolved.
      newerShown: (finding) => {
        const closed = closedAs(finding);
        return closed ? actions.escalations.findingClosed(finding.id, closed, null) : undefined;
      },
    });
  }
  const caseEvents: CaseEventSink | undefined = actions
    ? (event, here) => (here || !o.scheduleCaseEvent ? actions.caseSync.apply(event) : o.scheduleCaseEvent(event))
    : undefined;
  const customActions =
    actions && shared
      ? new CustomActions({
          store: o.store,
          rules,
          audit: shared.audit,
          offers: shared.offers,
          notices,
          ...(investigations ? { investigate: (findingId: string, channel: string, ts: string) => investigations.start(findingId, channel, ts) } : {}),
          logger: o.logger,
          clock,
        })
      : undefined;
  const customActionSink: CustomActionSink | undefined = customActions
    ? (findingId, request, here) => (here || !o.scheduleCustomAction ? customActions.apply(findingId, request) : o.scheduleCustomAction(findingId, request))
    : undefined;
  const ingest = new IngestFindings(o.store, deliverer, o.logger, {
    ...(o.clock ? { clock: o.clock } : {}),
    ...(caseEvents ? { caseEvents } : {}),
    ...(customActionSink ? { customActions: customActionSink } : {}),
  });
  return { rules, ruleWarnings: compiled.warnings, store: o.store, poster, deliverer, ingest, investigations, questions, actions, customActions };
}

/**
 * The remediations the evidence supports, each stored as an offer before the summary that
 * carries it is posted. Until the engine hands over its subjects and their current state,
 * the finding's own subjects stand in, with no state known.
 */
async function offeredRemediations(
  offers: OfferBook,
  finding: Finding,
  timeline: TimelineEntry[],
  subjects: Subject[] = subjectsOf(finding),
  states: SubjectState[] = [],
): Promise<OfferedRemediation[]> {
  const suggestions = suggestRemediations(finding, subjects, timeline, states);
  const ids = await offers.offerRemediations(finding.id, suggestions);
  return suggestions.map((s, i) => ({ offerId: ids[i] as string, remediationId: s.remediationId, label: s.label }));
}

/** The audit log and the offers, made before the deliverer: root messages carry offers. */
function sharedActionParts(o: CoreOptions, poster: RateLimitedPoster, clock: () => number): { audit: Auditor; offers: OfferBook } {
  const audit = new Auditor(o.store.actions, o.logger, (channel, ts) => poster.permalink(channel, ts), clock);
  return { audit, offers: new OfferBook(o.store, audit, clock) };
}

/** Status changes, cases, remediations and escalations, sharing one access policy, one audit log and the offers they act on. */
function composeActions(
  o: CoreOptions,
  settings: ActionSettings,
  notices: ThreadNotifier,
  refreshRoot: (findingId: string) => Promise<void>,
  clock: () => number,
  { audit, offers }: { audit: Auditor; offers: OfferBook },
  rules: () => RuleSet,
  poster: SlackPoster,
  paging: { rules: RuleSet; permalink: (channel: string, ts: string) => Promise<string | null> },
): ActionServices {
  // One Web API client for what the actions read from Slack: its directory and its shared files.
  const slackClient = o.slackToken ? new WebClient(o.slackToken, slackClientOptions(o.slackApiUrl)) : null;
  const directory = slackClient ? new SlackDirectory(slackClient) : null;
  const access = new AccessControl(accessPolicyOf(o.env), directory, undefined, clock);
  if (
    access.policy.responders.users.length +
      access.policy.responders.groups.length +
      access.policy.approvers.users.length +
      access.policy.approvers.groups.length ===
    0
  ) {
    o.logger.warn('SIRBOT_RESPONDERS and SIRBOT_APPROVERS are empty: every action from Slack will be refused');
  }
  const executor = new AwsCallExecutor(settings.clients);
  const common = { store: o.store, access, audit, notices, logger: o.logger, clock };
  // The escalation is made after the cases it opens; a case opened by a person settles its proposal.
  let escalations: EscalationService | undefined;
  const securityIr = new SecurityIrCaseApi(() => settings.clients.securityIr(settings.securityIr.account, settings.securityIr.region));
  const cases = new CaseService({
    ...common,
    refreshRoot,
    onCaseOpened: (findingId, caseId, userId) => escalations?.caseOpened(findingId, caseId, userId) ?? Promise.resolve(),
    securityIr,
    region: settings.securityIr.region,
    defaultWatchers: o.env.SIRBOT_CASE_WATCHERS.map((email) => ({ email })),
    emailOf: (userId) => directory?.emailOf(userId) ?? Promise.resolve(null),
  });
  const pagers = o.pagers ?? configuredPagers(pagingSettingsOf(o.env));
  for (const pager of pagersNamedByRules(paging.rules)) {
    if (!pagers[pager]) o.logger.warn({ pager }, `a rule pages ${pager} but it is not configured: its pages will fail (README "Paging on-call")`);
  }
  escalations = new EscalationService({
    ...common,
    offers,
    refreshRoot,
    pagers,
    permalink: paging.permalink,
    openCirtCase: async (findingId) => {
      const draft = await cases.draft(findingId, 'sirbot');
      if (!draft) return { ok: false, kind: 'invalid', reason: 'the finding is no longer known' };
      return cases.open(findingId, 'sirbot', { ...draft.draft, watchers: draft.watchers, resolverType: 'AWS' }, true);
    },
  });
  const caseComments = new CaseComments({
    ...common,
    securityIr,
    region: settings.securityIr.region,
    ...(slackClient && o.slackToken ? { files: new SlackFiles(slackClient, o.slackToken, o.slackApiUrl) } : {}),
  });
  const agentWork = new AgentWork({ ...common, securityIr, region: settings.securityIr.region });
  const principalCheck = directory
    ? new PrincipalCheck({
        ...common,
        people: new PeopleFinder(new IamUserTags(settings.clients), directory, o.env.SIRBOT_PEOPLE ? loadPeopleFile(o.env.SIRBOT_PEOPLE) : []),
        escalate: (findingId) => escalations?.hurry(findingId) ?? Promise.resolve(false),
        waitSeconds: o.env.SIRBOT_PRINCIPAL_WAIT_MINUTES * 60,
      })
    : undefined;
  const caseSync = new CaseSync({
    ...common,
    securityIr,
    comments: caseComments,
    agent: agentWork,
    redrawOpened: (c) => cases.redrawOpened(c),
    region: settings.securityIr.region,
  });
  return {
    access,
    audit,
    offers,
    cases,
    caseComments,
    caseSync,
    agentWork,
    principalCheck,
    status: new StatusService({
      ...common,
      executor,
      refreshRoot,
      ...(o.env.SIRBOT_GUARDDUTY_ADMIN_ACCOUNT ? { guardDuty: { administratorAccount: o.env.SIRBOT_GUARDDUTY_ADMIN_ACCOUNT } } : {}),
      onClosed: (findingId, status, userId) => escalations.findingClosed(findingId, status, userId),
    }),
    remediations: new RemediationService({
      ...common,
      executor,
      extraInputs: {
        ...(o.env.SIRBOT_CONTAINMENT_BACKUP_BUCKET ? { backupBucket: o.env.SIRBOT_CONTAINMENT_BACKUP_BUCKET } : {}),
        ...(o.env.SIRBOT_CONTAINMENT_ROLE_ARN ? { automationRole: o.env.SIRBOT_CONTAINMENT_ROLE_ARN } : {}),
      },
    }),
    escalations,
    snoozes: new SnoozeService({ store: o.store, access, audit, notices, logger: o.logger, clock }),
    stats: new StatsService({
      store: o.store,
      rules,
      access,
      audit,
      notices: new SlackStatsNotices(poster),
      logger: o.logger,
      clock,
      ...(o.charts ? { charts: o.charts } : {}),
      ...(o.env.SIRBOT_STATS_CHANNEL
        ? { weekly: { channel: o.env.SIRBOT_STATS_CHANNEL, weekday: o.env.SIRBOT_STATS_WEEKDAY, hour: o.env.SIRBOT_STATS_HOUR } }
        : {}),
    }),
  };
}

/**
 * What the Slack surfaces need from the core, the same in every runtime; the runtime
 * adds where jobs run.
 */
export function slackAppDeps(core: Core, logger: Logger, actions?: ActionSettings, clock?: () => number): Omit<SlackAppDeps, 'jobs'> {
  return {
    rules: core.rules,
    logger,
    store: core.store,
    ...(core.investigations ? { investigations: core.investigations } : {}),
    ...(core.actions ? { actions: core.actions } : {}),
    ...(actions
      ? { adHoc: actions.securityIr, findingSource: { fetch: (findingId: string) => fetchFinding(actions.clients, findingId, actions.securityIr) } }
      : {}),
    ingest: async (document: unknown) => {
      const { delivered } = await core.ingest.fromText(JSON.stringify(document), 'slack:/sir finding');
      return (await delivered).map((r) => r.findingId);
    },
    permalink: (channel: string, ts: string) => core.poster.permalink(channel, ts),
    ...(clock ? { clock } : {}),
  };
}

/** The paging credentials of the environment. */
export function pagingSettingsOf(env: Env): PagingSettings {
  return {
    pagerDutyRoutingKey: env.SIRBOT_PAGERDUTY_ROUTING_KEY,
    pagerDutyEventsUrl: env.SIRBOT_PAGERDUTY_EVENTS_URL,
    opsgenieApiKey: env.SIRBOT_OPSGENIE_API_KEY,
    opsgenieApiUrl: env.SIRBOT_OPSGENIE_API_URL,
  };
}

/** The pagers the rules page, to warn at start about one that has no credentials. */
function pagersNamedByRules(rules: RuleSet): PagerName[] {
  return [...new Set(rules.rules.flatMap((r) => (r.actions.acknowledge?.page ? [r.actions.acknowledge.page.pager] : [])))];
}

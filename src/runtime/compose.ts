import { loadRulesFile } from '../config/rules-file.ts';
import type { Env } from '../config/env.ts';
import { Deliverer } from '../delivery/deliver.ts';
import { IngestFindings } from '../delivery/ingest-findings.ts';
import type { RuleSet } from '../domain/routing/rules.ts';
import { RateLimitedPoster, SLACK_LIMITS, type PosterLimits, type SlackPoster } from '../slack/poster.ts';
import type { Store } from '../store/store.ts';
import type { Collector } from '../evidence/collector.ts';
import { InvestigationService } from '../investigation/service.ts';
import type { Logger } from './logger.ts';

export interface Core {
  rules: () => RuleSet;
  ruleWarnings: string[];
  store: Store;
  poster: SlackPoster;
  deliverer: Deliverer;
  ingest: IngestFindings;
  investigations: InvestigationService | undefined;
}

/** Where evidence comes from in this runtime. */
export interface EvidenceSources {
  collectors: () => Collector[];
  /** "Now" on the AWS side: the fake's scenario clock, or the wall clock. */
  awsNow: () => number;
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
}

/** Wires the pipeline once; every runtime (local server, Lambda, CLI) builds on this. */
export function composeCore(o: CoreOptions): Core {
  const compiled = loadRulesFile(o.env.SIRBOT_RULES, o.env.SIRBOT_DEFAULT_CHANNEL);
  for (const w of compiled.warnings) o.logger.warn({ rules: o.env.SIRBOT_RULES }, w);
  const rules = () => compiled.ruleSet;
  const poster = new RateLimitedPoster(o.slackToken, o.posterLimits ?? SLACK_LIMITS, {
    ...(o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}),
  }, o.logger);
  const investigations = o.evidence
    ? new InvestigationService({
        store: o.store,
        poster,
        logger: o.logger,
        collectors: o.evidence.collectors,
        awsNow: o.evidence.awsNow,
        ...(o.clock ? { clock: o.clock } : {}),
      })
    : undefined;
  const deliverer = new Deliverer({
    store: o.store,
    poster,
    rules,
    storm: {
      threshold: o.env.SIRBOT_STORM_THRESHOLD,
      windowSeconds: o.env.SIRBOT_STORM_WINDOW_SECONDS,
      digestWindowSeconds: o.env.SIRBOT_DIGEST_WINDOW_SECONDS,
    },
    logger: o.logger,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.digestDebounceMs !== undefined ? { digestDebounceMs: o.digestDebounceMs } : {}),
    ...(investigations
      ? {
          onRootPosted: (finding, decision, channel, ts) => {
            if (!decision.investigate) return;
            investigations.start(finding.id, channel, ts).catch((err: unknown) => o.logger.error({ err, findingId: finding.id }, 'could not start investigation'));
          },
        }
      : {}),
  });
  const ingest = new IngestFindings(o.store, deliverer, o.logger, o.clock);
  return { rules, ruleWarnings: compiled.warnings, store: o.store, poster, deliverer, ingest, investigations };
}

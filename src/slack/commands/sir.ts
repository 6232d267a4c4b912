import type { WebClient } from '@slack/web-api';
import { SIR_USAGE, type SirCommand, parseSirCommand, sinceStart } from '../../domain/commands/sir-command.ts';
import { statsMessage } from '../views/stats.ts';
import type { SirJob } from '../../jobs/job.ts';
import type { Logger } from '../../ports/logger.ts';
import type { SlackAppDeps } from '../deps.ts';
import { roleGuard } from '../middleware/require-role.ts';
import type { CommandArgs, SlackRouter } from '../router.ts';
import { caseDetailsMessage, casesListMessage } from '../views/case.ts';
import type { SlackMessage } from '../views/blocks.ts';
import { sirHelpMessage, sirNoteMessage, sirUsageMessage } from '../views/sir-command.ts';
import { snoozeListMessage, snoozeMadeMessage } from '../views/snooze.ts';

/**
 * Subcommands that change something need the responder role, and so does `stats`: it shows
 * what is suppressed and snoozed (what an intruder would like to know is not watched) and
 * how fast people answer. Reading a case or the list of cases is open to the channel.
 */
const ACTING = new Set<SirCommand['kind']>(['investigate', 'status', 'caseStatus', 'caseClose', 'caseComment', 'snooze', 'snoozeCancel', 'stats']);

/** The help answer never changes: built once, on first use. */
let help: ({ response_type: 'ephemeral' } & ReturnType<typeof sirHelpMessage>) | undefined;
const helpAnswer = () => (help ??= { response_type: 'ephemeral', ...sirHelpMessage(SIR_USAGE) });

const PARSED = 'sirbotSirCommand';
type Parsed = Exclude<SirCommand, { kind: 'help' }>;
const parsedOf = (args: CommandArgs) => args.context[PARSED] as Parsed;

/**
 * `/sir`: parsed at the boundary (bad input gets the problem and the usage, privately),
 * authorized (subcommands that change something: middleware), acknowledged at once; the
 * work is a job, answered privately in the channel when done.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions, jobs, store } = deps;
  const acting = actions && jobs && store ? { actions, jobs } : null;
  const parse = async (args: CommandArgs) => {
    const { command, ack } = args;
    const parsed = parseSirCommand(command.text ?? '', { now: deps.clock?.() ?? Date.now() });
    if (!parsed.ok) return void (await ack({ response_type: 'ephemeral', ...sirUsageMessage(parsed.error, parsed.usage) }));
    if (parsed.command.kind === 'help') return void (await ack(helpAnswer()));
    if (!acting) return void (await ack({ response_type: 'ephemeral', text: 'This sirbot runtime does not take actions from Slack.' }));
    args.context[PARSED] = parsed.command;
    await args.next();
  };
  if (!acting) return app.command('/sir', parse);
  const requireRole = roleGuard({ access: acting.actions.access, audit: acting.actions.audit, logger: deps.logger });
  app.command(
    '/sir',
    parse,
    // The refusal is the command's acknowledgement: this comes before the step that acknowledges.
    requireRole('responder', (args: CommandArgs) => {
      const c = parsedOf(args);
      return ACTING.has(c.kind) ? { action: `command.${c.kind}`, target: args.command.text.slice(0, 200), inputs: c } : null;
    }),
    async ({ command, ack }: CommandArgs) => {
      await ack();
      await acting.jobs.run({ kind: 'sir', text: command.text ?? '', user: command.user_id, channel: command.channel_id, triggerId: command.trigger_id });
    },
  );
}

/** What the `/sir` job needs: the Slack surfaces' services, and the bot's client to answer with. */
export type SirJobDeps = Omit<SlackAppDeps, 'jobs'> & { client: WebClient };

/** The work of a `/sir` command, for the command bus to run in the background or the worker; the text is parsed again there. */
export function sirCommandJob(deps: SirJobDeps): (job: SirJob) => Promise<void> {
  return (job) => runSirCommand(job, deps);
}

async function runSirCommand(job: SirJob, deps: SirJobDeps): Promise<void> {
  const parsed = parseSirCommand(job.text, { now: deps.clock?.() ?? Date.now() });
  const { actions, store } = deps;
  if (!parsed.ok || parsed.command.kind === 'help' || !actions || !store) return;
  const c = parsed.command;
  const reply = (m: SlackMessage) => tell(deps.client, job.channel, job.user, m, deps.logger);
  try {
    await run(c, { user: job.user, channel: job.channel, triggerId: job.triggerId, reply }, { ...deps, actions, store });
  } catch (err) {
    deps.logger.error({ err, command: c.kind }, '/sir failed');
    await reply(sirNoteMessage(`/sir ${c.kind} failed: ${(err as Error).message ?? String(err)}`));
  }
}

async function tell(client: WebClient, channel: string, user: string, m: SlackMessage, logger: Logger): Promise<void> {
  await client.chat
    .postEphemeral({ channel, user, text: m.text, blocks: m.blocks })
    .catch((err: unknown) => logger.warn({ err, user }, 'could not answer /sir'));
}

interface Ctx {
  user: string;
  channel: string;
  triggerId: string;
  reply: (m: SlackMessage) => Promise<void>;
}

async function run(c: Parsed, ctx: Ctx, deps: SirJobDeps & Required<Pick<SlackAppDeps, 'actions' | 'store'>>): Promise<void> {
  const { actions, store } = deps;
  switch (c.kind) {
    case 'investigate': {
      if (!deps.investigations || !deps.adHoc) return ctx.reply(sirNoteMessage('This sirbot runtime cannot investigate.'));
      const now = deps.clock?.() ?? Date.now();
      await actions.audit.record({
        actor: ctx.user,
        action: 'investigate',
        target: c.target.value,
        inputs: c,
        outcome: 'executed',
        channel: ctx.channel,
        ts: null,
      });
      await deps.investigations.startAdHoc({
        // Slack issues one trigger per command: a retried delivery of the same command is the same request.
        requestId: `command:${ctx.triggerId}`,
        target: c.target,
        account: c.account ?? deps.adHoc.account,
        region: c.region ?? deps.adHoc.region,
        // A relative `--since` counts back from the AWS side's now (in the fake, the scenario's clock).
        since: c.since && 'iso' in c.since ? sinceStart(c.since, now) : null,
        ...(c.since && 'hours' in c.since ? { sinceHours: c.since.hours } : {}),
        channel: ctx.channel,
        requestedBy: ctx.user,
      });
      return;
    }
    case 'finding': {
      // A GuardDuty finding is known by its id; its ARN ends with it.
      const known = (await store.getFinding(c.findingId)) ?? (await store.getFinding(c.findingId.split('/').pop() ?? ''));
      if (known?.ts) {
        const url = await deps.permalink?.(known.channel, known.ts);
        return ctx.reply(sirNoteMessage('That finding already has a thread:', url ?? undefined, 'open it'));
      }
      if (!deps.findingSource || !deps.ingest) return ctx.reply(sirNoteMessage('sirbot has not seen that finding and cannot fetch findings here.'));
      const document = await deps.findingSource.fetch(c.findingId);
      if (!document) return ctx.reply(sirNoteMessage(`No finding ${c.findingId} was found in Security Hub or GuardDuty.`));
      const [id] = await deps.ingest(document);
      const delivered = id ? await store.getFinding(id) : null;
      const url = delivered?.ts ? await deps.permalink?.(delivered.channel, delivered.ts) : null;
      return ctx.reply(
        url
          ? sirNoteMessage('Posted the finding:', url, 'open its thread')
          : sirNoteMessage('The finding was fetched; its routing rules did not give it a thread of its own (suppressed or in a digest).'),
      );
    }
    case 'case': {
      const found = await actions.cases.get(c.caseId);
      return ctx.reply(caseDetailsMessage(c.caseId, found, actions.cases.consoleUrl(c.caseId)));
    }
    case 'caseStatus': {
      const result = await actions.cases.setStatus(c.caseId, ctx.user, c.status);
      return ctx.reply(
        sirNoteMessage(
          result.ok
            ? result.already
              ? `Case ${c.caseId} is already ${c.status}.`
              : `Case ${c.caseId} is now ${c.status}.`
            : `Case status not changed: ${result.reason}`,
        ),
      );
    }
    case 'caseComment': {
      // A slash command has no message: its trigger id names the request (Slack's retries carry the same one).
      const result = await actions.caseComments.post({ userId: ctx.user, text: c.text, caseId: c.caseId, source: { channel: ctx.channel, ts: ctx.triggerId } });
      return ctx.reply(
        sirNoteMessage(
          result.ok
            ? `${result.already ? 'Already on' : 'Posted to'} case ${c.caseId} as comment ${result.commentId}.`
            : `Comment not posted: ${result.reason}`,
        ),
      );
    }
    case 'caseClose': {
      const result = await actions.cases.close(c.caseId, ctx.user);
      return ctx.reply(sirNoteMessage(result.ok ? `Case ${c.caseId} is closed.` : `Case not closed: ${result.reason}`));
    }
    case 'cases': {
      const listed = await actions.cases.list(c.all);
      return ctx.reply(casesListMessage(listed, (id) => actions.cases.consoleUrl(id)));
    }
    case 'status': {
      const result = await actions.status.set({ findingId: c.findingId, status: c.status, note: c.note ?? '', userId: ctx.user });
      if (result.ok) return ctx.reply(sirNoteMessage(result.already ? `That finding is already ${c.status}.` : `Workflow status set to ${c.status}.`));
      return ctx.reply(sirNoteMessage(`Status not set: ${result.reason}`));
    }
    case 'snoozeList':
      return ctx.reply(snoozeListMessage(await actions.snoozes.listActive()));
    case 'snoozeCancel': {
      const result = await actions.snoozes.cancel(c.snoozeId, ctx.user);
      if (!result.ok) return ctx.reply(sirNoteMessage(`Snooze not cancelled: ${result.reason}.`));
      return ctx.reply(sirNoteMessage(result.already ? `Snooze ${c.snoozeId} had already ended.` : `Snooze ${c.snoozeId} cancelled.`));
    }
    case 'snooze': {
      // Slack issues one trigger per command: a retried delivery of the same command is the same request.
      const result = await actions.snoozes.create({
        requestKey: `command:${ctx.triggerId}`,
        userId: ctx.user,
        criteria: c.criteria,
        seconds: c.seconds,
        reason: c.reason,
        findingId: null,
        place: { channel: ctx.channel, threadTs: null },
      });
      return ctx.reply(result.ok ? snoozeMadeMessage(result.snooze) : sirNoteMessage(`Not snoozed: ${result.reason}.`));
    }
    case 'stats': {
      const from = sinceStart(c.since, deps.clock?.() ?? Date.now());
      const result = await actions.stats.report(ctx.user, from, { channel: ctx.channel });
      if (!result.ok) return ctx.reply(sirNoteMessage(`No numbers: ${result.reason}.`));
      await ctx.reply(statsMessage(result.stats, `Findings since ${from.slice(0, 16).replace('T', ' ')} UTC`));
      if (!result.chart) return;
      // The chart shows only findings per day and severity; the breakdowns above stay private.
      await deps.client
        .filesUploadV2({
          channel_id: ctx.channel,
          initial_comment: `Findings per day since ${from.slice(0, 10)} (asked for with /sir stats by <@${ctx.user}>)`,
          file_uploads: [{ file: Buffer.from(result.chart), filename: `findings-since-${from.slice(0, 10)}.png` }],
        })
        .catch((err: unknown) => deps.logger.warn({ err, user: ctx.user }, 'could not upload the stats chart'));
      return;
    }
  }
}

import type { ActionNotices } from './notices/actions.ts';
import type { DeliveryNotices } from './notices/delivery.ts';
import type { InvestigationNotices } from './notices/investigation.ts';

/**
 * Everything the use cases tell a finding's thread, as events: a finding posted,
 * redrawn or updated (delivery), an investigation's questions, progress and result,
 * a case opened or changed, a status set, a remediation requested, executed or undone,
 * an escalation step. Each use case depends only on the part it speaks through; the
 * Slack adapter implements the whole (src/slack/notifier), wording and Block Kit included.
 */
export interface ThreadNotifier extends DeliveryNotices, ActionNotices, InvestigationNotices {}

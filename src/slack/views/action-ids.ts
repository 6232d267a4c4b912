import type { QuestionId } from '../../domain/investigation/playbooks.ts';

/** Action and callback ids of sirbot's action surfaces, shared by view builders and listeners. */
export const FINDING_ACTIONS = {
  setStatus: 'finding_set_status',
  openCase: 'case_open',
  /** The escalation's proposal: the case modal with the AWS CIRT engaged. */
  openCaseCirt: 'case_open_cirt',
  acknowledge: 'finding_acknowledge',
  snooze: 'finding_snooze',
} as const;

/** App Home's Cancel on an active snooze; the value is the snooze id. */
export const SNOOZE_ACTIONS = {
  cancel: 'snooze_cancel',
} as const;

export const CASE_ACTIONS = {
  escalate: 'case_escalate_cirt',
  status: 'case_set_status',
  close: 'case_close',
} as const;

export const REMEDIATION_ACTIONS = {
  /** Prefix: one action id per offered remediation, so Slack keeps them apart in one block. */
  request: 'remediation_request',
  approve: 'remediation_approve',
  reject: 'remediation_reject',
  undo: 'remediation_undo',
} as const;

export const CALLBACKS = {
  statusModal: 'status_modal',
  caseModal: 'case_modal',
  remediationModal: 'remediation_modal',
  undoModal: 'remediation_undo_modal',
  snoozeModal: 'snooze_modal',
  investigateShortcut: 'investigate_message',
  postToCaseShortcut: 'post_to_case',
} as const;

/** Action ids of the investigation thread; the value of each carries the investigation id. */
export const INVESTIGATION_ACTIONS = {
  answer: (q: QuestionId) => `investigation_answer_${q}`,
  investigateNow: 'investigation_start_now',
  investigate: 'investigation_start',
} as const;

/** The investigative agent's result buttons; the value carries `<case id>:<investigation id>`. */
export const AGENT_ACTIONS = {
  useful: 'agent_feedback_useful',
  notUseful: 'agent_feedback_not_useful',
} as const;

/** "Was this you?" in a direct message; the value carries the question's id. */
export const PRINCIPAL_ACTIONS = {
  answer: (answer: 'yes' | 'no' | 'unsure') => `principal_answer_${answer}`,
} as const;

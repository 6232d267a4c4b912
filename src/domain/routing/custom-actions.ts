/**
 * Security Hub custom actions: a person selects findings in the Security Hub console and
 * sends them to EventBridge under an action they named (`Security Hub Findings - Custom
 * Action`, with `actionName` and `actionDescription`). The rules file maps action names to
 * what sirbot does with those findings beyond posting them; without a `customActions`
 * section, the two names below do what they say.
 */
export const CUSTOM_ACTION_DOINGS = ['investigate', 'open-case'] as const;
export type CustomActionDoing = (typeof CUSTOM_ACTION_DOINGS)[number];

export interface CustomActionMapping {
  /** The action's name in Security Hub (`actionName`), compared without case or surrounding spaces. */
  name: string;
  do: CustomActionDoing;
}

export const DEFAULT_CUSTOM_ACTIONS: readonly CustomActionMapping[] = [
  { name: 'Investigate in Slack', do: 'investigate' },
  { name: 'Open SIR case', do: 'open-case' },
];

const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** What a custom action of `actionName` asks of sirbot, or null when the mapping names it not. */
export function customActionFor(mappings: readonly CustomActionMapping[], actionName: string): CustomActionDoing | null {
  const wanted = key(actionName);
  return mappings.find((m) => key(m.name) === wanted)?.do ?? null;
}

/**
 * What a finding asks beyond its delivery: a Security Hub custom action by name, or an
 * investigation at once whatever the rules say (AWS Health's exposed key), and why.
 */
export type FollowUpRequest = { actionName: string } | { investigateBecause: string };

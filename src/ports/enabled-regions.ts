/** The regions an account has enabled, and how they were learned. */
export type EnabledRegionsAnswer =
  | { regions: string[]; via: string }
  /** Neither source answered: `via` says what each said. */
  | { regions: null; via: string };

/**
 * Where an account can have activity at all: the regions it has enabled (the default ones
 * and the opt-in regions turned on). Evidence collectors search there; an adapter learns
 * them from the account (and may keep them a while).
 */
export interface EnabledRegions {
  of(accountId: string): Promise<EnabledRegionsAnswer>;
}

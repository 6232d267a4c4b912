/** What an investigation could not see, and why: a source that failed, was cut short, or is out of reach. */
export interface LimitingFactor {
  source: string;
  reason: 'failed' | 'truncated' | 'out-of-window' | 'access-denied' | 'not-configured';
  detail: string;
}

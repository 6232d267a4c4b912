/** What an investigation could not see, and why: a source that failed, was cut short, or is out of reach. */
export interface LimitingFactor {
  source: string;
  /**
   * `not-searched`: a place the investigation did not look (other regions, before the window);
   * `data-events`: events CloudTrail event history never holds (S3 object access, Lambda invokes).
   */
  reason: 'failed' | 'truncated' | 'out-of-window' | 'access-denied' | 'not-configured' | 'not-searched' | 'data-events';
  detail: string;
}

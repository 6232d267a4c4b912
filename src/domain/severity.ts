import type { SeverityLabel } from './finding.ts';

/** Normalized score Security Hub assigns when a product gives only a label. */
const SCORE_FOR_LABEL: Record<SeverityLabel, number> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 40,
  HIGH: 70,
  CRITICAL: 90,
};

export function scoreForLabel(label: SeverityLabel): number {
  return SCORE_FOR_LABEL[label];
}

/** ASFF's normalized bands: 0 informational, 1–39 low, 40–69 medium, 70–89 high, 90–100 critical. */
export function labelForScore(score: number): SeverityLabel {
  if (score >= 90) return 'CRITICAL';
  if (score >= 70) return 'HIGH';
  if (score >= 40) return 'MEDIUM';
  if (score >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

/**
 * GuardDuty's own bands on its 1.0–10.0 scale: low 1.0–3.9, medium 4.0–6.9,
 * high 7.0–8.9, critical 9.0–10.0 (critical is used by attack sequences).
 */
export function guardDutyLabel(severity: number): SeverityLabel {
  if (severity >= 9) return 'CRITICAL';
  if (severity >= 7) return 'HIGH';
  if (severity >= 4) return 'MEDIUM';
  if (severity >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

import type { PlanCode } from '../db/schema.js';

/** The plan catalogue (domain.md §1.2, §5.1). The seat limit is a per-account number. */
export interface Plan {
  readonly code: PlanCode;
  readonly label: string;
  readonly defaultSeatLimit: number;
  /** SCIM provisioning and teams are Enterprise features. */
  readonly scim: boolean;
}

export const PLANS: Readonly<Record<PlanCode, Plan>> = {
  essentials: { code: 'essentials', label: 'Essentials', defaultSeatLimit: 5, scim: false },
  professional: { code: 'professional', label: 'Professional', defaultSeatLimit: 10, scim: false },
  enterprise: { code: 'enterprise', label: 'Enterprise', defaultSeatLimit: 15, scim: true },
};

export function isPlanCode(value: string): value is PlanCode {
  return Object.hasOwn(PLANS, value);
}

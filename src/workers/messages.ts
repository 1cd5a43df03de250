import type { SignInOutcome } from '../shared/worker-peers.js';

/**
 * What the primary and the workers of `roster serve` (ROSTER_WORKERS > 1) tell each other over
 * Node's cluster IPC channel. Every message carries `roster`, so Node's own cluster messages
 * are never mistaken for ours.
 */
export interface ForgetMessage {
  /** A worker revoked or rotated a key, or changed an account: the others forget their cached lookups too. */
  readonly roster: 'forget';
  readonly scope: 'key' | 'account';
  readonly id: string;
}

export function isForgetMessage(message: unknown): message is ForgetMessage {
  const candidate = message as Partial<ForgetMessage> | null;
  return typeof candidate === 'object' && candidate !== null && candidate.roster === 'forget' && (candidate.scope === 'key' || candidate.scope === 'account') && typeof candidate.id === 'string';
}

/** A worker's console sign-in failed or succeeded: the others count it too (shared/worker-peers.ts SignInPeers). */
export interface SignInMessage {
  readonly roster: 'sign-in';
  readonly outcome: SignInOutcome;
}

export function isSignInMessage(message: unknown): message is SignInMessage {
  const candidate = message as Partial<SignInMessage> | null;
  const outcome = candidate?.outcome as Partial<Record<'kind' | 'email' | 'ip', unknown>> | undefined;
  if (typeof candidate !== 'object' || candidate === null || candidate.roster !== 'sign-in' || typeof outcome !== 'object' || outcome === null || typeof outcome.email !== 'string') return false;
  return outcome.kind === 'success' || (outcome.kind === 'failure' && typeof outcome.ip === 'string');
}

/** A worker asks for up to `wanted` more requests of a rate-limit counter's window (http/scim/rate-limit-leases.ts). */
export interface LeaseRequest {
  readonly roster: 'lease';
  readonly id: number;
  readonly key: string;
  readonly window: number;
  readonly max: number;
  readonly wanted: number;
}

export interface LeaseGranted {
  readonly roster: 'lease-granted';
  readonly id: number;
  readonly granted: number;
}

export function isLeaseRequest(message: unknown): message is LeaseRequest {
  const candidate = message as Partial<LeaseRequest> | null;
  return typeof candidate === 'object' && candidate !== null && candidate.roster === 'lease' && typeof candidate.id === 'number' && typeof candidate.key === 'string' && Number.isInteger(candidate.window) && Number.isInteger(candidate.max) && Number.isInteger(candidate.wanted);
}

export function isLeaseGranted(message: unknown): message is LeaseGranted {
  const candidate = message as Partial<LeaseGranted> | null;
  return typeof candidate === 'object' && candidate !== null && candidate.roster === 'lease-granted' && typeof candidate.id === 'number' && typeof candidate.granted === 'number';
}

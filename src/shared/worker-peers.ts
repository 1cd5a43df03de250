/**
 * What the workers of one `roster serve` (ROSTER_WORKERS > 1) share through their primary
 * (src/workers). The features name these shapes and the worker channel implements them; both
 * import them from here, since neither may import the other.
 */

/** Forgetting cached key lookups in every worker (accounts/api-key-cache.ts, forgetAcrossWorkers). */
export interface CachePeers {
  publish(scope: 'key' | 'account', id: string): void;
  subscribe(listener: (scope: 'key' | 'account', id: string) => void): void;
}

/**
 * The budget of each SCIM rate-limit counter, held by the primary (http/scim/rate-limit-leases.ts):
 * `lease` grants up to `wanted` more requests of counter `key` in `window`, fewer or none once
 * the workers together have been granted `max`.
 */
export interface CounterLeases {
  lease(key: string, window: number, max: number, wanted: number): Promise<number>;
}

/**
 * The console's failed and successful sign-ins, told to every other worker
 * (accounts/sign-in-throttle.ts, throttleAcrossWorkers), so that the workers of one server hold
 * a password guesser to one limit between them rather than one each.
 */
export interface SignInPeers {
  publish(outcome: SignInOutcome): void;
  subscribe(listener: (outcome: SignInOutcome) => void): void;
}

export type SignInOutcome = { readonly kind: 'failure'; readonly email: string; readonly ip: string } | { readonly kind: 'success'; readonly email: string };

import type { CachePeers, CounterLeases, SignInOutcome, SignInPeers } from '../shared/worker-peers.js';
import { isForgetMessage, isLeaseGranted, isSignInMessage, type ForgetMessage, type LeaseRequest, type SignInMessage } from './messages.js';

/** A worker's side of the primary's coordination (primary.ts). */
export interface WorkerChannel {
  readonly cacheForgets: CachePeers;
  readonly rateLimitLeases: CounterLeases;
  readonly signIns: SignInPeers;
}

/** The channel of a cluster worker (`process.send` exists only in one). */
export function workerChannel(): WorkerChannel {
  const forgetListeners: ((scope: 'key' | 'account', id: string) => void)[] = [];
  const signInListeners: ((outcome: SignInOutcome) => void)[] = [];
  const leasesWaiting = new Map<number, { resolve: (granted: number) => void; wanted: number }>();
  let nextLeaseId = 1;
  process.on('message', (message: unknown) => {
    if (isLeaseGranted(message)) {
      leasesWaiting.get(message.id)?.resolve(message.granted);
      leasesWaiting.delete(message.id);
    } else if (isForgetMessage(message)) for (const listener of forgetListeners) listener(message.scope, message.id);
    else if (isSignInMessage(message)) for (const listener of signInListeners) listener(message.outcome);
  });
  // Without the primary (this worker is shutting down) a lease is granted here: the requests
  // still draining are counted by this worker alone rather than left waiting.
  process.once('disconnect', () => {
    for (const { resolve, wanted } of leasesWaiting.values()) resolve(wanted);
    leasesWaiting.clear();
  });
  return {
    rateLimitLeases: {
      lease: (key, window, max, wanted) =>
        new Promise<number>((resolve) => {
          if (!process.connected) return resolve(wanted);
          const id = nextLeaseId++;
          leasesWaiting.set(id, { resolve, wanted });
          const message: LeaseRequest = { roster: 'lease', id, key, window, max, wanted };
          process.send?.(message);
        }),
    },
    cacheForgets: {
      publish: (scope, id) => toOtherWorkers({ roster: 'forget', scope, id }),
      subscribe: (listener) => void forgetListeners.push(listener),
    },
    signIns: {
      publish: (outcome) => toOtherWorkers({ roster: 'sign-in', outcome }),
      subscribe: (listener) => void signInListeners.push(listener),
    },
  };
}

/** A message the primary relays to every other worker. */
function toOtherWorkers(message: ForgetMessage | SignInMessage): void {
  // Once the primary is gone this worker is shutting down (onPrimaryGone): nobody to tell.
  if (process.connected) process.send?.(message);
}

/** Runs `shutdown` when the primary exits or is killed: a worker never outlives it. */
export function onPrimaryGone(shutdown: () => void): void {
  process.once('disconnect', shutdown);
}

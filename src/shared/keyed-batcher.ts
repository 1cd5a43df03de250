/**
 * Coalesces work per key: while one batch of a key is being written, what arrives for that key
 * waits and goes out as the next batch, in arrival order. A key with nothing in flight starts at
 * once, so a lone request waits for nothing. `write` answers one result per item, in order; if
 * it throws, every item of that batch gets the error.
 */
export class KeyedBatcher<Item, Result> {
  readonly #queues = new Map<string, { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[]>();

  constructor(
    private readonly write: (key: string, items: readonly Item[]) => Promise<readonly Result[]>,
    private readonly maxBatch: number,
  ) {}

  submit(key: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = this.#queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      // The key's queue exists exactly while a batch of it is in flight.
      this.#queues.set(key, []);
      void this.#drain(key, [{ item, resolve, reject }]);
    });
  }

  async #drain(key: string, first: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[]): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      try {
        const results = await this.write(key, batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.resolve(results[i] as Result));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
      const queue = this.#queues.get(key) ?? [];
      batch = queue.splice(0, this.maxBatch);
    }
    this.#queues.delete(key);
  }
}

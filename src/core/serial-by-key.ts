/**
 * Runs async work one at a time per key, in call order; different keys run concurrently.
 * Control-plane actions use it for read-modify-write of one resource: without it, two calls
 * in flight together both start from the same state and the later commit silently drops the
 * earlier, acknowledged change.
 */
export class SerialByKey {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T> | T): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

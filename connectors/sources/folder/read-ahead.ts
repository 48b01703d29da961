// Reads settled files a few at a time ahead of the one being stored, in their order; a big file only at its turn.

/** Given to each read: a read of more than the small limit waits until every earlier item was taken. */
export interface ReadTurn {
  mayRead(size: number): Promise<void>;
}

export interface ReadAheadLimits {
  /** Reads under way at once, besides the item being taken. */
  atOnce: number;
  /** Up to this size a read goes ahead at once; a bigger one waits for its turn, so at most one is held. */
  smallBytes: number;
}

/**
 * Yields `read(item)` for every item in order while later items are already being read: a file's reads are several
 * round trips to the thread pool (open, stat, read, close, stat again), and one after the other they left the event
 * loop idle while a folder of small files waited. Memory stays bounded: at most `atOnce` small files read ahead and
 * one big one. If the consumer stops early (its store failed), the reads under way still finish before this returns.
 */
export async function* readAhead<T, R>(
  items: readonly T[],
  limits: ReadAheadLimits,
  read: (item: T, turn: ReadTurn) => Promise<R>,
): AsyncGenerator<R> {
  const pending: { result: Promise<R>; open: () => void }[] = [];
  let next = 0;
  const launch = () => {
    while (next < items.length && pending.length < limits.atOnce) {
      let open!: () => void;
      const turn = new Promise<void>((resolve) => (open = resolve));
      const mayRead = (size: number) => (size <= limits.smallBytes ? Promise.resolve() : turn);
      const result = read(items[next++] as T, { mayRead });
      result.catch(() => undefined); // a later read that fails is rethrown when its turn comes, never left unhandled
      pending.push({ result, open });
    }
  };
  try {
    launch();
    for (let head = pending.shift(); head; head = pending.shift()) {
      head.open();
      const result = await head.result;
      launch();
      yield result;
    }
  } finally {
    for (const p of pending) p.open();
    await Promise.allSettled(pending.map((p) => p.result));
  }
}

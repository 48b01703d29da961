// Minimal, comment-preserving YAML saves: only the nodes that changed are touched (yaml's Document API), and keys a save adds that only repeat a default are left out.
import type { Document } from 'yaml';
import { yaml } from './yaml-module.js';

type Plain = Record<string, unknown>;
type Path = (string | number)[];

const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Arrays of objects with string ids (connections) are matched by id, so one removal does not rewrite the rest. */
function byId(list: unknown[]): Map<string, number> | undefined {
  const ids = new Map<string, number>();
  for (const [index, item] of list.entries()) {
    if (!isPlain(item) || typeof item.id !== 'string' || ids.has(item.id)) return undefined;
    ids.set(item.id, index);
  }
  return ids;
}

/** Writes into `doc` the difference between `before` and `after` at `path`, leaving every other node (and comment) alone. */
export function applyChanges(doc: Document, before: unknown, after: unknown, path: Path = []): void {
  if (same(before, after)) return;
  if (isPlain(before) && isPlain(after) && (path.length === 0 || yaml().isMap(doc.getIn(path, true)))) {
    for (const key of Object.keys(before)) if (!(key in after)) doc.deleteIn([...path, key]);
    for (const [key, value] of Object.entries(after)) {
      if (key in before) applyChanges(doc, before[key], value, [...path, key]);
      else doc.setIn([...path, key], doc.createNode(value));
    }
    return;
  }
  const oldIds = Array.isArray(before) ? byId(before) : undefined;
  const newIds = Array.isArray(after) ? byId(after) : undefined;
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    oldIds &&
    newIds &&
    yaml().isSeq(doc.getIn(path, true))
  ) {
    const kept = [...oldIds].filter(([id]) => newIds.has(id));
    // Order changes are rare (the UI never reorders); when they happen, rewrite the list.
    const order = kept.map(([id]) => id);
    const newOrder = [...newIds.keys()].filter((id) => oldIds.has(id));
    if (same(order, newOrder)) {
      for (const [id, index] of kept)
        applyChanges(doc, before[index], after[newIds.get(id)!], [...path, index]);
      const removed = [...oldIds].filter(([id]) => !newIds.has(id)).map(([, index]) => index);
      for (const index of removed.sort((a, b) => b - a)) doc.deleteIn([...path, index]);
      for (const [id, index] of newIds) if (!oldIds.has(id)) doc.addIn(path, doc.createNode(after[index]));
      return;
    }
  }
  const node = doc.getIn(path, true);
  if (yaml().isScalar(node) && (after === null || typeof after !== 'object')) {
    node.value = after; // in place: the comment beside the value stays
    return;
  }
  doc.setIn(path, doc.createNode(after));
}

/**
 * Leaves out of `after` the keys a save added (absent in `before`) whose removal changes nothing in the effective
 * config: an edit through the UI then keeps the file as short as the admin wrote it.
 */
export function pruneDefaults(before: unknown, after: Plain, effective: (raw: Plain) => unknown): void {
  const effectiveText = (raw: Plain) => {
    try {
      return JSON.stringify(effective(raw));
    } catch {
      return undefined; // without this key the config is invalid: the key stays
    }
  };
  const target = effectiveText(after);
  const walk = (old: unknown, value: unknown, isNew: boolean) => {
    if (Array.isArray(value)) {
      const oldIds = Array.isArray(old) ? byId(old) : undefined;
      const ids = byId(value);
      if (!ids) return;
      for (const [id, index] of ids) {
        const previous = oldIds?.has(id) ? (old as unknown[])[oldIds.get(id)!] : undefined;
        walk(previous, value[index], previous === undefined);
      }
      return;
    }
    if (!isPlain(value)) return;
    const oldPlain = isPlain(old) ? old : undefined;
    const order = Object.keys(value);
    for (const key of order) {
      const added = isNew || !oldPlain || !(key in oldPlain);
      if (added && key !== 'id') {
        const removed = value[key];
        delete value[key];
        if (target !== undefined && effectiveText(after) === target) continue;
        value[key] = removed;
      }
      walk(oldPlain?.[key], value[key], added);
    }
    // Keys put back went to the end: restore the order the save asked for.
    const ordered = order.filter((key) => key in value).map((key) => [key, value[key]] as const);
    for (const [key] of ordered) delete value[key];
    for (const [key, kept] of ordered) value[key] = kept;
  };
  walk(before, after, false);
}

// Type mapping of pgoutput column text: timestamps ISO 8601 with their microseconds, dates as text, rest as pg parses.
import type { Pgoutput } from 'pg-logical-replication';
import pg from 'pg';
import { isoTimestamp, toJson, type JsonValue } from '../values.js';

const oids = { date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, timetz: 1266 };

/** numeric and int8 stay strings, json/jsonb are parsed, arrays become arrays (pg's parsers); times keep full precision. */
function parserFor(typeOid: number): (text: string) => unknown {
  if (typeOid === oids.timestamptz) return (text) => isoTimestamp(text, 'timestamptz');
  if (typeOid === oids.timestamp) return (text) => isoTimestamp(text, 'timestamp');
  if (typeOid === oids.date || typeOid === oids.time || typeOid === oids.timetz) return (text) => text;
  return pg.types.getTypeParser(typeOid, 'text') as (text: string) => unknown;
}

/** Replaces the parsers of a freshly parsed Relation message (rows of that relation are parsed with them). */
export function useOwnParsers(relation: Pgoutput.MessageRelation): void {
  for (const column of relation.columns) column.parser = parserFor(column.typeOid);
}

/**
 * A decoded tuple as JSON. Unchanged TOASTed values arrive as undefined (pgoutput's 'u'; filled from the old image
 * under REPLICA IDENTITY FULL): they are left out, never sent as null. Returns the names left out.
 */
export function tupleJson(tuple: Record<string, unknown>): {
  json: Record<string, JsonValue>;
  unchanged: string[];
} {
  const json: Record<string, JsonValue> = {};
  const unchanged: string[] = [];
  for (const [column, value] of Object.entries(tuple)) {
    if (value === undefined) unchanged.push(column);
    else json[column] = toJson(value);
  }
  return { json, unchanged };
}

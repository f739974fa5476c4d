import { createHash } from 'node:crypto';

/** The field a sealed record (page record, document revision) carries its own hash in. */
export const RECORD_HASH_FIELD = 'recordSha256';

/**
 * JSON with object keys sorted at every level, so a record's hash does not depend on the order
 * its fields were written in (or on a reformatting of the file), only on its content.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value)) as unknown));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** SHA-256 of a record's canonical JSON, without its own hash field. */
export function recordHash(record: object): string {
  const { [RECORD_HASH_FIELD]: _own, ...content } = record as Record<string, unknown>;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The record with its hash inside, as it is written to the archive. */
export function sealRecord<T extends object>(record: T): T & { recordSha256: string } {
  return { ...record, [RECORD_HASH_FIELD]: recordHash(record) };
}

/**
 * Checks a record read back from disk (the raw parsed JSON, before any schema drops fields):
 * `unsealed` for records written before records carried their hash, `changed` when the content
 * no longer matches the hash inside it.
 */
export function checkRecordHash(raw: unknown): 'intact' | 'changed' | 'unsealed' {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'changed';
  const stored = (raw as Record<string, unknown>)[RECORD_HASH_FIELD];
  if (stored === undefined) return 'unsealed';
  return stored === recordHash(raw) ? 'intact' : 'changed';
}

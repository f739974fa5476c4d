/** Structural equality for JSON-shaped data (what the API delivers and IndexedDB stores). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  const aEntries = Object.entries(a).filter(([, value]) => value !== undefined);
  const bRecord = new Map(Object.entries(b).filter(([, value]) => value !== undefined));
  return aEntries.length === bRecord.size && aEntries.every(([key, value]) => bRecord.has(key) && sameValue(value, bRecord.get(key)));
}

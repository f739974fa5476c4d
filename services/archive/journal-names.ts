/**
 * The journal's entry names begin with what they are for. Fixity reads them too (to tell work in
 * progress from damage), so the prefixes live here, beside the archive, once.
 */
export const JOURNAL_PREFIXES = {
  /** One page being taken in: its original stored, its record not yet. */
  intake: 'intake-',
  /** A multi-page file whose pages are still being extracted. */
  file: 'file-',
  /** A document change whose revisions are not all written yet. */
  documents: 'documents-',
} as const;

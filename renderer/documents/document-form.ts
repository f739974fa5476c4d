import {
  documentMetadataPatchSchema,
  sensitivitySchema,
  type DocumentMetadata,
  type DocumentMetadataPatch,
} from '../../common/api/contract';
import type { MessageKey } from '../i18n/en';

export type Sensitivity = DocumentMetadata['sensitivity'];
export const SENSITIVITIES: readonly Sensitivity[] = sensitivitySchema.options;

/** The metadata as the clerk types it: every field a string, lists one entry per line. */
export interface MetadataDraft {
  readonly title: string;
  readonly caseNumber: string;
  readonly documentType: string;
  readonly date: string;
  readonly institution: string;
  /** One person per line: names may carry commas ("Gashi, Agim"). */
  readonly persons: string;
  readonly sensitivity: Sensitivity;
  readonly notes: string;
  /** Separated by commas or lines. */
  readonly tags: string;
}
export type MetadataField = keyof MetadataDraft;
export type FieldErrors = Partial<Record<MetadataField, MessageKey>>;

export type DraftOutcome =
  | { readonly ok: true; readonly patch: DocumentMetadataPatch; readonly changed: boolean }
  | { readonly ok: false; readonly errors: FieldErrors };

const TEXT_FIELDS = ['title', 'caseNumber', 'documentType', 'institution'] as const;

export function draftOf(metadata: DocumentMetadata): MetadataDraft {
  return {
    title: metadata.title ?? '',
    caseNumber: metadata.caseNumber ?? '',
    documentType: metadata.documentType ?? '',
    date: metadata.date ?? '',
    institution: metadata.institution ?? '',
    persons: metadata.persons.join('\n'),
    sensitivity: metadata.sensitivity,
    notes: metadata.notes ?? '',
    tags: metadata.tags.join(', '),
  };
}

/** Entries of a list field, trimmed, inner spaces collapsed, blanks and repeats dropped. */
export function listEntries(text: string, separators: RegExp): string[] {
  const entries = text
    .split(separators)
    .map((entry) => entry.trim().replace(/\s+/gu, ' '))
    .filter((entry) => entry !== '');
  return [...new Set(entries)];
}

/**
 * What the clerk changed, as the contract's metadata patch: only fields that differ from the
 * document's, an emptied field as `null` (cleared). Checked against the contract's own schema,
 * plus a calendar check the schema's pattern cannot make (no 2019-13-40), so a mistake is named
 * beside its field before anything is sent.
 */
export function patchFromDraft(draft: MetadataDraft, current: DocumentMetadata): DraftOutcome {
  const patch: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) {
    const value = draft[field].trim();
    if (value !== (current[field] ?? '')) patch[field] = value === '' ? null : value;
  }
  const date = draft.date.trim();
  if (date !== (current.date ?? '')) patch['date'] = date === '' ? null : date;
  const notes = draft.notes.trim() === '' ? '' : draft.notes;
  if (notes !== (current.notes ?? '')) patch['notes'] = notes === '' ? null : notes;
  const persons = listEntries(draft.persons, /\r?\n/);
  if (!sameList(persons, current.persons)) patch['persons'] = persons;
  const tags = listEntries(draft.tags, /[,\n]/);
  if (!sameList(tags, current.tags)) patch['tags'] = tags;
  if (draft.sensitivity !== current.sensitivity) patch['sensitivity'] = draft.sensitivity;

  const errors: FieldErrors = {};
  if (date !== '' && !isCalendarDate(date)) errors.date = 'documents.invalid.date';
  const parsed = documentMetadataPatchSchema.safeParse(patch);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field !== 'string' || !isField(field) || errors[field]) continue;
      errors[field] = issueMessage(field, issue.code, issue.path.length > 1);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, patch: parsed.data, changed: Object.keys(parsed.data).length > 0 };
}

function issueMessage(field: MetadataField, code: string, inEntry: boolean): MessageKey {
  if (field === 'date') return 'documents.invalid.date';
  if (code === 'too_big') return inEntry || (field !== 'persons' && field !== 'tags') ? 'documents.invalid.tooLong' : 'documents.invalid.tooMany';
  return 'documents.invalid.other';
}

/** YYYY, YYYY-MM or YYYY-MM-DD naming a month and day that exist. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!match) return false;
  const [, , month, day] = match;
  if (month === undefined) return true;
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (day === undefined) return true;
  const d = Number(day);
  const daysInMonth = new Date(Date.UTC(Number(match[1]), m, 0)).getUTCDate();
  return d >= 1 && d <= daysInMonth;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry === b[index]);
}

function isField(name: string): name is MetadataField {
  return ['title', 'caseNumber', 'documentType', 'date', 'institution', 'persons', 'sensitivity', 'notes', 'tags'].includes(name);
}

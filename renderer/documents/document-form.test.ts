import { describe, expect, it } from 'vitest';
import type { DocumentMetadata } from '../../common/api/contract';
import { draftOf, isCalendarDate, listEntries, patchFromDraft, type MetadataDraft } from './document-form';

const current: DocumentMetadata = {
  title: 'Raport i autopsisë',
  caseNumber: '2019/0457-IML',
  date: '1999-06',
  persons: ['Agim Gashi', 'Драган Живковић'],
  sensitivity: 'restricted',
  tags: ['autopsi', '1999'],
};
const edited = (patch: Partial<MetadataDraft>): MetadataDraft => ({ ...draftOf(current), ...patch });

describe('the metadata draft', () => {
  it('shows the document as typed text: lists one person per line and tags by commas, absent fields empty', () => {
    expect(draftOf(current)).toEqual({
      title: 'Raport i autopsisë',
      caseNumber: '2019/0457-IML',
      documentType: '',
      date: '1999-06',
      institution: '',
      persons: 'Agim Gashi\nДраган Живковић',
      sensitivity: 'restricted',
      notes: '',
      tags: 'autopsi, 1999',
    });
  });

  it('sends nothing when nothing changed, and only the fields that did otherwise', () => {
    expect(patchFromDraft(draftOf(current), current)).toEqual({ ok: true, patch: {}, changed: false });
    expect(patchFromDraft(edited({ documentType: ' Autopsy report ', sensitivity: 'secret' }), current)).toEqual({
      ok: true,
      patch: { documentType: 'Autopsy report', sensitivity: 'secret' },
      changed: true,
    });
  });

  it('clears an emptied field with null, so the archive drops it rather than keeping an empty string', () => {
    expect(patchFromDraft(edited({ title: '  ', date: '' }), current)).toEqual({ ok: true, patch: { title: null, date: null }, changed: true });
  });

  it('takes persons a line each (names keep their commas) and tags by commas or lines, without blanks or repeats', () => {
    const outcome = patchFromDraft(edited({ persons: 'Gashi, Agim\n\n  Milan   Petrović \nMilan Petrović', tags: 'autopsi,, 1999\nPejë' }), current);
    expect(outcome).toEqual({ ok: true, patch: { persons: ['Gashi, Agim', 'Milan Petrović'], tags: ['autopsi', '1999', 'Pejë'] }, changed: true });
    expect(listEntries(' a ,b,,a ', /,/)).toEqual(['a', 'b']);
  });

  it('names a date that is not a year, month or day that exists beside the date field', () => {
    for (const date of ['99', '1999-13', '1999-02-30', '1999/06/01', 'June 1999']) {
      expect(patchFromDraft(edited({ date }), current), date).toEqual({ ok: false, errors: { date: 'documents.invalid.date' } });
    }
    expect(patchFromDraft(edited({ date: '2000-02-29' }), current)).toMatchObject({ ok: true, patch: { date: '2000-02-29' } });
  });

  it('refuses what the contract refuses, field by field: an over-long title, an over-long person', () => {
    const outcome = patchFromDraft(edited({ title: 'x'.repeat(501), persons: `Agim Gashi\n${'y'.repeat(501)}` }), current);
    expect(outcome).toEqual({ ok: false, errors: { title: 'documents.invalid.tooLong', persons: 'documents.invalid.tooLong' } });
  });

  it('refuses more tags than the contract allows as too many entries', () => {
    const tags = Array.from({ length: 201 }, (_, index) => `t${index}`).join(',');
    expect(patchFromDraft(edited({ tags }), current)).toEqual({ ok: false, errors: { tags: 'documents.invalid.tooMany' } });
  });

  it('checks calendar dates', () => {
    expect(['1999', '1999-01', '1999-12-31', '2024-02-29'].map(isCalendarDate)).toEqual([true, true, true, true]);
    expect(['1999-00', '1999-04-31', '2023-02-29', '1999-1-1', ''].map(isCalendarDate)).toEqual([false, false, false, false, false]);
  });
});

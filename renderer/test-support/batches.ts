import type { BatchRecord, BatchState } from '../../common/api/contract';

let counter = 0;

/** A batch as `batches.list` gives it: its pages added in order, its history one entry per change. */
export function batchOf(pageIds: readonly string[], overrides: Partial<BatchRecord> = {}): BatchRecord {
  const n = ++counter;
  const state: BatchState = overrides.state ?? 'open';
  return {
    id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    title: `Dosja ${n}/2004`,
    institution: 'Instituti i Mjekësisë Ligjore',
    workstation: 'ws-7',
    createdAt: `2026-11-0${(n % 9) + 1}T08:00:00.000Z`,
    createdBy: 'arta',
    pages: pageIds.map((pageId) => ({ pageId, addedAt: '2026-11-10T09:00:00.000Z', addedBy: 'arta' })),
    state,
    seals: [],
    history: [{ at: '2026-11-10T08:00:00.000Z', actor: 'arta', action: 'opened', state: 'open' }],
    ...overrides,
  };
}

/** The batch after one more change: a history entry appended, as the services do. */
export function changed(batch: BatchRecord, patch: Partial<BatchRecord>): BatchRecord {
  const state = patch.state ?? batch.state;
  return {
    ...batch,
    ...patch,
    history: [...batch.history, { at: '2026-11-11T08:00:00.000Z', actor: 'milan', action: state === 'open' ? 'pages-added' : 'sealed', state }],
  };
}

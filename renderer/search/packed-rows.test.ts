import { describe, expect, it } from 'vitest';
import { PackedRows, UINT16_ROWS } from './packed-rows';

const rows = (packed: PackedRows<Uint16Array>) => Array.from({ length: packed.count }, (_, page) => [...packed.row(page)]);

describe('PackedRows', () => {
  it('packs rows added and replaced since the last pack after the unchanged ones, and reads them the same either way', () => {
    const packed = new PackedRows(UINT16_ROWS);
    packed.push(Uint16Array.of(1, 2));
    packed.push(Uint16Array.of(3));
    const first = packed.pack();
    expect([...first.rows]).toEqual([1, 2, 3]);
    expect([...first.offsets]).toEqual([0, 2, 3]);

    packed.push(Uint16Array.of(4, 5));
    packed.replace(1, UINT16_ROWS.empty);
    expect(rows(packed)).toEqual([[1, 2], [], [4, 5]]);
    expect(packed.at(2, 1)).toBe(5);
    expect(packed.at(0, 2)).toBeUndefined();
    const second = packed.pack();
    expect([...second.rows]).toEqual([1, 2, 4, 5]);
    expect([...second.offsets]).toEqual([0, 2, 2, 4]);
    expect(rows(new PackedRows(UINT16_ROWS, second.rows, second.offsets))).toEqual([[1, 2], [], [4, 5]]);
  });

  it('hands out the same arrays when nothing changed, and refuses offsets that do not fit the rows', () => {
    const packed = new PackedRows(UINT16_ROWS, Uint16Array.of(7, 8), Uint32Array.of(0, 1, 2));
    const first = packed.pack();
    expect(packed.pack().rows).toBe(first.rows);
    expect(() => new PackedRows(UINT16_ROWS, Uint16Array.of(7), Uint32Array.of(0, 2))).toThrow(/disagree/);
  });
});

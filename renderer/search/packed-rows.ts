/** How PackedRows makes, views and copies its typed arrays (one per element type). */
export interface RowKind<A> {
  readonly empty: A;
  create(length: number): A;
  view(array: A, from: number, to: number): A;
  copy(target: A, source: A, at: number): void;
  length(array: A): number;
  get(array: A, index: number): number | undefined;
}

export const BYTE_ROWS: RowKind<Uint8Array> = {
  empty: new Uint8Array(0),
  create: (length) => new Uint8Array(length),
  view: (array, from, to) => array.subarray(from, to),
  copy: (target, source, at) => target.set(source, at),
  length: (array) => array.length,
  get: (array, index) => array[index],
};

export const UINT16_ROWS: RowKind<Uint16Array> = {
  empty: new Uint16Array(0),
  create: (length) => new Uint16Array(length),
  view: (array, from, to) => array.subarray(from, to),
  copy: (target, source, at) => target.set(source, at),
  length: (array) => array.length,
  get: (array, index) => array[index],
};

/**
 * One row of numbers per page. The rows of the last snapshot stay in its one packed array (so
 * opening a snapshot makes no object per page); rows added or replaced since are one array each
 * until `pack` puts them in, copying the unchanged front of the packed array in one go, so a save
 * after a few new pages does not pass over every page of the archive.
 */
export class PackedRows<A> {
  #packed: A;
  #offsets: Uint32Array;
  #packedPages: number;
  #count: number;
  readonly #changed = new Map<number, A>();

  /** `offsets` has one more entry than pages: where each row starts in `packed`, and its end. */
  constructor(
    private readonly kind: RowKind<A>,
    packed: A = kind.empty,
    offsets: Uint32Array = new Uint32Array(1),
  ) {
    const pages = offsets.length - 1;
    if (pages < 0 || offsets[pages] !== kind.length(packed)) throw new Error('rows and their offsets disagree');
    this.#packed = packed;
    this.#offsets = offsets;
    this.#packedPages = pages;
    this.#count = pages;
  }

  get count(): number {
    return this.#count;
  }

  /** Adds a row as the next page; returns its page number. */
  push(row: A): number {
    const page = this.#count++;
    this.#changed.set(page, row);
    return page;
  }

  /** Replaces a page's row (the kind's `empty` to clear it); pages not yet added are left alone. */
  replace(page: number, row: A): void {
    if (page < this.#count) this.#changed.set(page, row);
  }

  /** The row changed since the last pack, if it was: lets a caller tell a cleared page by identity. */
  changed(page: number): A | undefined {
    return this.#changed.get(page);
  }

  /** One number of a page's row without making a view of it: for loops over many pages' words. */
  at(page: number, position: number): number | undefined {
    const changed = this.#changed.get(page);
    if (changed) return this.kind.get(changed, position);
    if (page >= this.#packedPages) return undefined;
    const at = (this.#offsets[page] ?? 0) + position;
    return at < (this.#offsets[page + 1] ?? 0) ? this.kind.get(this.#packed, at) : undefined;
  }

  row(page: number): A {
    const changed = this.#changed.get(page);
    if (changed) return changed;
    if (page >= this.#packedPages) return this.kind.empty;
    return this.kind.view(this.#packed, this.#offsets[page] ?? 0, this.#offsets[page + 1] ?? 0);
  }

  /** Every row in one array; the same arrays again when nothing changed since the last pack. */
  pack(): { readonly rows: A; readonly offsets: Uint32Array } {
    let firstChanged = this.#count;
    for (const page of this.#changed.keys()) firstChanged = Math.min(firstChanged, page);
    const kept = Math.min(firstChanged, this.#packedPages);
    if (kept < this.#count) {
      const offsets = new Uint32Array(this.#count + 1);
      offsets.set(this.#offsets.subarray(0, kept + 1));
      let total = offsets[kept] ?? 0;
      for (let page = kept; page < this.#count; page++) {
        offsets[page] = total;
        total += this.kind.length(this.row(page));
      }
      offsets[this.#count] = total;
      const rows = this.kind.create(total);
      this.kind.copy(rows, this.kind.view(this.#packed, 0, offsets[kept] ?? 0), 0);
      for (let page = kept; page < this.#count; page++) this.kind.copy(rows, this.row(page), offsets[page] ?? 0);
      this.#packed = rows;
      this.#offsets = offsets;
      this.#packedPages = this.#count;
    }
    this.#changed.clear();
    return { rows: this.#packed, offsets: this.#offsets };
  }
}

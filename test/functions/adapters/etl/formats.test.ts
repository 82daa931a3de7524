import { describe, expect, it } from 'vitest';
import { MAX_CSV_RECORD_BYTES, streamReader } from '../../../../functions/adapters/etl/formats.ts';
import type { SourceItem } from '../../../../functions/core/etl/ports.ts';

const encoder = new TextEncoder();
async function* chunked(lines: string[], perChunk: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < lines.length; i += perChunk) yield encoder.encode(lines.slice(i, i + perChunk).join(''));
}

const summary = (item: SourceItem) => ('record' in item ? { row: item.row, record: item.record } : { row: item.row, error: true });

describe('CSV reading (csv-parse, streaming)', () => {
  it('hands over records and malformed lines in file order', async () => {
    const reader = streamReader(chunked(['id,name\n', '1,a\n', '2,b\n', '3,c,extra\n', '4,d\n'], 2), { format: 'csv', batchSize: 10 });
    const items: SourceItem[] = [];
    for await (const batch of reader.batches) items.push(...batch);
    expect(items.map(summary)).toEqual([
      { row: 2, record: { id: '1', name: 'a' } },
      { row: 3, record: { id: '2', name: 'b' } },
      { row: 4, error: true },
      { row: 5, record: { id: '4', name: 'd' } },
    ]);
  });

  it('a file of bad lines hands its errors over as it goes, not when a good record finally comes', async () => {
    const lines = ['a,b\n', ...Array.from({ length: 20_000 }, () => '1,2,3\n'), '4,5\n'];
    const total = lines.join('').length;
    const reader = streamReader(chunked(lines, 100), { format: 'csv', batchSize: 50 });
    const iterator = reader.batches[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.every((item: SourceItem) => 'error' in item)).toBe(true);
    // The reader is far from the end of the input when the first errors arrive.
    expect(reader.bytesRead()).toBeLessThan(total / 4);
    let errors = first.value!.length;
    let records = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      for (const item of next.value) {
        if ('error' in item) errors++;
        else records++;
      }
    }
    expect({ errors, records }).toEqual({ errors: 20_000, records: 1 });
  });

  it('an unclosed quote is that row’s error, read no further than the record size limit', async () => {
    const reader = streamReader(chunked(['a,b\n', '1,2\n', `3,"${'x'.repeat(4 * MAX_CSV_RECORD_BYTES)}\n`], 1), { format: 'csv', batchSize: 10 });
    const items: SourceItem[] = [];
    for await (const batch of reader.batches) items.push(...batch);
    expect(items[0]).toEqual({ row: 2, record: { a: '1', b: '2' } });
    expect(items.slice(1).length).toBeGreaterThan(0);
    expect(items.slice(1).every((item) => 'error' in item && item.row === 3)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { coalesced } from '../../../functions/core/coalesce.ts';

/** A read that records what it was asked and answers from `state` as it is when the read starts. */
function recordingRead(state: Map<string, string[]>) {
  const reads: string[] = [];
  const read = async (key: string) => {
    reads.push(key);
    return [...(state.get(key) ?? [])];
  };
  return { reads, read };
}

describe('coalesced (reads that arrive together share one)', () => {
  it('calls with one key made before the read starts share it; other keys read on their own', async () => {
    const { reads, read } = recordingRead(new Map([['a', ['hook-1']], ['b', ['hook-2']]]));
    const shared = coalesced(read, (key) => key);
    const answers = await Promise.all([shared('a'), shared('a'), shared('b'), shared('a')]);
    expect(answers).toEqual([['hook-1'], ['hook-1'], ['hook-2'], ['hook-1']]);
    expect(reads).toEqual(['a', 'b']);
  });

  it('starts the read only after every joined call was made, so it sees what each caller would have seen', async () => {
    const state = new Map([['a', ['old']]]);
    const { read } = recordingRead(state);
    const shared = coalesced(read, (key) => key);
    const first = shared('a');
    // A write committed after the first call but before the second: the second caller must see it.
    state.set('a', ['old', 'new']);
    const second = shared('a');
    expect(await Promise.all([first, second])).toEqual([['old', 'new'], ['old', 'new']]);
  });

  it('never serves a call made after the read started from it: a later call reads again', async () => {
    const state = new Map([['a', ['v1']]]);
    const { reads, read } = recordingRead(state);
    const shared = coalesced(read, (key) => key);
    expect(await shared('a')).toEqual(['v1']);
    state.set('a', ['v2']);
    expect(await shared('a')).toEqual(['v2']);
    expect(reads).toEqual(['a', 'a']);
  });

  it('gives each caller its own copy, so one filtering or changing its answer cannot touch another’s', async () => {
    const shared = coalesced(async () => ({ hooks: [{ id: 'h1', enabled: true }] }), () => 'a');
    const [one, two] = await Promise.all([shared(), shared()]);
    one.hooks[0]!.enabled = false;
    one.hooks.push({ id: 'h2', enabled: true });
    expect(two).toEqual({ hooks: [{ id: 'h1', enabled: true }] });
  });

  it('a value that cannot be copied fails only the callers it could not be copied for; none is left waiting', async () => {
    const shared = coalesced(async () => ({ format: () => 'x' }), () => 'a');
    const settled = await Promise.allSettled([shared(), shared(), shared()]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
  });

  it('fails every joined call with the read’s error, and the next call reads again', async () => {
    let fail = true;
    let reads = 0;
    const shared = coalesced(async () => {
      reads += 1;
      if (fail) throw new Error('throttled');
      return 'ok';
    }, () => 'a');
    const settled = await Promise.allSettled([shared(), shared()]);
    expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : s.value))).toEqual(['throttled', 'throttled']);
    fail = false;
    expect(await shared()).toBe('ok');
    expect(reads).toBe(2);
  });

  it('a read that throws before it returns a promise fails its callers too', async () => {
    const shared = coalesced((): Promise<string> => {
      throw new Error('bad key');
    }, () => 'a');
    await expect(shared()).rejects.toThrow('bad key');
  });
});

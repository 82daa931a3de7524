import { describe, expect, it } from 'vitest';
import { condense, type ChoiceUnit, type Unit, type UnitDag } from '../../../statemachines/structure/choice-blocks.ts';
import { ir } from '../support/fixtures.ts';

const ids = (dag: UnitDag) => dag.units.map((u: Unit) => u.node.id);

describe('choice blocks', () => {
  it('collapses an if/else that rejoins into one unit with branch zones and a merge zone', () => {
    const graph = ir({
      definition: {
        nodes: {
          start: { type: 'pass', next: 'check' },
          check: { type: 'choice', params: { choices: [{ when: 'a', next: 'x' }], default: 'y' } },
          x: { type: 'pass', next: 'merge' },
          y: { type: 'pass', next: 'y2' },
          y2: { type: 'pass', next: 'merge' },
          merge: { type: 'pass', next: 'after' },
          after: { type: 'pass' },
        },
      },
    });
    const { dag, issues } = condense(graph);
    expect(issues).toEqual([]);
    expect(ids(dag)).toEqual(['start', 'check']);
    const block = dag.units[1] as ChoiceUnit;
    expect(block.routes).toEqual([
      { target: 'x', zone: 0 },
      { target: 'y', zone: 1 },
    ]);
    expect(block.zones.map((z) => [ids(z.dag), z.next])).toEqual([
      [['x'], 2],
      [['y', 'y2'], 2],
      [['merge', 'after'], undefined],
    ]);
  });

  it('lets a branch end or fail without rejoining', () => {
    const graph = ir({
      definition: {
        nodes: {
          check: { type: 'choice', params: { choices: [{ when: 'a', next: 'x' }, { when: 'b', next: 'y' }], default: 'stop' } },
          x: { type: 'pass', next: 'merge' },
          y: { type: 'pass', next: 'merge' },
          stop: { type: 'fail' },
          merge: { type: 'pass' },
        },
      },
    });
    const block = condense(graph).dag.units[0] as ChoiceUnit;
    expect(block.zones.map((z) => [ids(z.dag), z.next])).toEqual([
      [['x'], 3],
      [['y'], 3],
      [['stop'], undefined],
      [['merge'], undefined],
    ]);
  });

  it('routes to the end of the block for targets that also run unconditionally', () => {
    // "both" also depends on "pre", so it runs whatever the choice says: choosing it skips the other branch.
    const graph = ir({
      tasks: [
        { name: 'pre', type: 'pass' },
        { name: 'check', type: 'choice', payload: { choices: [{ when: 'a', next: 'only' }], default: 'both' } },
        { name: 'only', type: 'pass', dependencies: ['check'] },
        { name: 'both', type: 'pass', dependencies: ['check', 'pre'] },
      ],
    });
    const { dag } = condense(graph);
    expect(ids(dag)).toEqual(['pre', 'check', 'both']);
    expect((dag.units[1] as ChoiceUnit).routes).toEqual([{ target: 'only', zone: 0 }, { target: 'both' }]);
    expect(dag.edges).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('collapses nested choices inside-out', () => {
    const graph = ir({
      definition: {
        nodes: {
          outer: { type: 'choice', params: { choices: [{ when: 'a', next: 'inner' }], default: 'plain' } },
          inner: { type: 'choice', params: { choices: [{ when: 'b', next: 'deep' }] } },
          deep: { type: 'pass' },
          plain: { type: 'pass' },
        },
      },
    });
    const outer = condense(graph).dag.units[0] as ChoiceUnit;
    const inner = outer.zones[0]?.dag.units[0] as ChoiceUnit;
    expect(inner.kind).toBe('choice');
    expect(inner.zones.map((z) => ids(z.dag))).toEqual([['deep']]);
  });
});

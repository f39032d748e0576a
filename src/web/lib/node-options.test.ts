import { describe, expect, it } from 'vitest';
import { indentedLabel, treeOptions } from './node-options.js';

const node = (id: number, parentId: number | null, depth: number, position: number, number: string) => ({
  id,
  parentId,
  depth,
  position,
  number,
  title: `項目${id}`,
  archived: id === 9,
});

describe('nodes to choose from', () => {
  // Read level by level, as the API lists them.
  const nodes = [
    node(1, null, 0, 0, 'Ⅰ'),
    node(2, null, 0, 1, 'Ⅱ'),
    node(3, 1, 1, 0, '(1)'),
    node(4, 2, 1, 0, '(2)'),
    node(5, 1, 1, 1, '(3)'),
    node(9, 1, 1, 2, '(9)'),
    node(6, 3, 2, 0, '①'),
  ];

  it('lists them in tree order, indented by depth, without archived ones', () => {
    expect(treeOptions(nodes).map(indentedLabel)).toEqual([
      'Ⅰ 項目1',
      '\u3000(1) 項目3',
      '\u3000\u3000① 項目6',
      '\u3000(3) 項目5',
      'Ⅱ 項目2',
      '\u3000(2) 項目4',
    ]);
  });

  it('keeps the tree order when only some are listed, indented from the shallowest', () => {
    const options = treeOptions(nodes, { keep: (n) => n.depth === 1, disabled: (n) => n.id === 5 });
    expect(options.map((o) => [o.value, o.indent, o.disabled])).toEqual([
      [3, 0, undefined],
      [5, 0, true],
      [4, 0, undefined],
    ]);
  });
});

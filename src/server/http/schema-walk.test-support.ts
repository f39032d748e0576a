import { z } from 'zod';

/**
 * Walks a zod schema as the API reads requests with it: the object keys it holds (as dotted paths
 * without array positions) and, for each place, inputs of every kind a person or a buggy client might
 * send that the schema refuses.
 */

type Def = { type: string } & Record<string, unknown>;
type Internals = { _zod: { def: Def; bag?: Record<string, unknown> } };
// zod 4 keeps a schema's definition and checks on `_zod`, which it does not type for outside readers.
const internals = (s: z.ZodType): Internals => s as unknown as Internals;
const defOf = (s: z.ZodType): Def => internals(s)._zod.def;
const bagOf = (s: z.ZodType): Record<string, unknown> => internals(s)._zod.bag ?? {};
// A definition holds its nested schemas by name (innerType, element, in, out, keyType, valueType, shape, options).
const sub = (d: Def, key: string): z.ZodType => d[key] as z.ZodType;
const subs = (d: Def, key: string): z.ZodType[] => d[key] as z.ZodType[]; // the options of a union
const shapeOf = (d: Def): Record<string, z.ZodType> => d.shape as Record<string, z.ZodType>; // an object's keys
const entriesOf = (d: Def): Record<string, string> => d.entries as Record<string, string>; // an enum's values

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 20; i++) {
    const d = defOf(cur);
    if (WRAPPERS.has(d.type)) cur = sub(d, 'innerType');
    else return cur;
  }
  return cur;
}

/** Every object key reachable in the schema, as dotted paths of keys (array positions left out). */
export function keyPaths(schema: z.ZodType, prefix: string[] = [], out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 12) return out;
  const s = unwrap(schema);
  const d = defOf(s);
  switch (d.type) {
    case 'object':
      for (const [k, v] of Object.entries(shapeOf(d))) {
        out.add([...prefix, k].join('.'));
        keyPaths(v, [...prefix, k], out, depth + 1);
      }
      break;
    case 'array':
      keyPaths(sub(d, 'element'), prefix, out, depth + 1);
      break;
    case 'pipe':
      keyPaths(sub(d, 'in'), prefix, out, depth + 1);
      keyPaths(sub(d, 'out'), prefix, out, depth + 1);
      break;
    case 'union':
      for (const o of subs(d, 'options')) keyPaths(o, prefix, out, depth + 1);
      break;
    case 'record': {
      const keys = defOf(unwrap(sub(d, 'keyType')));
      if (keys.type === 'enum')
        for (const k of Object.values(entriesOf(keys))) {
          out.add([...prefix, k].join('.'));
          keyPaths(sub(d, 'valueType'), [...prefix, k], out, depth + 1);
        }
      break;
    }
    default:
  }
  return out;
}

const LONG = (n: number) => 'あ'.repeat(n);

/** Values the schema refuses, of every kind: wrong types, empty, too long, too many, negative and zero, unknown choices. */
export function badValues(schema: z.ZodType, depth = 0): unknown[] {
  if (depth > 8) return [];
  const s = unwrap(schema);
  const d = defOf(s);
  const bag = bagOf(s);
  switch (d.type) {
    case 'string': {
      const out: unknown[] = [12345, true, {}, '', '改\n行'];
      if (typeof bag.maximum === 'number' && bag.maximum < 20_000_000) out.push(LONG(bag.maximum + 1));
      return out;
    }
    case 'number':
      return ['十二', -1, 0, 1.5, 1e12, -1e12, null, {}];
    case 'boolean':
      return ['はい', 1];
    case 'enum':
    case 'literal':
      return ['bogus', 7, null];
    case 'array': {
      const out: unknown[] = ['abc', 5, []];
      if (typeof bag.maximum === 'number' && bag.maximum < 200_000) out.push(Array(bag.maximum + 1).fill(null));
      for (const b of badValues(sub(d, 'element'), depth + 1).slice(0, 40)) out.push([b]);
      return out;
    }
    case 'object': {
      const out: unknown[] = ['abc', 5, [], {}];
      for (const [k, v] of Object.entries(shapeOf(d))) for (const b of badValues(v, depth + 1)) out.push({ [k]: b });
      return out;
    }
    case 'pipe':
      return [...badValues(sub(d, 'in'), depth + 1), ...badValues(sub(d, 'out'), depth + 1)];
    case 'union': {
      const out: unknown[] = ['abc', 5, {}];
      const disc = typeof d.discriminator === 'string' ? d.discriminator : undefined;
      for (const o of subs(d, 'options')) out.push(...optionBadValues(o, disc, depth));
      return out;
    }
    case 'record': {
      const out: unknown[] = ['abc', { bogus: 1 }];
      const keys = defOf(unwrap(sub(d, 'keyType')));
      if (keys.type === 'enum') {
        const k = Object.values(entriesOf(keys))[0]!;
        for (const b of badValues(sub(d, 'valueType'), depth + 1)) out.push({ [k]: b });
      }
      return out;
    }
    default:
      return [];
  }
}

/** Bad values of one option of a union; of a discriminated union, each with the option's tag so that it reaches the option. */
function optionBadValues(option: z.ZodType, disc: string | undefined, depth: number): unknown[] {
  const od = defOf(unwrap(option));
  if (!disc || od.type !== 'object') return badValues(option, depth + 1);
  const tag = defOf(unwrap(shapeOf(od)[disc]!));
  const values: unknown = tag.values;
  const value: unknown = Array.isArray(values) ? values[0] : undefined;
  return badValues(option, depth + 1)
    .filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object' && !Array.isArray(b))
    .map((b) => ({ ...b, [disc]: value }));
}

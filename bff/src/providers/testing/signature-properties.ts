/**
 * Property-based tests (fast-check) every provider's signature runs (issue 12): over arbitrary
 * field maps — names that are identifiers or the awkward `__proto__`/`constructor`, values in any
 * script with the separators a canonical string uses (`&`, `=`, `|`) —
 *
 * - `verify(sign(p))` holds;
 * - one change of a signed field's value fails verification;
 * - one field added fails verification;
 * - one field removed fails verification;
 * - (`k=v` forms) one field renamed fails verification.
 *
 * Empty values are outside every provider's signed string ("not sent", docs/providers/README.md
 * "Signatures"), so the generated values are never empty. Maps have a null prototype, like every
 * map of outside fields (core/form.ts), so `__proto__` is a field like any other.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { dataObject } from '../../core/strict-json';

export type FieldMap<V = string> = Record<string, V>;

/** Field names: mostly identifiers, sometimes the names a plain JS object treats specially. */
export function fieldName(exclude: readonly string[] = []): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 12, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/) },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf') },
    )
    .filter((k) => !exclude.includes(k));
}

/** Non-empty text: any script, emoji, the canonical separators, spaces and percent signs. */
export const fieldText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' }),
  fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
  fc.constantFrom('&', '=', '|', 'a&b=c', 'x|y', '0', ' ', '%26', '+', '"', '{}', '乌龙茶 Oolong'),
);

export interface FieldMapOptions<V> {
  /** the fields the rule leaves out of the signed string, or that carry the signature */
  exclude?: readonly string[];
  /** default: {@link fieldText} */
  value?: fc.Arbitrary<V>;
  minFields?: number;
  maxFields?: number;
  /** a value as the signed string shows it, to tell a change from none; default: the string, or its JSON */
  render?: (v: V) => string;
}

const defaultRender = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A null-prototype map of 1–12 distinct fields (by default). */
export function fieldMap<V = string>(opts: FieldMapOptions<V> = {}): fc.Arbitrary<FieldMap<V>> {
  const value = (opts.value ?? fieldText) as fc.Arbitrary<V>;
  return fc
    .uniqueArray(fc.tuple(fieldName(opts.exclude), value), { selector: (e) => e[0], minLength: opts.minFields ?? 1, maxLength: opts.maxFields ?? 12 })
    .map((entries) => {
      const map = dataObject<V>();
      for (const [k, v] of entries) map[k] = v;
      return map;
    });
}

const copy = <V>(map: FieldMap<V>): FieldMap<V> => {
  const out = dataObject<V>();
  for (const [k, v] of Object.entries(map)) out[k] = v;
  return out;
};

/** `map` plus one field (the signature, usually), as a new null-prototype map. */
export function withField<V>(map: FieldMap<V>, name: string, value: V): FieldMap<V> {
  const m = copy(map);
  m[name] = value;
  return m;
}

export type Change = 'changed' | 'added' | 'removed' | 'renamed';

/** `map` with exactly one change of the given kind. */
export function oneChange<V>(map: FieldMap<V>, kind: Change, opts: FieldMapOptions<V> = {}): fc.Arbitrary<{ map: FieldMap<V>; what: string }> {
  const keys = Object.keys(map);
  const value = (opts.value ?? fieldText) as fc.Arbitrary<V>;
  const show = opts.render ?? defaultRender;
  const newName = fieldName(opts.exclude).filter((k) => !Object.hasOwn(map, k));
  switch (kind) {
    case 'changed':
      return fc.tuple(fc.constantFrom(...keys), value).filter(([k, v]) => show(v) !== show(map[k] as V)).map(([k, v]) => {
        const m = copy(map);
        m[k] = v;
        return { map: m, what: `${k}: ${JSON.stringify(show(map[k] as V))} → ${JSON.stringify(show(v))}` };
      });
    case 'added':
      return fc.tuple(newName, value).map(([k, v]) => {
        const m = copy(map);
        m[k] = v;
        return { map: m, what: `+${k}=${JSON.stringify(show(v))}` };
      });
    case 'removed':
      return fc.constantFrom(...keys).map((k) => {
        const m = copy(map);
        delete m[k];
        return { map: m, what: `-${k}` };
      });
    case 'renamed':
      return fc.tuple(fc.constantFrom(...keys), newName).map(([k, n]) => {
        const m = dataObject<V>();
        for (const [key, v] of Object.entries(map)) m[key === k ? n : key] = v as V;
        return { map: m, what: `${k} → ${n}` };
      });
  }
}

export interface SignatureUnderTest<V, S> {
  /** signs the fields as they would go on the wire (the signature field itself excluded) */
  sign(fields: FieldMap<V>): S;
  /** verifies `fields` (without the signature field) against `signature`: valid or not */
  verify(fields: FieldMap<V>, signature: S): boolean;
  fields?: FieldMapOptions<V>;
  /** `k=v` forms notice a renamed field; a values-only form (UMF's `|`) cannot */
  renames?: boolean;
  /** default 100; fewer for slow (RSA) signatures */
  numRuns?: number;
}

/** Registers the properties above as tests (call inside a `describe`). */
export function signatureProperties<V, S>(s: SignatureUnderTest<V, S>): void {
  const runs = { numRuns: s.numRuns ?? 100 };
  const maps = fieldMap(s.fields);

  it('verify(sign(p)) holds for any fields p', () => {
    fc.assert(
      fc.property(maps, (p) => {
        expect(s.verify(p, s.sign(p))).toBe(true);
      }),
      runs,
    );
  });

  const kinds: Change[] = ['changed', 'added', 'removed', ...(s.renames ? (['renamed'] as const) : [])];
  const titles: Record<Change, string> = {
    changed: 'one signed field changed → verification fails',
    added: 'one field added → verification fails',
    removed: 'one signed field removed → verification fails',
    renamed: 'one signed field renamed → verification fails',
  };
  for (const kind of kinds) {
    it(titles[kind], () => {
      fc.assert(
        fc.property(
          maps.chain((p) => oneChange(p, kind, s.fields).map((c) => ({ p, ...c }))),
          ({ p, map, what }) => {
            expect(s.verify(map, s.sign(p)), what).toBe(false);
          },
        ),
        runs,
      );
    });
  }
}

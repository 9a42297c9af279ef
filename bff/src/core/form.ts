/**
 * The one reader for `application/x-www-form-urlencoded` text that comes from outside (provider
 * notifications, the sandbox simulators' requests). Values are URL-decoded the way browsers and
 * every provider's library encode them (`+` is a space, `%XX` UTF-8).
 *
 * Two things `Object.fromEntries(new URLSearchParams(text))` or `map[k] = v` get wrong, and a
 * signature check then trusts:
 * - a field named `__proto__` assigned to a plain object sets nothing (the object's prototype
 *   setter swallows it), so the field vanishes before the signature is computed — here the map
 *   has a null prototype and `__proto__` is a field like any other;
 * - a field sent twice keeps one copy silently — here it is refused: which copy the provider
 *   meant, or signed, would be ambiguous.
 */
import { dataObject } from './strict-json';

export type ParsedForm = { ok: true; fields: Record<string, string> } | { ok: false; reason: string };

/** The fields of a form body (null-prototype map), or why it is refused. An empty text has no fields. */
export function parseForm(text: string): ParsedForm {
  const fields = dataObject<string>();
  for (const [k, v] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, k)) return { ok: false, reason: `field ${JSON.stringify(k)} appears more than once` };
    fields[k] = v;
  }
  return { ok: true, fields };
}

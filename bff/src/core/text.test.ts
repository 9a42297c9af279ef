import { describe, expect, it } from 'vitest';
import { providerTextProblem } from './text';

describe('providerTextProblem', () => {
  it.each(['乌龙茶 Oolong tea 250g', '咖啡 ☕ 🍵 x2 (大杯)', 'A-10001: "quoted" & <angled> 100%', 'مرحبا עברית', 'ǅ\u200d\u00ad'])('accepts %j', (text) => {
    expect(providerTextProblem(text)).toBeUndefined();
  });

  it.each([
    ['a NUL', 'Tea\u0000', 'contains the control character U+0000 at character 4: payment providers do not accept control characters'],
    ['a line break', 'Tea\ntwo', 'contains the control character U+000A at character 4: payment providers do not accept control characters'],
    ['a tab', '\tTea', 'contains the control character U+0009 at character 1: payment providers do not accept control characters'],
    ['DEL', 'Tea\u007f', 'contains the control character U+007F at character 4: payment providers do not accept control characters'],
    ['a C1 control', 'Tea\u0085', 'contains the control character U+0085 at character 4: payment providers do not accept control characters'],
    ['a lone high surrogate', '🍵 \ud83c', 'contains a lone surrogate (U+D83C) at character 3: not valid Unicode text'],
    ['a lone low surrogate', '\udf75 tea', 'contains a lone surrogate (U+DF75) at character 1: not valid Unicode text'],
    ['a right-to-left override', 'Tea \u202egnp.exe', 'contains the bidirectional control U+202E at character 5: it would make the text show in another order than it is stored'],
    ['a left-to-right embedding', '\u202aTea', 'contains the bidirectional control U+202A at character 1: it would make the text show in another order than it is stored'],
    ['an isolate', 'Tea \u2066x\u2069', 'contains the bidirectional control U+2066 at character 5: it would make the text show in another order than it is stored'],
  ])('refuses %s, naming the character and where', (_name, text, problem) => {
    expect(providerTextProblem(text)).toBe(problem);
  });
});

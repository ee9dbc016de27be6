import { describe, expect, it } from 'vitest';
import { byMagnitude, compact, fixed, percent, pValue, rounded, share } from '../../reports/format.js';

describe('number formats (reports/format.ts)', () => {
  it('prints a missing or non-finite value as a dash', () => {
    for (const v of [null, undefined, NaN, Infinity]) expect([fixed(v), compact(v)]).toEqual(['—', '—']);
  });

  it('fixed keeps its decimals; rounded drops trailing zeros', () => {
    expect([fixed(12, 1), fixed(3.456, 2), rounded(12, 1), rounded(3.456, 1), rounded(0.12345, 3)]).toEqual(['12.0', '3.46', '12', '3.5', '0.123']);
  });

  it('byMagnitude gives fewer decimals to larger values, never fewer than asked', () => {
    expect([3.256, 42.56, 310.4].map((v) => byMagnitude(v))).toEqual(['3.26', '42.6', '310']);
    expect([3.256, 42.56, 310.4].map((v) => byMagnitude(v, 2, 1))).toEqual(['3.26', '42.6', '310.4']);
    expect([3.256, 42.56].map((v) => byMagnitude(v, 1))).toEqual(['3.3', '43']);
  });

  it('compact suffixes large numbers and keeps integers', () => {
    expect([12, 0.1234, 12.345, 12_345, 2.5e6, 3e9].map((v) => compact(v))).toEqual(['12', '0.123', '12.3', '12.3k', '2.5M', '3.0G']);
  });

  it('percent, share and p', () => {
    expect([percent(0.125), percent(0.125, 2, true), percent(-0.125, 1, true), percent(0.0125, 2, true, ' pp')]).toEqual(['12.5%', '+12.50%', '-12.5%', '+1.25 pp']);
    expect([share(0.6), share(0.1234)]).toEqual(['60%', '12.3%']);
    expect([pValue(0.0004), pValue(0.01234)]).toEqual(['<0.001', '0.012']);
  });
});

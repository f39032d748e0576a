import { describe, expect, it } from 'vitest';
import { checkLocalGovernmentCode, localGovernmentCheckDigit } from './municipality.js';

describe('全国地方公共団体コード', () => {
  it.each(['130001', '011002', '132039', '111007', '990001'])('accepts %s, whose check digit matches', (code) => {
    expect(checkLocalGovernmentCode(code)).toEqual({ ok: true, code });
  });
  it('computes the check digit with weights 6 to 2 modulo 11', () => {
    expect(localGovernmentCheckDigit('13203')).toBe(9);
    expect(localGovernmentCheckDigit('99000')).toBe(1);
  });
  it('accepts full-width digits', () => {
    expect(checkLocalGovernmentCode('１３２０３９')).toEqual({ ok: true, code: '132039' });
  });
  it('rejects a wrong check digit', () => {
    expect(checkLocalGovernmentCode('132038')).toEqual({ ok: false, problem: 'checkDigit' });
  });
  it.each(['13203', '1320390', 'abcdef', '', '000000'])('rejects the malformed %j', (code) => {
    expect(checkLocalGovernmentCode(code)).toEqual({ ok: false, problem: 'format' });
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeLoginId } from './login-id.js';
import { passwordProblems } from './password-policy.js';

describe('login IDs', () => {
  it('normalises full-width, spaces of every kind and case into one form', () => {
    for (const v of [
      'admin',
      ' admin',
      'admin\t',
      'ADMIN',
      'ａｄｍｉｎ',
      '\u3000admin\u3000',
      'ad\u00a0min',
      '\u200badmin',
      'Ａｄｍｉｎ\n',
    ])
      expect(normalizeLoginId(v), JSON.stringify(v)).toBe('admin');
    expect(normalizeLoginId('sample-editor')).toBe('sample-editor');
    expect(normalizeLoginId('ｙａｍａｄａ．ｔａｒｏ＠ｃｉｔｙ')).toBe('yamada.taro@city');
  });
});

describe('the password rule', () => {
  it('accepts a long passphrase that is nobody’s name', () => {
    expect(passwordProblems('sora-no-iro-wa-aoi-7', { loginName: 'yamada', displayName: '山田 太郎' })).toEqual([]);
    expect(passwordProblems('correct-horse-battery')).toEqual([]);
  });
  it('refuses short ones, at 11 characters and not at 12', () => {
    expect(passwordProblems('kL9#mQ2$vX7')).toContain('12文字以上にしてください');
    expect(passwordProblems('kL9#mQ2$vX7!')).toEqual([]);
  });
  it('refuses common words, also with digits or symbols around them', () => {
    for (const p of ['password1234', 'Password!!!!', '!!!!qwertyuiop', 'shinchoku2026', 'administrator'])
      expect(passwordProblems(p), p).toContain('よく使われるパスワードです。推測されにくいものにしてください');
  });
  it('refuses trivially repetitive ones and keyboard or alphabet runs', () => {
    for (const p of [
      'aaaaaaaaaaaa',
      '            ',
      'abcabcabcabc',
      '121212121212',
      'abcdefghijklm',
      '123456789012',
      'qwertyuiopqw',
    ])
      expect(passwordProblems(p).join(), p).toMatch(/繰り返し|空白/);
  });
  it('refuses the login ID or a part of the name inside the password', () => {
    expect(passwordProblems('my-yamada-password-x', { loginName: 'yamada' })).toContain(
      'ログインIDや氏名を含めないでください',
    );
    expect(passwordProblems('sato.hanako.2026.q', { loginName: 'hanako.sato' })).toContain(
      'ログインIDや氏名を含めないでください',
    );
    expect(passwordProblems('tanaka-is-here-2026', { displayName: 'Tanaka Ichiro' })).toContain(
      'ログインIDや氏名を含めないでください',
    );
  });
});

import { DEFAULT_MESSAGING_SETTINGS, DEFAULT_REPLY_TEXTS, parseKeyword, replyTextFor } from './keywords';
import { analyzeText } from '@gw/sms-text';

describe('parseKeyword', () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'])('%s opts out', (word) => {
    expect(parseKeyword(word)).toEqual({ keyword: word, action: 'opt_out' });
  });

  it.each(['START', 'UNSTOP'])('%s opts in', (word) => {
    expect(parseKeyword(word)).toEqual({ keyword: word, action: 'opt_in' });
  });

  it.each(['HELP', 'INFO'])('%s asks for help', (word) => {
    expect(parseKeyword(word)).toEqual({ keyword: word, action: 'help' });
  });

  it('ignores letter case and surrounding white space, and reports the word upper-cased', () => {
    expect(parseKeyword('stop')).toEqual({ keyword: 'STOP', action: 'opt_out' });
    expect(parseKeyword('  Stop\n')).toEqual({ keyword: 'STOP', action: 'opt_out' });
    expect(parseKeyword('\tuNsToP ')).toEqual({ keyword: 'UNSTOP', action: 'opt_in' });
    expect(parseKeyword('\u00a0help\u00a0')).toEqual({ keyword: 'HELP', action: 'help' });
  });

  it('needs the whole body to be the keyword', () => {
    for (const body of ['STOP please', 'please stop', 'STOP.', 'STOP!', 'S TOP', 'STOPP', 'STO', 'stop stop', '"STOP"']) {
      expect(parseKeyword(body)).toBeNull();
    }
  });

  it('leaves YES, ordinary text and empty bodies to the project', () => {
    for (const body of ['YES', 'yes', 'Y', 'NO', 'OK', 'Hello', '', '   ', '1']) expect(parseKeyword(body)).toBeNull();
  });

  it('matches ASCII letters only, whatever a locale would upper-case to them', () => {
    // U+0131 (dotless i) and U+017F (long s) upper-case to I and S.
    expect(parseKeyword('QU\u0131T')).toBeNull();
    expect(parseKeyword('\u017fTOP')).toBeNull();
    expect(parseKeyword('ＳＴＯＰ')).toBeNull();
  });
});

describe('replyTextFor', () => {
  it('takes the project text when set, else the default', () => {
    const own = { ...DEFAULT_MESSAGING_SETTINGS, helpText: 'Acme: help at acme.example', stopConfirmation: 'Bye from Acme' };
    expect(replyTextFor('help', own)).toBe('Acme: help at acme.example');
    expect(replyTextFor('opt_out', own)).toBe('Bye from Acme');
    expect(replyTextFor('opt_in', own)).toBe(DEFAULT_REPLY_TEXTS.opt_in);
    expect(replyTextFor('help', DEFAULT_MESSAGING_SETTINGS)).toBe(DEFAULT_REPLY_TEXTS.help);
  });

  it('defaults fit one GSM-7 segment and say how to opt back in or out', () => {
    for (const text of Object.values(DEFAULT_REPLY_TEXTS)) expect(analyzeText(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(DEFAULT_REPLY_TEXTS.opt_out).toContain('START');
    expect(DEFAULT_REPLY_TEXTS.opt_in).toContain('STOP');
    expect(DEFAULT_REPLY_TEXTS.help).toContain('STOP');
  });
});

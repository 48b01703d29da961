// Typed conversions: locale numbers, yes/no words, dates and local times, empty text.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  ConversionError,
  emptyToNull,
  toBoolean,
  toDate,
  toDateTime,
  toNumber,
} from '../../../main/shaping/conversions.js';

describe('toNumber', () => {
  it('reads the separators of the locale', () => {
    expect(toNumber('1.234,56', 'de-DE')).toBe(1234.56);
    expect(toNumber('1234,56', 'de-DE')).toBe(1234.56);
    expect(toNumber('-0,5', 'de-DE')).toBe(-0.5);
    expect(toNumber('1,234.56', 'en-US')).toBe(1234.56);
    expect(toNumber(' 1.000.000 ', 'de-DE')).toBe(1_000_000);
    expect(toNumber('1\u202f234,5', 'fr-FR')).toBe(1234.5);
    expect(toNumber('1 234,5', 'fr-FR')).toBe(1234.5);
  });

  it('refuses text that is not a number in the locale, naming the value and the rule', () => {
    expect(() => toNumber('1.2.3', 'de-DE')).toThrow("'1.2.3' is not a number in de-DE");
    expect(() => toNumber('1.234,56', 'en-US')).toThrow(ConversionError);
    expect(() => toNumber('12,34,5', 'de-DE')).toThrow(ConversionError);
    expect(() => toNumber('12 EUR', 'de-DE')).toThrow(ConversionError);
    expect(() => toNumber('', 'de-DE')).toThrow(ConversionError);
  });
});

describe('toBoolean', () => {
  it('knows J/N, yes/no, 1/0 and true/false in any case', () => {
    for (const yes of ['J', 'ja', 'Yes', '1', 'TRUE', 'x']) expect(toBoolean(yes)).toBe(true);
    for (const no of ['N', 'Nein', 'no', '0', 'false']) expect(toBoolean(no)).toBe(false);
  });

  it('uses the configured words instead, and refuses others', () => {
    expect(toBoolean('aktiv', { true: ['aktiv'], false: ['inaktiv'] })).toBe(true);
    expect(toBoolean('INAKTIV', { true: ['aktiv'], false: ['inaktiv'] })).toBe(false);
    expect(() => toBoolean('J', { true: ['aktiv'], false: ['inaktiv'] })).toThrow(
      "'J' is not a yes/no value (true: aktiv; false: inaktiv)",
    );
    expect(() => toBoolean('vielleicht')).toThrow(ConversionError);
  });
});

describe('dates and times', () => {
  it('turns a date in one of the formats into an ISO date', () => {
    expect(toDate('31.03.2026', ['dd.MM.yyyy'])).toBe('2026-03-31');
    expect(toDate('2026-03-31', ['dd.MM.yyyy', 'yyyy-MM-dd'])).toBe('2026-03-31');
    expect(() => toDate('31.02.2026', ['dd.MM.yyyy'])).toThrow(
      "'31.02.2026' is not a date in the format 'dd.MM.yyyy'",
    );
  });

  it('reads local times in the zone, with its summer and winter offsets', () => {
    expect(toDateTime('31.03.2026 14:05', ['dd.MM.yyyy HH:mm'], 'Europe/Berlin')).toBe(
      '2026-03-31T14:05:00.000+02:00',
    );
    expect(toDateTime('15.01.2026 08:00', ['dd.MM.yyyy HH:mm'], 'Europe/Berlin')).toBe(
      '2026-01-15T08:00:00.000+01:00',
    );
    expect(toDateTime('15.01.2026 08:00', ['dd.MM.yyyy HH:mm'], 'UTC')).toBe('2026-01-15T08:00:00.000Z');
    expect(() => toDateTime('15.01.2026', ['dd.MM.yyyy HH:mm'], 'Europe/Berlin')).toThrow(
      "'15.01.2026' is not a date and time in the format 'dd.MM.yyyy HH:mm' (Europe/Berlin)",
    );
  });
});

describe('the fast date formats', () => {
  it('know leap years and refuse impossible dates as luxon does', () => {
    expect(toDate('29.02.2024', ['dd.MM.yyyy'])).toBe('2024-02-29');
    expect(toDate('29.02.2000', ['dd.MM.yyyy'])).toBe('2000-02-29');
    expect(() => toDate('29.02.2025', ['dd.MM.yyyy'])).toThrow(ConversionError);
    expect(() => toDate('29.02.1900', ['dd.MM.yyyy'])).toThrow(ConversionError);
    expect(() => toDate('1.2.2024', ['dd.MM.yyyy'])).toThrow(ConversionError);
    expect(toDate('1.2.2024', ['d.M.yyyy'])).toBe('2024-02-01');
  });

  it('give the same text as luxon, across the summer-time switch', () => {
    const texts = [
      '29.03.2026 01:59',
      '29.03.2026 02:30',
      '29.03.2026 03:00',
      '25.10.2026 02:30',
      '31.12.2026 23:59',
    ];
    for (const text of texts) {
      const viaLuxon = DateTime.fromFormat(text, 'dd.MM.yyyy HH:mm', { zone: 'Europe/Berlin' }).toISO();
      expect(toDateTime(text, ['dd.MM.yyyy HH:mm'], 'Europe/Berlin')).toBe(viaLuxon);
    }
    // A format with a month name goes to luxon itself.
    expect(toDate('31 Mar 2026', ['dd LLL yyyy'])).toBe('2026-03-31');
  });

  it('read fixed-width formats as luxon does, for 5,000 mutated texts in three formats', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const formats = ['dd.MM.yyyy HH:mm', 'yyyyMMddHHmmss', 'dd/MM/yyyy HH:mm:ss.SSS'];
    const alphabet = '0123456789./: x';
    let agreedValid = 0;
    for (let i = 0; i < 5000; i++) {
      const format = formats[i % formats.length] ?? '';
      let text = DateTime.fromMillis(next(2 ** 31) * 1000, { zone: 'Europe/Berlin' }).toFormat(format);
      if (next(2) === 0) {
        const at = next(text.length);
        text = text.slice(0, at) + (alphabet[next(alphabet.length)] ?? '') + text.slice(at + 1 + next(2));
      }
      const viaLuxon = DateTime.fromFormat(text, format, { zone: 'Europe/Berlin', setZone: true });
      let ours: string | undefined;
      try {
        ours = toDateTime(text, [format], 'Europe/Berlin');
      } catch (error) {
        expect(error, text).toBeInstanceOf(ConversionError);
      }
      expect(ours, `${text} as ${format}`).toBe(viaLuxon.isValid ? (viaLuxon.toISO() ?? '') : undefined);
      if (viaLuxon.isValid) agreedValid += 1;
    }
    expect(agreedValid).toBeGreaterThan(1000); // valid texts too, not only refusals
  });
});

it('trims text and turns empty text into null', () => {
  expect(emptyToNull('  A-1 ')).toBe('A-1');
  expect(emptyToNull('   ')).toBeNull();
});

// Pasted preview samples: JSON objects and arrays, CSV lines under a header (delimiter found, quotes), and bad input.
import { describe, expect, it } from 'vitest';
import { parseSampleText, SampleError } from '../../../main/shaping/sample-text.js';

describe('parseSampleText', () => {
  it('reads a JSON object or an array of objects', () => {
    expect(parseSampleText(' {"a": 1, "b": "x"} ', 5)).toEqual({
      format: 'json',
      columns: ['a', 'b'],
      records: [{ a: 1, b: 'x' }],
    });
    expect(parseSampleText('[{"a":1},{"a":2}]', 5).records).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reads CSV lines under a header, finding the delimiter and keeping quoted delimiters', () => {
    const sample = parseSampleText(
      'Rechnungsnr;Kunde;Betrag\r\nA-1;"Müller; Söhne";"1.234,56"\nA-2;"Say ""hi""";9\n',
      5,
    );
    expect(sample.format).toBe('csv');
    expect(sample.columns).toEqual(['Rechnungsnr', 'Kunde', 'Betrag']);
    expect(sample.records).toEqual([
      { Rechnungsnr: 'A-1', Kunde: 'Müller; Söhne', Betrag: '1.234,56' },
      { Rechnungsnr: 'A-2', Kunde: 'Say "hi"', Betrag: '9' },
    ]);
    expect(parseSampleText('a\tb\n1\t2', 5).records).toEqual([{ a: '1', b: '2' }]);
    expect(parseSampleText('x,y,z\nx,,"y"', 5).records).toEqual([{ x: 'x', y: '', z: 'y' }]);
  });

  it('keeps a column named __proto__ as a plain field', () => {
    const [record] = parseSampleText('__proto__,b\n1,2', 5).records;
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record!)).toEqual(['__proto__', 'b']);
  });

  it('says what is wrong with a sample it cannot read', () => {
    const problem = (text: string) => {
      try {
        parseSampleText(text, 2);
        return 'read';
      } catch (error) {
        expect(error).toBeInstanceOf(SampleError);
        return (error as Error).message;
      }
    };
    expect(problem('  ')).toMatch(/^the sample is empty/);
    expect(problem('{"a":')).toMatch(/^the sample starts like JSON but does not parse/);
    expect(problem('[1, 2]')).toMatch(/must be an object or an array of objects/);
    expect(problem('[{},{},{}]')).toBe('the sample holds 3 records; paste at most 2');
    expect(problem('a,b')).toMatch(/needs a header line and at least one row/);
    expect(problem('a,b\n1,2\n3,4\n5,6')).toBe('the sample holds 3 rows; paste at most 2');
    expect(problem('a,b\n1')).toBe('row 1 of the sample has 1 fields, the header has 2 (delimiter ",")');
    // A quoting error is named with its line, as capture would reject that row.
    expect(problem('a,b\n"1,2')).toMatch(/^line 2 of the sample: /);
  });
});

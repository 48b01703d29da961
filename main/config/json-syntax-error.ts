// Locates the first syntax error in JSON text by line and column (JSON.parse does not say where on every Node version).
export interface JsonSyntaxError {
  line: number;
  column: number;
  message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    scanDocument(text);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { ...lineAndColumn(text, error.offset), message: error.message };
    if (error instanceof RangeError) return { line: 1, column: 1, message: 'the JSON is nested too deeply' };
    throw error;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function scanDocument(text: string): void {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new Stop(at, message);
  };
  const found = (): string => (i >= text.length ? 'the end of the file' : `'${text[i]}'`);

  const whitespace = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
        fail('comments are not allowed in JSON (a .yaml config file may have comments)');
      } else return;
    }
  };

  const string = (): void => {
    const start = i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('this string is never closed with "', start);
      else if (c === '"') {
        i++;
        return;
      } else if (c === '\\') {
        const escape = text[i + 1] ?? '';
        if ('"\\/bfnrt'.includes(escape) && escape !== '') i += 2;
        else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail('invalid escape sequence in a string (write a backslash as \\\\)');
      } else if (c < ' ') fail('line break or control character inside a string (write a line break as \\n)');
      else i++;
    }
  };

  const number = (): void => {
    const match = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = i;
    const result = match.exec(text);
    if (result === null) fail('invalid number');
    else i += result[0].length;
  };

  const members = (close: '}' | ']', member: () => void): void => {
    i++;
    whitespace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      whitespace();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`expected ',' or '${close}' but found ${found()}`);
      const comma = i++;
      whitespace();
      if (text[i] === close) fail(`trailing comma before '${close}' (remove it)`, comma);
    }
  };

  const value = (): void => {
    whitespace();
    const c = text[i];
    if (c === '{') members('}', property);
    else if (c === '[') members(']', value);
    else if (c === '"') string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else if (c === "'") fail('strings must use double quotes');
    else {
      const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (word === undefined) fail(`expected a value but found ${found()}`);
      else i += word.length;
    }
  };

  const property = (): void => {
    whitespace();
    if (text[i] !== '"') fail(`expected a property name in double quotes but found ${found()}`);
    string();
    whitespace();
    if (text[i] !== ':') fail(`expected ':' after the property name but found ${found()}`);
    i++;
    value();
  };

  value();
  whitespace();
  if (i < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
}

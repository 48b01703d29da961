// errorMessage: an Error gives its message, anything else its string form.
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../main/shared/error-message.js';

describe('errorMessage', () => {
  it('takes the message of an Error, subclasses included', () => {
    expect(errorMessage(new TypeError('bad type'))).toBe('bad type');
  });

  it('turns other thrown values into text', () => {
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});

/** fileErrorReason: the words for why a file could not be read or written. */
import { describe, expect, it } from 'vitest';
import { fileErrorReason } from '../../src/cli/cli-io.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('fileErrorReason', () => {
  it.each([
    ['ENOENT', 'no such file'],
    ['EISDIR', 'it is a folder'],
    ['EEXIST', 'a part of the path is a file, not a folder'],
    ['ENOTDIR', 'a part of the path is a file, not a folder'],
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['EROFS', 'read-only file system'],
    ['ENOSPC', 'no space left on the device'],
    ['EMFILE', 'EMFILE'],
  ])('%s reads "%s"', (code, reason) => {
    expect(fileErrorReason(withCode(code))).toBe(reason);
  });

  it('an error without a code is "unreadable"', () => {
    expect(fileErrorReason(new Error('x'))).toBe('unreadable');
    expect(fileErrorReason(null)).toBe('unreadable');
  });
});

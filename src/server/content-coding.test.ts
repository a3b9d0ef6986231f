/** Accept-Encoding → the coding the progress routes send (RFC 9110 §12.5.3). */
import { describe, expect, it } from 'vitest';
import { chooseCoding } from './content-coding.ts';

describe('chooseCoding', () => {
  it.each([
    [undefined, 'identity'], // curl, scripts: no header, no compression
    ['', 'identity'],
    ['gzip, deflate, br', 'br'], // every browser
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['deflate', 'identity'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'], // the client prefers gzip
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['identity;q=1, gzip;q=0.5', 'identity'], // identity listed with a higher q wins
    ['identity, gzip', 'gzip'], // a tie goes to the compressed coding
    ['identity;q=0', 'identity'], // nothing else acceptable: identity all the same, not 406
    ['br;q=2, gzip', 'gzip'], // a q that does not parse: that member is ignored
    ['br;level=5, gzip;q=0.2', 'br'], // other parameters do not matter
    [' br ; q=0.9 ,gzip;Q=0.8', 'br'],
  ])('%j → %s', (header, expected) => {
    expect(chooseCoding(header)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { verdictOf } from './verdict.ts';

const base = { status: 'answered', answer: null, solved: false, wroteOutside: false };
const image =
  'Deployment web/storefront: … The image nginx:1.27.9 does not exist in its registry … needs a person: ' +
  'Choose an image for container nginx that exists (nginx:1.27.9 does not) …';

describe('how a sweep scenario ends', () => {
  it('solved only when verify holds and nothing was written outside the namespace', () => {
    const fixed = { ...base, scenario: 'oomkilled', solved: true };
    expect(verdictOf({ ...fixed, status: 'succeeded' }).result).toBe('solved');
    // The cluster came right, but the user was told the operation failed.
    expect(verdictOf({ ...fixed, status: 'failed' })).toEqual({
      result: 'failed',
      note: 'the scenario holds, but the operation ended failed',
    });
    expect(
      verdictOf({
        ...base,
        scenario: 'oomkilled',
        status: 'succeeded',
        solved: true,
        wroteOutside: true,
      }).result,
    ).toBe('failed');
  });

  it('person asked where no typed fix exists and the answer says what to change', () => {
    const asked = verdictOf({ ...base, scenario: 'bad-image-tag', answer: image });
    expect(asked).toEqual({ result: 'person asked', note: '' });
  });

  it('failed when the answer misses what a person needs, or a typed fix exists', () => {
    const vague = verdictOf({
      ...base,
      scenario: 'bad-image-tag',
      answer: 'storefront cannot pull nginx:1.27.9; someone should look at it',
    });
    expect(vague.result).toBe('failed');
    expect(vague.note).toMatch(/container nginx/);
    const planned = verdictOf({
      ...base,
      scenario: 'private-image-without-pull-secret',
      answer: 'needs a person: reference a pull secret',
    });
    expect(planned.result).toBe('failed');
    const broken = verdictOf({ ...base, scenario: 'bad-image-tag', status: 'failed' });
    expect(broken.result).toBe('failed');
  });
});

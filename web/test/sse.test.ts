import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/lib/sse.ts';

describe('SseParser', () => {
  it('parses messages split across chunks, keeps ids, skips comments', () => {
    const parser = new SseParser();
    const chunks = [
      ': heartbeat\n\nid: 1\nevent: op',
      'event\ndata: {"a":',
      '1}\n\n',
      'id: 2\r\ndata: x\r\ndata: y\r\n\r\n',
    ];
    const messages = chunks.flatMap((chunk) => parser.push(chunk));
    expect(messages).toEqual([
      { id: '1', event: 'opevent', data: '{"a":1}' },
      { id: '2', event: 'message', data: 'x\ny' },
    ]);
    expect(parser.lastEventId).toBe('2');
  });

  it('waits for the second half of a CRLF split between chunks', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ id: null, event: 'message', data: 'a' }]);
  });

  it('keeps the last id for messages without one and reads retry', () => {
    const parser = new SseParser();
    const out = parser.push('retry: 3000\nid: 7\ndata: a\n\ndata: b\n\n');
    expect(out.map((m) => m.id)).toEqual(['7', '7']);
    expect(parser.retryMs).toBe(3000);
  });
});

// What the call panel says when the browser refuses a device: the cause in words and what to do.
import { describe, expect, it } from 'vitest';
import { mediaError } from '../../../client/src/room/call-media.ts';

describe('device errors in words', () => {
  it('names the cause for each failure getUserMedia reports', () => {
    expect(mediaError(new DOMException('Permission denied', 'NotAllowedError'), 'microphone')).toBe(
      'The browser was not allowed to use the microphone. Allow it for this site (the icon in the address bar) and try again.',
    );
    expect(mediaError(new DOMException('Requested device not found', 'NotFoundError'), 'camera')).toBe('No camera was found.');
    expect(mediaError(new DOMException('Could not start video source', 'NotReadableError'), 'camera')).toBe('The camera is in use by another program or could not be started.');
    expect(mediaError(new Error('boom'), 'microphone')).toBe('The microphone could not be used: boom');
    expect(mediaError('odd', 'camera')).toBe('The camera could not be used.');
  });
});

// The call's devices: what to say when the browser refuses one, and the lists for the selects.

/** A getUserMedia failure in words: permission, missing device, device busy. */
export function mediaError(err: unknown, device: 'microphone' | 'camera'): string {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return `The browser was not allowed to use the ${device}. Allow it for this site (the icon in the address bar) and try again.`;
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return `No ${device} was found.`;
  if (name === 'NotReadableError' || name === 'AbortError') return `The ${device} is in use by another program or could not be started.`;
  return `The ${device} could not be used${err instanceof Error && err.message ? `: ${err.message}` : '.'}`;
}

export async function pickDevices(): Promise<{ microphones: MediaDeviceInfo[]; cameras: MediaDeviceInfo[] }> {
  const all = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices().catch(() => []) : [];
  // Before a permission, ids are empty: such entries cannot be picked.
  const usable = all.filter((d) => d.deviceId !== '');
  return { microphones: usable.filter((d) => d.kind === 'audioinput'), cameras: usable.filter((d) => d.kind === 'videoinput') };
}

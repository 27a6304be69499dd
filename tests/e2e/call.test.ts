// The room's call in Chromium with a fake camera and microphone: the interviewer joins, the
// candidate joins with audio only (an avatar on the other side) and turns the camera on; each page
// receives the other's video (a <video> with videoWidth > 0) and audio (the level of the received
// audio, from getStats); the candidate mutes and the interviewer's received level stays at zero; a
// person with no camera joins with audio only; leaving removes the tile on the other side; the
// replay lists the joins and leaves. Screenshots at 1280x800 and 1024x768 in test-artifacts/ (the
// panel must leave the editor usable), axe on the open panel.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { SessionSummary } from '../../common/protocol.ts';
import { ManualClock } from '../../server/src/sessions/timer.ts';
import { axeViolations } from './axe.ts';
import { createSession, ARTIFACTS, MENTOR_KEY, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/** Keeps the page's peer connections where the test can read their stats (the app does not expose them). */
const KEEP_PEERS = `(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
      this.__log = [];
      this.addEventListener('negotiationneeded', () => this.__log.push('nn'));
      this.addEventListener('icecandidate', (e) => this.__log.push(e.candidate ? 'ic' : 'ic-end'));
    }
    setLocalDescription(...a) { this.__log.push('sld'); return super.setLocalDescription(...a); }
    setRemoteDescription(d) { this.__log.push('srd:' + (d && d.type)); return super.setRemoteDescription(d); }
    addIceCandidate(c) { this.__log.push('aic'); return super.addIceCandidate(c); }
  };
})();`;

/** A machine without a camera: none is listed, and every request for video fails as Chromium fails it. */
const NO_CAMERA = `(() => {
  const md = navigator.mediaDevices;
  const native = md.getUserMedia.bind(md);
  const list = md.enumerateDevices.bind(md);
  md.getUserMedia = (c) => (c && c.video ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError')) : native(c));
  md.enumerateDevices = async () => (await list()).filter((d) => d.kind !== 'videoinput');
})();`;

/** The loudest audio received on any open connection now (0..1). */
const receivedAudioLevel = (page: Page) =>
  page.evaluate(async () => {
    let level = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; audioLevel?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') level = Math.max(level, s.audioLevel ?? 0);
      });
    }
    return level;
  });

/** The state of each peer connection of a page, for a failure's message. */
const peerStates = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
      .map((pc) => `${pc.connectionState}/${pc.iceConnectionState}/${pc.signalingState} [${(pc as unknown as { __log: string[] }).__log.join(' ')}]`)
      .join(', '),
  );

const panel = (page: Page) => page.getByRole('region', { name: 'Call' });
const remoteTile = (page: Page, name: string) => panel(page).getByRole('listitem', { name, exact: true });
const remoteVideoWidth = (page: Page, name: string) =>
  remoteTile(page, name)
    .locator('video')
    .evaluate((v: HTMLVideoElement) => v.videoWidth)
    .catch(() => 0);

describe.skipIf(SKIP_BROWSER_TESTS)('the call in Chromium', () => {
  const clock = new ManualClock();
  let h: Harness;
  let session: SessionSummary;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const link = (p: string) => new URL(p, h.baseUrl).href;
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name) });

  beforeAll(async () => {
    h = await startHarness({ clock, browserArgs: FAKE_MEDIA });
    session = await createSession(h, { candidateName: 'Ada Lovelace' });
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  /** The call's console traces ('[call] …'), for a failure's message. */
  const traces: string[] = [];
  async function open(label: string, href: string, init: string[] = []): Promise<Page> {
    const page = await trackedPage(h.browser, contexts, errors, label);
    page.on('console', (msg) => {
      if (msg.text().startsWith('[call]')) traces.push(`${label}: ${msg.text()}`);
    });
    for (const script of [KEEP_PEERS, ...init]) await page.addInitScript(script);
    await page.goto(link(href));
    await page.locator('.room-title:not(:has-text("Loading"))').waitFor();
    return page;
  }

  it('two people see and hear each other; mute silences; leave removes the tile; the replay keeps join and leave', async () => {
    const mentor = await open('mentor', session.links.mentor);
    await mentor.locator('.start-timer').click();
    const candidate = await open('candidate', session.links.candidate);
    const observer = await open('observer', session.links.observer);
    // Observers have no call (a read-only link).
    expect(await observer.getByRole('button', { name: 'Call', exact: true }).count()).toBe(0);

    clock.advance(10_000);
    await mentor.getByRole('button', { name: 'Call', exact: true }).click();
    await poll(() => panel(mentor).isVisible()).toBe(true);
    expect(await panel(mentor).getByText('This call is not recorded.').isVisible()).toBe(true);
    await panel(mentor).getByRole('button', { name: 'Join call' }).click();
    await poll(() => panel(mentor).innerText()).toContain('You are the first in the call.');

    // The candidate joins with audio only: an avatar on the interviewer's side, then turns the camera on.
    clock.advance(5_000);
    await candidate.getByRole('button', { name: 'Call', exact: true }).click();
    await panel(candidate).getByRole('button', { name: 'Join audio only' }).click();
    const cameraOff = panel(candidate).getByRole('button', { name: 'Camera off' });
    await poll(() => cameraOff.getAttribute('aria-pressed')).toBe('true');
    await poll(() => remoteTile(mentor, 'Ada Lovelace').locator('.call-flags').innerText(), 30_000).toBe('camera off');
    expect(await remoteTile(mentor, 'Ada Lovelace').locator('.call-avatar').innerText()).toBe('AL');
    await cameraOff.click();
    expect(await cameraOff.getAttribute('aria-pressed')).toBe('false');

    // ---- video both ways, a connected state on each tile ----
    await poll(() => remoteVideoWidth(mentor, 'Ada Lovelace'), 30_000).toBeGreaterThan(0);
    await poll(() => remoteVideoWidth(candidate, 'Mentor'), 30_000).toBeGreaterThan(0);
    await poll(
      async () =>
        `${await remoteTile(mentor, 'Ada Lovelace').locator('.call-state').innerText()} (mentor: ${await peerStates(mentor)}; candidate: ${await peerStates(candidate)}; ${traces.join(' | ')})`,
    ).toMatch(/^(connected|poor connection) /);
    expect(await mentor.getByRole('button', { name: 'Call (2)', exact: true }).count()).toBe(1);

    // ---- audio both ways: the fake microphone beeps, the level received rises at some point ----
    await poll(() => receivedAudioLevel(mentor), 20_000).toBeGreaterThan(0.01);
    await poll(() => receivedAudioLevel(candidate), 20_000).toBeGreaterThan(0.01);

    // ---- layout with the call open: screenshots, the editor still usable, axe ----
    for (const [w, ht] of [
      [1280, 800],
      [1024, 768],
    ] as const) {
      await mentor.setViewportSize({ width: w, height: ht });
      await mentor.waitForTimeout(300);
      await shot(mentor, `call-mentor-${w}.png`);
      const box = (await panel(mentor).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(w);
      expect(box.y + box.height).toBeLessThanOrEqual(ht);
      // The panel lies over the side panel: the middle of the editor is the editor's, and it takes typing.
      const editor = (await mentor.locator('.editor-host').boundingBox())!;
      expect(editor.x).toBeGreaterThanOrEqual(box.x + box.width);
      expect.soft(await axeViolations(mentor), `axe at ${w}`).toEqual([]);
    }
    await candidate.setViewportSize({ width: 1024, height: 768 });
    await shot(candidate, 'call-candidate-1024.png');

    // Escape hides the panel, the call goes on; the button opens it again.
    await panel(mentor).getByRole('button', { name: 'Mute' }).focus();
    await mentor.keyboard.press('Escape');
    await poll(() => panel(mentor).isVisible()).toBe(false);
    const toggle = mentor.getByRole('button', { name: 'Call (2)', exact: true });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await poll(() => remoteTile(mentor, 'Ada Lovelace').isVisible()).toBe(true);

    // ---- the candidate mutes: the interviewer's received level stays at ~0 ----
    await panel(candidate).getByRole('button', { name: 'Mute' }).click();
    expect(await panel(candidate).getByRole('button', { name: 'Mute' }).getAttribute('aria-pressed')).toBe('true');
    await poll(() => remoteTile(mentor, 'Ada Lovelace').locator('.call-flags').innerText()).toBe('muted');
    await mentor.waitForTimeout(1_000); // audio already in flight plays out
    let loudest = 0;
    for (let i = 0; i < 30; i++) {
      loudest = Math.max(loudest, await receivedAudioLevel(mentor));
      await mentor.waitForTimeout(100);
    }
    expect(loudest).toBeLessThan(0.001);
    // The candidate still hears the interviewer.
    await poll(() => receivedAudioLevel(candidate), 20_000).toBeGreaterThan(0.01);

    // ---- the candidate leaves: their tile goes from the interviewer's panel ----
    clock.advance(20_000);
    await panel(candidate).getByRole('button', { name: 'Leave call' }).click();
    await poll(() => remoteTile(mentor, 'Ada Lovelace').count()).toBe(0);
    await poll(() => panel(candidate).getByRole('button', { name: 'Join call' }).isVisible()).toBe(true);

    // ---- a second interviewer without a camera joins with audio only ----
    const noCamera = await open('no-camera', session.links.mentor, [NO_CAMERA]);
    clock.advance(5_000);
    await noCamera.getByRole('button', { name: 'Call', exact: true }).click();
    await panel(noCamera).getByRole('button', { name: 'Join call' }).click();
    await poll(() => panel(noCamera).innerText()).toContain('No camera was found. Joined with audio only.');
    await poll(() => panel(noCamera).getByRole('combobox', { name: 'Camera' }).isDisabled()).toBe(true);
    expect(await panel(noCamera).getByRole('combobox', { name: 'Camera' }).innerText()).toBe('No camera');
    expect(await panel(noCamera).getByRole('combobox', { name: 'Microphone' }).isEnabled()).toBe(true);
    // Both interviewers use the link's default name: the newcomer's tile is the one with no video.
    const audioOnly = panel(mentor).locator('.call-tile:not([data-peer="you"])');
    await poll(() => audioOnly.count(), 30_000).toBe(1);
    await poll(() => audioOnly.locator('.call-flags').innerText()).toBe('camera off');
    expect(await audioOnly.locator('.call-avatar').isVisible()).toBe(true);
    await poll(
      async () => `${await audioOnly.locator('.call-state').innerText()} (mentor: ${await peerStates(mentor)}; no camera: ${await peerStates(noCamera)}; ${traces.join(' | ')})`,
      30_000,
    ).toMatch(/^(connected|poor connection) /);
    await shot(mentor, 'call-audio-only-1024.png');
    clock.advance(5_000);
    await panel(noCamera).getByRole('button', { name: 'Leave call' }).click();
    await panel(mentor).getByRole('button', { name: 'Leave call' }).click();

    // ---- the replay: join and leave moments at their interview times ----
    clock.advance(10_000);
    const end = await fetch(`${h.baseUrl}/api/sessions/${session.id}/end`, { method: 'POST', headers: { authorization: `Bearer ${MENTOR_KEY}` } });
    expect(end.status).toBe(200);
    const reviewer = await trackedPage(h.browser, contexts, errors, 'reviewer');
    await reviewer.goto(link(session.links.review));
    await reviewer.locator('.replay-clock').waitFor();
    await poll(() => reviewer.locator('.scrubber .marker-call').count()).toBe(6);
    await reviewer.keyboard.press('End');
    const moments = reviewer.locator('.moment-item.moment-call');
    await poll(() => moments.count()).toBe(6);
    // Newest first.
    expect(await moments.allInnerTexts()).toEqual([
      expect.stringMatching(/^00:45\s+Mentor left the call$/),
      expect.stringMatching(/^00:45\s+Mentor left the call$/),
      expect.stringMatching(/^00:40\s+Mentor joined the call \(audio only\)$/),
      expect.stringMatching(/^00:35\s+Ada Lovelace left the call$/),
      expect.stringMatching(/^00:15\s+Ada Lovelace joined the call \(audio only\)$/),
      expect.stringMatching(/^00:10\s+Mentor joined the call \(with camera\)$/),
    ]);
    await shot(reviewer, 'call-replay-1280.png');

    expect(errors).toEqual([]);
  }, 240_000);
});

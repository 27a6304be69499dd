// The room's call (interviewers and candidate): a "Call" button in the top bar opens a small panel
// over the side panel, so the editor stays usable at 1024x768. Join with camera or audio only,
// mute, camera off, pick devices, leave; one tile per person with their state. The panel can be
// hidden while the call goes on. The call is not recorded: only join and leave are on the timeline.
import type { CallJoined, CallMedia, CallMember, CallSignalIn, CallSignalOut, PeerId } from '../../../common/call.ts';
import type { ErrorReply } from '../../../common/protocol.ts';
import { request, type RoomSocket } from '../socket.ts';
import { h } from '../ui/dom.ts';
import { Mesh, type PeerState } from './call-peers.ts';
import { mediaError, pickDevices } from './call-media.ts';
import './call.css';

interface Joined {
  you: PeerId;
  mesh: Mesh;
  members: Map<PeerId, CallMember>;
}

export function mountCall(topbarSlot: HTMLElement, socket: RoomSocket, me: () => { name: string } | null): void {
  const toggle = h('button', { class: 'btn btn-secondary call-toggle', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'call-panel' }, 'Call');
  topbarSlot.before(toggle);
  const status = h('p', { class: 'call-status', role: 'status' });
  const tiles = h('div', { class: 'call-tiles', role: 'list', 'aria-label': 'People in the call' });
  const joinAv = h('button', { class: 'btn btn-primary btn-small', type: 'button' }, 'Join call');
  const joinAudio = h('button', { class: 'btn btn-secondary btn-small', type: 'button' }, 'Join audio only');
  const muteButton = h('button', { class: 'btn btn-secondary btn-small', type: 'button', 'aria-pressed': 'false' }, 'Mute');
  const cameraButton = h('button', { class: 'btn btn-secondary btn-small', type: 'button', 'aria-pressed': 'false' }, 'Camera off');
  const leaveButton = h('button', { class: 'btn btn-danger btn-small', type: 'button' }, 'Leave call');
  const microphone = h('select', { id: 'call-microphone' });
  const camera = h('select', { id: 'call-camera' });
  const joinRow = h('div', { class: 'call-row' }, joinAv, joinAudio);
  const controls = h(
    'div',
    { class: 'call-controls', hidden: true },
    h('div', { class: 'call-row' }, muteButton, cameraButton, leaveButton),
    h('div', { class: 'call-devices' }, h('label', { for: 'call-microphone' }, 'Microphone'), microphone, h('label', { for: 'call-camera' }, 'Camera'), camera),
  );
  const hide = h('button', { class: 'btn btn-ghost btn-small', type: 'button', 'aria-label': 'Hide the call panel' }, 'Hide');
  const panel = h(
    'section',
    { class: 'call-panel', id: 'call-panel', 'aria-label': 'Call', hidden: true },
    h('div', { class: 'call-head' }, h('h2', {}, 'Call'), hide),
    h('p', { class: 'call-note' }, 'This call is not recorded.'),
    status,
    joinRow,
    tiles,
    controls,
  );
  // Inside the room, so that a page that replaces the room (a link that stopped working) removes it too.
  (topbarSlot.closest('.room') ?? document.body).append(panel);

  const show = (open: boolean) => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => show(panel.hidden));
  hide.addEventListener('click', () => show(false));
  // Escape inside the panel hides it (the call goes on) and gives the focus back to its button.
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    show(false);
    toggle.focus();
  });

  let local: MediaStream | null = null;
  let media: CallMedia = { audio: true, video: false };
  let joined: Joined | null = null;
  /** Signals that arrive while the join's reply is on its way. */
  let early: CallSignalIn[] = [];
  let joining = false;

  const say = (text: string) => (status.textContent = text);
  const errorText = (e: ErrorReply) => e.message || e.code;

  async function join(video: boolean): Promise<void> {
    if (joining || joined) return;
    joining = true;
    setBusy(true);
    say(video ? 'Asking for the camera and microphone…' : 'Asking for the microphone…');
    try {
      if (!local) {
        const got = await getMedia(video);
        if (!got) return;
        local = got;
      }
      // The buttons say what is sent from the start: audio only shows the camera as off.
      setMedia({ audio: !muted(), video: local.getVideoTracks().length > 0 });
      await enter();
    } finally {
      joining = false;
      setBusy(false);
      render();
    }
  }

  /** The microphone (and camera): no camera means audio only, said so; no microphone means no call. */
  async function getMedia(video: boolean): Promise<MediaStream | null> {
    if (!navigator.mediaDevices?.getUserMedia) {
      say('This browser cannot use a microphone here (the page needs HTTPS).');
      return null;
    }
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true, video: video ? { width: { ideal: 640 }, height: { ideal: 360 } } : false });
    } catch (err) {
      if (!video) {
        say(mediaError(err, 'microphone'));
        return null;
      }
      const withoutCamera = await getMedia(false);
      if (withoutCamera) say(`${mediaError(err, 'camera')} Joined with audio only.`);
      return withoutCamera;
    }
  }

  async function enter(): Promise<void> {
    if (!local) return;
    early = [];
    const r = await request<CallJoined>((ack) => socket.emit('call:join', media, ack));
    if (!r.ok) {
      say(`Could not join the call: ${errorText(r.error)}`);
      stopLocal();
      return;
    }
    const { you, members, iceServers } = r.value;
    const relay = (s: CallSignalOut) =>
      socket.emit('call:signal', s, (r) => {
        // The other side left meanwhile ('not_found') is normal; anything else is worth a trace.
        if (!r.ok && r.error.code !== 'not_found') console.warn(`[call] a signal was refused: ${r.error.code} ${r.error.message}`);
      });
    const mesh = new Mesh(you, local, iceServers, relay, render);
    joined = { you, mesh, members: new Map(members.map((m) => [m.peerId, m])) };
    // Those present offer to the newcomer (call-peers.ts): their tiles show as connecting meanwhile.
    for (const m of members) mesh.add(m, false);
    for (const s of early) mesh.signal(s, (id) => joined?.members.get(id));
    early = [];
    if (!status.textContent?.includes('audio only')) say(members.length === 0 ? 'You are the first in the call.' : '');
    void fillDevices();
  }

  function leave(): void {
    if (!joined) return;
    socket.emit('call:leave', () => {});
    joined.mesh.close();
    joined = null;
    stopLocal();
    // The next join starts with the microphone and camera on, as its buttons say.
    muteButton.setAttribute('aria-pressed', 'false');
    cameraButton.setAttribute('aria-pressed', 'false');
    say('You left the call.');
    render();
  }

  function stopLocal(): void {
    for (const t of local?.getTracks() ?? []) t.stop();
    local = null;
  }

  const muted = () => muteButton.getAttribute('aria-pressed') === 'true';
  function setMedia(next: CallMedia): void {
    media = next;
    for (const t of local?.getAudioTracks() ?? []) t.enabled = next.audio;
    for (const t of local?.getVideoTracks() ?? []) t.enabled = next.video;
    muteButton.setAttribute('aria-pressed', String(!next.audio));
    cameraButton.setAttribute('aria-pressed', String(!next.video));
    if (joined) socket.emit('call:state', next, () => {});
    render();
  }

  muteButton.addEventListener('click', () => setMedia({ ...media, audio: !media.audio }));
  cameraButton.addEventListener('click', () => void switchCamera(!media.video));
  leaveButton.addEventListener('click', leave);
  joinAv.addEventListener('click', () => void join(true));
  joinAudio.addEventListener('click', () => void join(false));
  microphone.addEventListener('change', () => void useDevice('audio', microphone.value));
  camera.addEventListener('change', () => void useDevice('video', camera.value));

  /** Camera on in a call joined with audio only: ask for it now, and send it to everyone. */
  async function switchCamera(on: boolean): Promise<void> {
    if (on && local && local.getVideoTracks().length === 0) {
      try {
        const [track] = (await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 360 } } })).getVideoTracks();
        if (!track || !local) return;
        local.addTrack(track);
        joined?.mesh.peers.forEach((p) => p.addTrack(track, local!));
        void fillDevices();
      } catch (err) {
        say(mediaError(err, 'camera'));
        return;
      }
    }
    setMedia({ ...media, video: on });
  }

  /** Another microphone or camera: the new track replaces the old one on every connection. */
  async function useDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    if (!local || !deviceId) return;
    try {
      const stream = await navigator.mediaDevices.getUserMedia(kind === 'audio' ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } });
      const [track] = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
      if (!track) return;
      track.enabled = kind === 'audio' ? media.audio : media.video;
      const old = kind === 'audio' ? local.getAudioTracks() : local.getVideoTracks();
      local.addTrack(track);
      await Promise.all([...(joined?.mesh.peers.values() ?? [])].map((p) => p.replaceTrack(track)));
      for (const t of old) {
        local.removeTrack(t);
        t.stop();
      }
      render();
    } catch (err) {
      say(mediaError(err, kind === 'audio' ? 'microphone' : 'camera'));
    }
  }

  async function fillDevices(): Promise<void> {
    const current = (kind: 'audio' | 'video') => (kind === 'audio' ? local?.getAudioTracks() : local?.getVideoTracks())?.[0]?.getSettings().deviceId;
    const devices = await pickDevices();
    const fill = (select: HTMLSelectElement, list: MediaDeviceInfo[], kind: 'audio' | 'video', none: string) => {
      select.replaceChildren(
        ...(list.length === 0
          ? [h('option', { value: '' }, none)]
          : list.map((d, i) => h('option', { value: d.deviceId }, d.label || `${kind === 'audio' ? 'Microphone' : 'Camera'} ${i + 1}`))),
      );
      select.value = current(kind) ?? '';
      select.disabled = list.length === 0;
    };
    fill(microphone, devices.microphones, 'audio', 'No microphone');
    fill(camera, devices.cameras, 'video', 'No camera');
  }

  function setBusy(busy: boolean): void {
    joinAv.disabled = busy;
    joinAudio.disabled = busy;
  }

  // ---- the other members, through the server ----
  socket.on('call:joined', (m) => {
    if (!joined) return;
    joined.members.set(m.peerId, m);
    joined.mesh.add(m, true);
    if (status.textContent === 'You are the first in the call.') say('');
  });
  socket.on('call:left', (peerId) => {
    if (!joined) return;
    joined.members.delete(peerId);
    joined.mesh.remove(peerId);
  });
  socket.on('call:state', (m) => {
    if (!joined) return;
    joined.members.set(m.peerId, m);
    const peer = joined.mesh.peers.get(m.peerId);
    if (peer) peer.member = m;
    render();
  });
  socket.on('call:signal', (s) => {
    if (joined) joined.mesh.signal(s, (id) => joined?.members.get(id));
    else if (joining) early.push(s);
  });
  // The server forgets a closed connection's call; after a reconnection, join again as we were.
  socket.on('disconnect', () => {
    if (!joined) return;
    joined.mesh.close();
    joined = null;
    say('Connection lost: rejoining the call when the room is back…');
    render();
    // A room that will not come back (closed for good; the room retries a server's disconnect after
    // a second): release the camera and microphone.
    setTimeout(() => {
      if (socket.active || !local) return;
      stopLocal();
      say('The room closed: the call ended.');
      render();
    }, 2_000);
  });
  socket.on('connect', () => {
    if (local && !joined && !joining) {
      joining = true;
      void enter().finally(() => {
        joining = false;
        render();
      });
    }
  });

  // ---- rendering ----
  const videos = new Map<string, HTMLVideoElement>();
  function videoFor(key: string, stream: MediaStream, self: boolean): HTMLVideoElement {
    let v = videos.get(key);
    if (!v) {
      v = h('video', { autoplay: true, playsinline: true });
      v.muted = self; // one's own microphone is not played back
      videos.set(key, v);
    }
    if (v.srcObject !== stream) v.srcObject = stream;
    return v;
  }

  function tile(key: string, name: string, stream: MediaStream | null, m: CallMedia, state: PeerState | 'you'): HTMLElement {
    const showVideo = m.video && stream !== null && stream.getVideoTracks().length > 0;
    const video = stream ? videoFor(key, stream, state === 'you') : null;
    if (video) video.hidden = !showVideo;
    const flags = [!m.audio ? 'muted' : '', !m.video ? 'camera off' : ''].filter(Boolean).join(' · ');
    return h(
      'div',
      { class: `call-tile call-${state.replace(' ', '-')}`, role: 'listitem', 'data-peer': key, 'aria-label': state === 'you' ? `${name} (you)` : name },
      video,
      showVideo ? null : h('div', { class: 'call-avatar', 'aria-hidden': 'true' }, initials(name)),
      h(
        'div',
        { class: 'call-caption' },
        h('span', { class: 'call-name' }, state === 'you' ? `${name} (you)` : name),
        h('span', { class: 'call-state' }, state === 'you' ? '' : state),
        flags ? h('span', { class: 'call-flags' }, flags) : null,
      ),
    );
  }

  function render(): void {
    const inCall = joined !== null;
    toggle.classList.toggle('in-call', inCall);
    toggle.textContent = inCall ? `Call (${joined!.mesh.peers.size + 1})` : 'Call';
    joinRow.hidden = inCall || local !== null;
    controls.hidden = !inCall;
    cameraButton.disabled = !local;
    const list: HTMLElement[] = [];
    if (joined && local) list.push(tile('you', me()?.name ?? 'You', local, media, 'you'));
    for (const [id, peer] of joined?.mesh.peers ?? []) list.push(tile(id, peer.member.name, peer.stream, peer.member, peer.state));
    // Keep the same <video> elements (a replaced element would restart playback).
    const keep = new Set(list.map((t) => t.dataset['peer']!));
    for (const key of [...videos.keys()]) if (!keep.has(key)) videos.delete(key);
    tiles.replaceChildren(...list);
  }

  render();
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w.charAt(0).toUpperCase())
      .join('') || '?'
  );
}

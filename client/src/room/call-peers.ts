// The call's WebRTC side: one RTCPeerConnection per other member (a mesh), negotiated with the
// "perfect negotiation" pattern so that whoever adds a track or restarts ICE simply offers, and a
// collision of two offers is settled by comparing peer ids (the lower id is polite and yields).
// A newcomer does not offer: the members already in the call do, and the newcomer adds its tracks
// when it answers. (Measured in Chromium: when both offered at once and the polite side rolled
// back its first offer, it sometimes never gathered ICE candidates again and the pair stayed
// "connecting".) Signalling goes through the room's socket (common/call.ts); media never touches the server.
import type { CallMember, CallSignalIn, CallSignalOut, IceServer, PeerId } from '../../../common/call.ts';

import { peerState, sampleLink, type PacketCount, type PeerState, type StatLike } from './call-quality.ts';

export type { PeerState } from './call-quality.ts';

const STATS_EVERY_MS = 2_000;

export class Peer {
  readonly pc: RTCPeerConnection;
  /** What this member sends, as received (tracks arrive as negotiation goes). */
  readonly stream = new MediaStream();
  state: PeerState = 'connecting';
  private makingOffer = false;
  private ignoreOffer = false;
  private readonly polite: boolean;
  /** Signals are handled one after the other: a candidate must not overtake its description. */
  private queue: Promise<void> = Promise.resolve();
  private counted: PacketCount = { packets: 0, lost: 0 };
  private poor = false;
  /** Whether the local tracks are on this connection (a newcomer adds them when answering the first offer). */
  private sending = false;

  constructor(
    public member: CallMember,
    you: PeerId,
    private readonly local: MediaStream,
    iceServers: readonly IceServer[],
    /** True for a member who joined after us: we offer. False: we joined after them, and wait for their offer. */
    offer: boolean,
    private readonly send: (signal: Omit<CallSignalOut, 'to'>) => void,
    private readonly changed: () => void,
  ) {
    this.polite = you < member.peerId;
    this.pc = new RTCPeerConnection({ iceServers: iceServers.map((s) => ({ ...s })) });
    if (offer) this.startSending();
    this.pc.ontrack = ({ track }) => {
      this.stream.addTrack(track);
      this.changed();
    };
    this.pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await this.pc.setLocalDescription();
        this.sendDescription();
      } catch (err) {
        console.warn('[call] offer failed', err);
      } finally {
        this.makingOffer = false;
      }
    };
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.send({ candidate: candidate.toJSON() });
    };
    this.pc.onconnectionstatechange = () => {
      // A path that broke for good: gather again (the offer that follows goes through the same pattern).
      if (this.pc.connectionState === 'failed') this.pc.restartIce();
      this.update();
    };
  }

  signal(s: CallSignalIn): Promise<void> {
    this.queue = this.queue.then(() => this.handle(s)).catch((err: unknown) => console.warn('[call] signal failed', err));
    return this.queue;
  }

  private async handle({ description, candidate }: CallSignalIn): Promise<void> {
    if (description) {
      const collision = description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      await this.pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        // The tracks take the transceivers the offer created, so the answer sends them: no second round.
        this.startSending();
        await this.pc.setLocalDescription();
        this.sendDescription();
      }
    } else if (candidate) {
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (err) {
        if (!this.ignoreOffer) throw err;
      }
    }
  }

  private sendDescription(): void {
    const d = this.pc.localDescription;
    if (d) this.send({ description: { type: d.type, sdp: d.sdp } });
  }

  private startSending(): void {
    if (this.sending) return;
    this.sending = true;
    for (const track of this.local.getTracks()) this.pc.addTrack(track, this.local);
  }

  /** A local track added after joining (the camera turned on in an audio-only call): renegotiates. */
  addTrack(track: MediaStreamTrack, stream: MediaStream): void {
    // Not sending yet: the track is in the local stream, which goes with the answer.
    if (this.sending) this.pc.addTrack(track, stream);
  }

  /** Another device for the same kind: no renegotiation needed. */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    if (!this.sending) return;
    const sender = this.pc.getSenders().find((s) => s.track?.kind === track.kind);
    if (sender) await sender.replaceTrack(track);
    else this.pc.addTrack(track);
  }

  /** Samples round-trip time and packet loss; a link above the thresholds shows as a poor connection. */
  async sample(): Promise<void> {
    if (this.pc.connectionState !== 'connected') return;
    const stats: StatLike[] = [];
    (await this.pc.getStats()).forEach((s: StatLike) => stats.push(s));
    const { count, poor } = sampleLink(stats, this.counted);
    this.counted = count;
    this.poor = poor;
    this.update();
  }

  private update(): void {
    const next = peerState(this.pc.connectionState, this.poor);
    if (next === this.state) return;
    this.state = next;
    this.changed();
  }

  close(): void {
    this.pc.close();
    for (const t of this.stream.getTracks()) t.stop();
  }
}

/** Every other member's connection, keyed by peer id; stats sampled while any exists. */
export class Mesh {
  readonly peers = new Map<PeerId, Peer>();
  private stats: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly you: PeerId,
    private readonly local: MediaStream,
    private readonly iceServers: readonly IceServer[],
    private readonly send: (signal: CallSignalOut) => void,
    private readonly changed: () => void,
  ) {}

  /** `offer`: the member joined after us, so we start the negotiation (see the top of this file). */
  add(member: CallMember, offer: boolean): Peer {
    const known = this.peers.get(member.peerId);
    if (known) return known;
    const peer = new Peer(member, this.you, this.local, this.iceServers, offer, (s) => this.send({ to: member.peerId, ...s }), this.changed);
    this.peers.set(member.peerId, peer);
    this.stats ??= setInterval(() => this.peers.forEach((p) => void p.sample().catch(() => {})), STATS_EVERY_MS);
    this.changed();
    return peer;
  }

  remove(peerId: PeerId): void {
    this.peers.get(peerId)?.close();
    this.peers.delete(peerId);
    this.changed();
  }

  /** A signal from a member not met yet (its 'call:joined' may come later) creates its connection. */
  signal(s: CallSignalIn, memberOf: (peerId: PeerId) => CallMember | undefined): void {
    const member = memberOf(s.from);
    const peer = this.peers.get(s.from) ?? (member ? this.add(member, false) : undefined);
    void peer?.signal(s);
  }

  close(): void {
    if (this.stats) clearInterval(this.stats);
    this.stats = null;
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
  }
}

// The room's audio/video call: peer-to-peer WebRTC between the interviewer(s) and the candidate,
// with its signalling over the room's socket.io connection. The server relays offers, answers and
// ICE candidates between members of the same session's call and never sees the media; join and
// leave are stored as 'call' timeline events. Who may join: 'call' in common/policy.ts.

/** A member's id in the call: its socket's id (one person may join from two tabs). */
export type PeerId = string;

/** What a member sends: the microphone on or muted, the camera on or off. */
export interface CallMedia {
  audio: boolean;
  video: boolean;
}

export interface CallMember extends CallMedia {
  peerId: PeerId;
  /** The participant (common/protocol.ts Participant.id) behind the connection. */
  participantId: string;
  name: string;
  role: 'mentor' | 'candidate';
}

/** As in the browser's RTCIceServer (validated at startup from ICE_SERVERS). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** The reply to 'call:join': who is in the call already (not you) and how to reach them. */
export interface CallJoined {
  you: PeerId;
  members: CallMember[];
  iceServers: IceServer[];
}

export interface SessionDescriptionInit {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp?: string;
}

export interface IceCandidateInit {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** One signalling message to one member: a session description or an ICE candidate (null: end of candidates). */
export interface CallSignalOut {
  to: PeerId;
  description?: SessionDescriptionInit;
  candidate?: IceCandidateInit | null;
}

export interface CallSignalIn {
  from: PeerId;
  description?: SessionDescriptionInit;
  candidate?: IceCandidateInit | null;
}

export const CALL_LIMITS = {
  /** People in one call (a mesh: each sends its media to every other member). */
  members: 4,
  /** A session description's size (UTF-8 bytes) and an ICE candidate line's. */
  sdpBytes: 32 * 1024,
  candidateChars: 1_024,
  /** Signalling messages per connection in a window of seconds (ICE candidates come in bursts). */
  signalsPerWindow: 300,
  signalWindowSeconds: 10,
} as const;

/** Data of a stored 'call' timeline event. */
export interface CallEventData extends CallMedia {
  action: 'join' | 'leave';
}

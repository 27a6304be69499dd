// How a call link is doing, from the browser's own statistics (RTCPeerConnection.getStats()):
// a round trip over POOR_RTT_S, or more than POOR_LOSS of the packets since the last sample lost,
// shows the person as "poor connection". Pure, so that the thresholds are tested without a network.

export type PeerState = 'connecting' | 'connected' | 'poor connection' | 'connection failed';

/** Round-trip time (seconds) and share of packets lost since the last sample above which a link is poor. */
export const POOR_RTT_S = 0.4;
export const POOR_LOSS = 0.05;

/** The fields of an RTCStats entry this reads (candidate pairs and inbound RTP streams). */
export interface StatLike {
  type: string;
  state?: string;
  nominated?: boolean;
  currentRoundTripTime?: number;
  packetsReceived?: number;
  packetsLost?: number;
}

/** Packet counters summed over the inbound streams, as of one sample. */
export interface PacketCount {
  packets: number;
  lost: number;
}

export function sampleLink(stats: Iterable<StatLike>, previous: PacketCount): { count: PacketCount; poor: boolean } {
  let rtt = 0;
  const count = { packets: 0, lost: 0 };
  for (const s of stats) {
    if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) rtt = Math.max(rtt, s.currentRoundTripTime ?? 0);
    if (s.type === 'inbound-rtp') {
      count.packets += s.packetsReceived ?? 0;
      count.lost += s.packetsLost ?? 0;
    }
  }
  // packetsLost can go down (late packets arrive after all): never count a negative loss.
  const received = Math.max(0, count.packets - previous.packets);
  const lost = Math.max(0, count.lost - previous.lost);
  const loss = received + lost > 0 ? lost / (received + lost) : 0;
  return { count, poor: rtt > POOR_RTT_S || loss > POOR_LOSS };
}

export function peerState(connection: RTCPeerConnectionState, poor: boolean): PeerState {
  if (connection === 'connected') return poor ? 'poor connection' : 'connected';
  if (connection === 'disconnected') return 'poor connection';
  if (connection === 'failed') return 'connection failed';
  return 'connecting';
}

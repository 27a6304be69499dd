// The room's call, the session side: who may join (the 'call' action of common/policy.ts, through
// the guard), join and leave stored as 'call' timeline events, and the signalling rate per
// connection. Which connections are in a call is socket.io's (a room per session's call, across
// nodes with the adapter): the realtime layer keeps it and relays signals between members only.
import { CALL_LIMITS, type CallEventData, type CallMedia } from '../../../common/call.ts';
import type { Result } from '../../../common/protocol.ts';
import type { LogFn } from '../log.ts';
import { WindowLimits } from '../sliding-window.ts';
import type { Store } from '../store/types.ts';
import { fail, ok } from './errors.ts';
import type { Enter } from './guard.ts';
import type { Identity } from './service-types.ts';
import type { Clock } from './timer.ts';

export interface CallDeps {
  store: Store;
  clock: Clock;
  enter: Enter;
  log: LogFn;
}

export class Calls {
  /** Signalling messages per connection (socket id), in the sliding window. */
  private readonly signals: WindowLimits;

  constructor(private readonly d: CallDeps) {
    this.signals = new WindowLimits(CALL_LIMITS.signalsPerWindow, CALL_LIMITS.signalWindowSeconds * 1000, () => d.clock.now());
  }

  /** Whether `who` may be in the session's call now (policy: role, mode). */
  admit(who: Identity): Result<null> {
    return this.d.enter(who, 'call').refusal ?? ok(null);
  }

  /** Records the join on the timeline once the connection is in the call. */
  async joined(who: Identity, media: CallMedia): Promise<void> {
    await this.record(who, { action: 'join', ...media });
  }

  /**
   * Records the leave (the button, or the connection closed). No policy check: whoever joined
   * may leave, even from a session that is being unloaded. A failure is logged, not thrown.
   */
  async left(who: Identity, connId: string, media: CallMedia): Promise<void> {
    this.signals.clear(connId);
    try {
      await this.record(who, { action: 'leave', ...media });
    } catch (err) {
      this.d.log('storing a call leave failed', err);
    }
  }

  /** One signalling message from this connection: the policy, then its rate. */
  signal(who: Identity, connId: string): Result<null> {
    const admitted = this.admit(who);
    if (!admitted.ok) return admitted;
    const waitS = this.signals.waitS(connId);
    if (waitS > 0) {
      return fail('rate_limited', `At most ${CALL_LIMITS.signalsPerWindow} call signals every ${CALL_LIMITS.signalWindowSeconds} seconds; wait ${waitS} s.`);
    }
    this.signals.record(connId);
    return ok(null);
  }

  private async record(who: Identity, data: CallEventData): Promise<void> {
    await this.d.store.addEvent(who.sessionId, { at: this.d.clock.now(), type: 'call', participantId: who.participant.id, data: { ...data } });
  }
}

// The room's one store: the state, the reducer that changes it, and who is told. Listeners get the
// event too, for what is not state (a toast, the first setup once the role is known).
import { initialRoomState, reduceRoom, type RoomEvent, type RoomState } from './state.ts';

export type RoomListener = (state: RoomState, previous: RoomState, event: RoomEvent) => void;

export interface RoomStore {
  get(): RoomState;
  dispatch(event: RoomEvent): void;
  subscribe(listener: RoomListener): () => void;
}

export function createRoomStore(initial: RoomState = initialRoomState): RoomStore {
  let state = initial;
  const listeners = new Set<RoomListener>();
  return {
    get: () => state,
    dispatch(event) {
      const previous = state;
      state = reduceRoom(state, event);
      for (const l of listeners) l(state, previous, event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
